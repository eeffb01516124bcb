/**
 * The firewall API paths of the simulated node's pvesh, dispatched by path and method as PVE::API2's
 * router does (pve-manager PVE/API2/Cluster.pm → API2/Firewall/Cluster.pm; pve-container API2/LXC.pm and
 * qemu-server API2/Qemu.pm → API2/Firewall/VM.pm). Guest options (VMBase get_options / set_options) are here too.
 */
import { parseArgs } from '../core/args.js';
import { arg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import type { ParamSpec } from '../core/schema.js';
import { addIpsetEntry, changeIpsetEntry, createAlias, createGroup, createIpset, deleteAlias, deleteGroup, deleteIpset, getAliases, getGroups, getIpsets, updateAlias } from './cluster-api.js';
import { assertDigest, createRule, deleteRule, DIGEST, getRules, groupRules, guestRules, updateRule, type RuleList } from './rules-api.js';
import { loadGuest, objectWithDigest, saveGuest } from './store.js';

export type Method = 'get' | 'create' | 'set' | 'delete';

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'nolog'];
const BOOLEAN_OPTIONS = ['enable', 'dhcp', 'ipfilter', 'macfilter', 'ndp', 'radv'];

/** $vm_option_properties (Firewall.pm). */
const VM_OPTIONS: Record<string, ParamSpec> = {
  ...Object.fromEntries(BOOLEAN_OPTIONS.map((k) => [k, { type: 'boolean' } as ParamSpec])),
  policy_in: { type: 'string', enum: ['ACCEPT', 'REJECT', 'DROP'] },
  policy_out: { type: 'string', enum: ['ACCEPT', 'REJECT', 'DROP'] },
  log_level_in: { type: 'string', enum: LOG_LEVELS },
  log_level_out: { type: 'string', enum: LOG_LEVELS },
};

/** A firewall path (after `/nodes/N` was checked against this node), or false for any other path. */
export function isFirewallPath(path: string): boolean {
  return /^\/cluster\/firewall(\/|$)/.test(path) || /^\/nodes\/[^/]+\/(lxc|qemu)\/\d+\/firewall(\/|$)/.test(path);
}

function guestOptions(ctx: CommandContext, vmid: number): Record<string, string | number> {
  const options = loadGuest(ctx.env, vmid).options;
  return objectWithDigest(Object.fromEntries(Object.entries(options).map(([k, v]) => [k, BOOLEAN_OPTIONS.includes(k) ? Number(v) : v])));
}

async function setGuestOptions(ctx: CommandContext, vmid: number, args: string[]): Promise<void> {
  const options = { ...VM_OPTIONS, delete: { type: 'string' } as ParamSpec, digest: DIGEST, 'output-format': { type: 'string', enum: ['text', 'json', 'json-pretty', 'yaml'] } as ParamSpec, quiet: { type: 'boolean' } as ParamSpec };
  const p = parseArgs({ usage: 'pvesh set <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options }, args).options;
  await withNodeLock(ctx.env, () => {
    assertDigest(String(guestOptions(ctx, vmid).digest), p.digest);
    const conf = loadGuest(ctx.env, vmid);
    for (const key of (p.delete ?? '').split(/[,;\s]+/).filter(Boolean)) {
      if (!(key in VM_OPTIONS)) throw verificationError({ delete: `no such option '${key}'` });
      delete conf.options[key];
    }
    for (const key of Object.keys(VM_OPTIONS)) if (p[key] !== undefined) conf.options[key] = p[key]!;
    saveGuest(ctx.env, vmid, conf);
  });
}

/** Runs one pvesh command on a firewall path; returns what `get` prints (undefined for writes). */
export async function firewallCommand(ctx: CommandContext, method: Method, path: string, args: string[]): Promise<unknown> {
  const noHandler = () => new SimError(`no '${method}' handler for '${path}'`);
  const guest = /^\/nodes\/[^/]+\/(lxc|qemu)\/(\d+)\/firewall\/(options|rules)(?:\/([^/]+))?$/.exec(path);
  if (guest) {
    const [, kind, id, what, pos] = guest;
    const vmid = Number(id);
    if (what === 'options') {
      if (pos !== undefined) throw noHandler();
      if (method === 'get') return guestOptions(ctx, vmid);
      if (method === 'set') return setGuestOptions(ctx, vmid, args);
      throw noHandler();
    }
    return rules(ctx, guestRules(kind as 'lxc' | 'qemu', vmid), method, pos, args, noHandler);
  }
  const cluster = /^\/cluster\/firewall\/(aliases|ipset|groups)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
  if (!cluster) throw noHandler();
  const [, family, name, item] = cluster;
  if (family === 'aliases' && item === undefined) {
    if (method === 'get') return getAliases(ctx, name);
    if (method === 'create' && name === undefined) return createAlias(ctx, args);
    if (method === 'set' && name !== undefined) return updateAlias(ctx, name, args);
    if (method === 'delete' && name !== undefined) return deleteAlias(ctx, name, args);
  }
  if (family === 'ipset') {
    if (name === undefined && method === 'get') return getIpsets(ctx);
    if (name === undefined && method === 'create') return createIpset(ctx, args);
    if (name !== undefined && item === undefined && method === 'get') return getIpsets(ctx, name);
    if (name !== undefined && item === undefined && method === 'create') return addIpsetEntry(ctx, name, args);
    if (name !== undefined && item === undefined && method === 'delete') return deleteIpset(ctx, name, args);
    if (name !== undefined && item !== undefined && (method === 'set' || method === 'delete')) return changeIpsetEntry(ctx, name, item, method, args);
  }
  if (family === 'groups') {
    if (name === undefined && method === 'get') return getGroups(ctx);
    if (name === undefined && method === 'create') return createGroup(ctx, args);
    if (name !== undefined && item === undefined && method === 'delete') return deleteGroup(ctx, name);
    if (name !== undefined) return rules(ctx, groupRules(name), method, item, args, noHandler);
  }
  throw noHandler();
}

function rules(ctx: CommandContext, list: RuleList, method: Method, pos: string | undefined, args: string[], noHandler: () => SimError): unknown {
  if (pos !== undefined && !/^\d+$/.test(pos)) throw verificationError({ pos: `type check ('integer') failed - got '${pos}'` });
  const at = pos === undefined ? undefined : Number(pos);
  if (method === 'get') return getRules(ctx, list, at);
  if (method === 'create' && at === undefined) return createRule(ctx, list, args);
  if (method === 'set' && at !== undefined) return updateRule(ctx, list, at, args);
  if (method === 'delete' && at !== undefined) return deleteRule(ctx, list, at, args);
  throw noHandler();
}
