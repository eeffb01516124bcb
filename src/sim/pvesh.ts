/**
 * pvesh get for the endpoints providers batch-read: /cluster/resources, /nodes/N/{lxc,qemu}[/ID/config],
 * /nodes/N/storage[/S/content], /cluster/backup[/ID]; create/delete for storage downloads (pvesh-storage.ts),
 * create/set/delete for backup jobs (cluster/backup-jobs.ts). `--output-format json` prints one line of compact JSON with sorted keys; other
 * formats print the same data pretty-printed (enough for a human, not a faithful table).
 */
import { parseArgs } from './core/args.js';
import { arg } from './core/guest-args.js';
import type { CommandContext } from './core/context.js';
import type { GuestKind, SimEnv } from './core/env.js';
import { SimError, verificationError } from './core/errors.js';
import { createJob, deleteJob, jobRecord, loadJobs, updateJob } from './cluster/backup-jobs.js';
import { sortedJson, sortKeys } from './core/json.js';
import type { ParamSpec } from './core/schema.js';
import { configDigest } from './guest/config-file.js';
import { clusterNodes, listGuestIds, loadConfig, readRuntime, reportedStatus, tryLoadConfig } from './guest/store.js';
import { configView } from './guest/view.js';
import { CONFIG_OPTIONS as LXC_OPTIONS } from './pct/schema.js';
import type { StatusRecord } from './guest/status-record.js';
import { lxcStatus } from './pct/status-data.js';
import { CONFIG_OPTIONS as QEMU_OPTIONS } from './qm/schema.js';
import { qemuStatus } from './qm/status-data.js';
import { loadStorages, storageContent } from './storage/config.js';
import { storageUsage } from './storage/status.js';
import { DOWNLOAD_URL_OPTIONS, storageCreate, storageDelete, storageGet } from './pvesh-storage.js';
import { firewallCommand, isFirewallPath } from './firewall/route.js';

type Json = unknown;

function guestStatus(env: SimEnv, kind: GuestKind, vmid: number, node = env.node): StatusRecord | null {
  const loaded = tryLoadConfig(env, kind, vmid, node);
  if (!loaded) return null;
  return kind === 'lxc' ? lxcStatus(env, vmid, loaded.file) : qemuStatus(env, vmid, loaded.file);
}

/** `/nodes/N/{lxc,qemu}/ID/status/current`: the live status record (LXC.pm / QemuServer.pm vmstatus). */
function currentStatus(env: SimEnv, kind: GuestKind, vmid: number): Json {
  const { file } = loadConfig(env, kind, vmid);
  return kind === 'lxc' ? lxcStatus(env, vmid, file) : qemuStatus(env, vmid, file);
}

function guestList(env: SimEnv, kind: GuestKind, full: boolean): Json[] {
  return listGuestIds(env, kind)
    .map((vmid) => guestStatus(env, kind, vmid))
    .filter((s): s is StatusRecord => s !== null)
    .map((s) => {
      const record = { ...s };
      if (kind === 'qemu' && !full) delete record.qmpstatus;
      return record;
    });
}

/** One guest as /cluster/resources lists it (API2Tools extract_vm_stats). */
function guestResource(env: SimEnv, kind: GuestKind, vmid: number, node: string): Record<string, Json> | null {
  const s = guestStatus(env, kind, vmid, node);
  if (!s) return null;
  const resource: Record<string, Json> = {
    id: `${kind}/${vmid}`,
    type: kind,
    vmid,
    node,
    name: s.name,
    // status comes from pvestatd's cache and lags behind a change; /nodes/N/{lxc,qemu} read it live.
    status: reportedStatus(env, readRuntime(env, vmid)),
    template: s.template ?? 0,
    uptime: s.uptime,
    maxcpu: s.cpus,
    cpu: s.cpu,
    maxmem: s.maxmem,
    mem: s.mem,
    maxdisk: s.maxdisk,
    disk: s.disk,
    netin: s.netin,
    netout: s.netout,
    diskread: s.diskread,
    diskwrite: s.diskwrite,
  };
  if (kind === 'qemu') resource.memhost = s.mem;
  if (s.tags) resource.tags = s.tags;
  if (s.lock) resource.lock = s.lock;
  return resource;
}

function clusterResources(env: SimEnv, type: string | undefined): Json[] {
  const resources: Json[] = [];
  const nodes = clusterNodes(env);
  if (type === undefined || type === 'node') {
    for (const node of nodes) {
      resources.push({ id: `node/${node}`, type: 'node', node, status: 'online', level: '', maxcpu: 8, cpu: 0.01, maxmem: 32 * 1024 ** 3, mem: 4 * 1024 ** 3, maxdisk: 100 * 1024 ** 3, disk: 3 * 1024 ** 3, uptime: 86400 });
    }
  }
  // Guests of every node sharing this state directory: the simulated cluster.
  for (const node of type === undefined || type === 'vm' ? nodes : []) {
    for (const kind of ['qemu', 'lxc'] as const) {
      for (const vmid of listGuestIds(env, kind, node)) {
        const resource = guestResource(env, kind, vmid, node);
        if (resource) resources.push(resource);
      }
    }
  }
  if (type === undefined || type === 'storage') {
    for (const storage of loadStorages(env)) {
      const usage = storageUsage(env, storage);
      resources.push({
        id: `storage/${env.node}/${storage.id}`,
        type: 'storage',
        storage: storage.id,
        node: env.node,
        status: usage.active ? 'available' : 'unknown',
        plugintype: storage.type,
        content: [...storageContent(storage)].sort().join(','),
        shared: storage.props.shared === '1' ? 1 : 0,
        maxdisk: usage.total,
        disk: usage.used,
      });
    }
  }
  return resources;
}

function nodeStorages(env: SimEnv): Json[] {
  return loadStorages(env).map((storage) => {
    const usage = storageUsage(env, storage);
    return {
      storage: storage.id,
      type: storage.type,
      content: [...storageContent(storage)].sort().join(','),
      active: usage.active ? 1 : 0,
      enabled: storage.props.disable === '1' ? 0 : 1,
      shared: storage.props.shared === '1' ? 1 : 0,
      total: usage.total,
      used: usage.used,
      avail: usage.avail,
      used_fraction: usage.total ? usage.used / usage.total : 0,
    };
  });
}

/** The config endpoint: typed values (integers and booleans as numbers), raw description, digest. */
function guestConfig(env: SimEnv, kind: GuestKind, vmid: number, current: boolean): Json {
  const { file, raw } = loadConfig(env, kind, vmid);
  const view = configView(file, current);
  const schema: Record<string, ParamSpec> = kind === 'lxc' ? LXC_OPTIONS : QEMU_OPTIONS;
  const result: Record<string, Json> = { digest: configDigest(raw) };
  for (const [key, value] of Object.entries(view.values)) {
    const type = schema[key]?.type;
    result[key] = type === 'integer' || type === 'number' || type === 'boolean' ? Number(value) : value;
    if (key === 'cipassword') result[key] = '**********';
  }
  if (view.description !== undefined) result.description = view.description;
  if (kind === 'lxc' && view.lxc.length) result.lxc = view.lxc;
  return result;
}

function route(ctx: CommandContext, path: string, options: Record<string, string>): Json {
  const env = ctx.env;
  const normalised = '/' + path.split('/').filter(Boolean).join('/');
  if (normalised === '/cluster/resources') return clusterResources(env, options.type);
  if (normalised === '/cluster/backup') return loadJobs(env).filter((j) => j.type === 'vzdump').map(jobRecord);
  const job = /^\/cluster\/backup\/([^/]+)$/.exec(normalised);
  if (job) {
    const found = loadJobs(env).find((j) => j.id === job[1]);
    if (!found) throw verificationError({ id: `No such job '${job[1]}'` });
    return jobRecord(found);
  }
  const rest = nodeRest(env, normalised);
  if (rest !== undefined) {
    if (rest === '/lxc') return guestList(env, 'lxc', false);
    if (rest === '/qemu') return guestList(env, 'qemu', options.full === '1');
    if (rest === '/storage') return nodeStorages(env);
    const status = /^\/(lxc|qemu)\/(\d+)\/status\/current$/.exec(rest);
    if (status) return currentStatus(env, status[1] as GuestKind, Number(status[2]));
    const config = /^\/(lxc|qemu)\/(\d+)\/config$/.exec(rest);
    if (config) return guestConfig(env, config[1] as GuestKind, Number(config[2]), options.current === '1');
    const storage = storageGet(ctx, rest, options);
    if (storage !== undefined) return storage;
  }
  throw new SimError(`No 'get' handler defined for '${path}'`);
}

function get(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs(
    {
      usage: 'pvesh get <api_path> [OPTIONS] [FORMAT_OPTIONS]',
      positionals: [arg('api_path')],
      options: {
        type: { type: 'string', enum: ['vm', 'storage', 'node', 'sdn'] },
        full: { type: 'boolean' },
        current: { type: 'boolean' },
        'output-format': { type: 'string', enum: ['text', 'json', 'json-pretty', 'yaml'] },
        noborder: { type: 'boolean' },
        noheader: { type: 'boolean' },
        quiet: { type: 'boolean' },
        'human-readable': { type: 'boolean' },
        content: { type: 'string', enum: ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'] },
      },
    },
    args,
  );
  const data = route(ctx, parsed.positionals.api_path!, parsed.options);
  print(ctx, data, parsed.options['output-format']);
}

function print(ctx: CommandContext, data: Json, format: string | undefined): void {
  if (format === 'json') ctx.out.line(sortedJson(data));
  else if (typeof data === 'string') ctx.out.line(data);
  else ctx.out.line(JSON.stringify(sortKeys(data), null, 4));
}

/** create/set/delete on /cluster/backup[/ID] (cluster/backup-jobs.ts). */
async function change(ctx: CommandContext, command: 'create' | 'set' | 'delete', args: string[]): Promise<void> {
  const path = '/' + (args.find((a) => !a.startsWith('-')) ?? '').split('/').filter(Boolean).join('/');
  if (command === 'create' && path === '/cluster/backup') return createJob(ctx, args);
  const job = /^\/cluster\/backup\/([^/]+)$/.exec(path);
  if (job && command === 'set') return updateJob(ctx, job[1]!, args);
  if (job && command === 'delete') return deleteJob(ctx, job[1]!);
  throw new SimError(`No '${command}' handler defined for '${path}'`);
}

function isBackupJobPath(args: string[]): boolean {
  const path = '/' + (args.find((a) => !a.startsWith('-')) ?? '').split('/').filter(Boolean).join('/');
  return path === '/cluster/backup' || path.startsWith('/cluster/backup/');
}

const OUTPUT_OPTIONS: Record<string, ParamSpec> = { 'output-format': { type: 'string', enum: ['text', 'json', 'json-pretty', 'yaml'] }, quiet: { type: 'boolean' } };

/** The node part of an API path: `/nodes/NODE/rest`, checked against this node. */
function nodeRest(env: SimEnv, path: string): string | undefined {
  const match = /^\/nodes\/([^/]+)(\/.*)?$/.exec('/' + path.split('/').filter(Boolean).join('/'));
  if (!match) return undefined;
  if (match[1] !== env.node) throw new SimError(`hostname lookup '${match[1]}' failed - failed to get address info for: ${match[1]}: Name or service not known`);
  return match[2] ?? '';
}

/** `pvesh create|delete PATH`: the handlers the simulated node has, each with its own parameters. */
function write(ctx: CommandContext, command: 'create' | 'delete', args: string[]): void {
  const path = args.find((a) => !a.startsWith('-')) ?? '';
  const rest = nodeRest(ctx.env, path);
  const handlerOptions = command === 'create' && rest !== undefined && /^\/storage\/[^/]+\/download-url$/.test(rest) ? DOWNLOAD_URL_OPTIONS : {};
  const parsed = parseArgs({ usage: `pvesh ${command} <api_path> [OPTIONS] [FORMAT_OPTIONS]`, positionals: [arg('api_path')], options: { ...handlerOptions, ...OUTPUT_OPTIONS } }, args);
  const { 'output-format': format, quiet, ...options } = parsed.options;
  const data = rest === undefined ? undefined : command === 'create' ? storageCreate(ctx, rest, options) : storageDelete(ctx, rest);
  if (data === undefined) throw new SimError(`no '${command}' handler for '${path}'`);
  if (quiet !== '1') print(ctx, data, format);
}

/** create/set/delete/get on a firewall path (firewall/route.ts); the node of `/nodes/N/...` is checked first. */
async function firewall(ctx: CommandContext, command: 'get' | 'create' | 'set' | 'delete', args: string[]): Promise<void> {
  const path = '/' + (args.find((a) => !a.startsWith('-')) ?? '').split('/').filter(Boolean).join('/');
  nodeRest(ctx.env, path);
  if (command !== 'get') return void (await firewallCommand(ctx, command, path, args));
  const parsed = parseArgs({ usage: 'pvesh get <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options: OUTPUT_OPTIONS }, args);
  print(ctx, await firewallCommand(ctx, command, path, args), parsed.options['output-format']);
}

function firewallPath(args: string[]): boolean {
  return isFirewallPath('/' + (args.find((a) => !a.startsWith('-')) ?? '').split('/').filter(Boolean).join('/'));
}

export async function run(ctx: CommandContext, args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if ((command === 'get' || command === 'create' || command === 'set' || command === 'delete') && firewallPath(rest)) return firewall(ctx, command, rest);
  if (command === 'get') return get(ctx, rest);
  if ((command === 'create' || command === 'set' || command === 'delete') && isBackupJobPath(rest)) return change(ctx, command, rest);
  if (command === 'create' || command === 'delete') return write(ctx, command, rest);
  if (command === undefined) throw new SimError('ERROR: no command specified');
  if (['set', 'ls', 'usage', 'help'].includes(command)) {
    throw new SimError(`pvesh ${command} is not supported by the simulated node`);
  }
  throw new SimError(`ERROR: unknown command 'pvesh ${command}'`);
}
