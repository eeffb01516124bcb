/**
 * pvesm: add, set, remove, status — storages kept in etc/pve/storage.cfg, following pve-storage
 * src/PVE/API2/Storage/Config.pm (create/update/delete) and the type table in storage/types.ts.
 * Sensitive options (cifs/pbs password) go to etc/pve/priv/storage/ID.pw as the plugins' hooks do.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from './core/args.js';
import { arg } from './core/guest-args.js';
import type { CommandContext } from './core/context.js';
import { dispatch } from './core/dispatch.js';
import { SimError } from './core/errors.js';
import { withNodeLock } from './core/node-lock.js';
import type { ParamSpec } from './core/schema.js';
import { loadStorages, saveStorages } from './storage/config.js';
import { storageUsage } from './storage/status.js';
import { ADD_OPTIONS, SET_OPTIONS, STORAGE_TYPES, type StorageType } from './storage/types.js';
import type { SimEnv } from './core/env.js';

export const STORAGE_ID: ParamSpec = {
  type: 'string',
  check: (v) => (/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v) ? undefined : `storage ID '${v}' contains illegal characters`),
};

/** Plugin.pm decode_value(content): unsupported types are dropped with a warning; none left is an error. */
function decodeContent(ctx: CommandContext, type: StorageType, value: string): string {
  const kept: string[] = [];
  for (const item of value.split(',').map((c) => c.trim()).filter(Boolean)) {
    if (!type.content.includes(item)) ctx.out.err(`storage does not support content type '${item}'`);
    else kept.push(item);
  }
  if (kept.includes('none') && kept.length > 1) throw new SimError('unable to combine \'none\' with other content types');
  if (kept.length === 0 && !type.content.includes('none')) throw new SimError("storage does not support content type 'none'");
  return kept.join(',');
}

/** SectionConfig.pm check_config: options of another type, fixed ones on update, required ones on create. */
function checkConfig(ctx: CommandContext, typeName: string, id: string, options: Record<string, string>, create: boolean): Record<string, string> {
  const type = STORAGE_TYPES[typeName]!;
  const settings: Record<string, string> = {};
  // NFSPlugin.pm / CIFSPlugin.pm check_config: the mount path defaults to /mnt/pve/ID.
  if (create && (typeName === 'nfs' || typeName === 'cifs')) options.path ??= `/mnt/pve/${id}`;
  for (const [key, value] of Object.entries(options)) {
    const rule = type.options[key];
    if (!create && rule?.fixed) throw new SimError(`can't change value of fixed parameter '${key}'`);
    if (!rule) throw new SimError(`unexpected property '${key}'`);
    settings[key] = key === 'content' ? decodeContent(ctx, type, value) : value;
  }
  if (create) {
    for (const [key, rule] of Object.entries(type.options)) {
      if (!rule.optional && settings[key] === undefined) throw new SimError(`missing value for required option '${key}'`);
    }
  }
  return settings;
}

function passwordFile(env: SimEnv, id: string): string {
  return env.path('etc/pve/priv/storage', `${id}.pw`);
}

/** CIFSPlugin.pm / PBSPlugin.pm on_add_hook and on_update_hook for the password. */
function storePassword(ctx: CommandContext, typeName: string, id: string, password: string | undefined, props: Record<string, string>): void {
  if (password === undefined) return;
  mkdirSync(ctx.env.path('etc/pve/priv/storage'), { recursive: true });
  writeFileSync(passwordFile(ctx.env, id), typeName === 'cifs' ? `password=${password}\n` : `${password}\n`, { mode: 0o600 });
  if (typeName === 'cifs' && props.username === undefined) ctx.out.err(`storage ${id}: ignoring password parameter, no user set`);
}

/** What activate_storage finds on the simulated host: offline servers and LVM thin pools come from sim.json. */
function activate(env: SimEnv, typeName: string, id: string, props: Record<string, string>): void {
  const offline = env.settings.offline_servers ?? [];
  // Storage.pm activate_storage: check_connection for network storages.
  if (props.server !== undefined && offline.includes(props.server)) throw new SimError(`create storage failed: storage '${id}' is not online`);
  if (typeName === 'lvmthin') {
    const thinPools = env.settings.lvm_thinpools ?? ['pve/data'];
    // LvmThinPlugin.pm $activate_lv.
    if (!thinPools.includes(`${props.vgname}/${props.thinpool}`)) throw new SimError(`create storage failed: no such logical volume ${props.vgname}/${props.thinpool}`);
  }
  if ((typeName === 'nfs' || typeName === 'cifs' || typeName === 'dir') && props.path) mkdirSync(env.path(props.path), { recursive: true });
}

async function add(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pvesm add <type> <storage> [OPTIONS]',
      positionals: [arg('type', { type: 'string', enum: Object.keys(STORAGE_TYPES) }), arg('storage', STORAGE_ID)],
      options: ADD_OPTIONS,
    },
    args,
  );
  const typeName = parsed.positionals.type!;
  const id = parsed.positionals.storage!;
  const { password, ...options } = parsed.options;
  if (options.nodes === '') delete options.nodes;
  const props = checkConfig(ctx, typeName, id, password === undefined ? options : { ...options, password }, true);
  delete props.password;
  // Before the content defaults were read at runtime only dir and zfspool were simulated; they keep writing them.
  if (typeName === 'dir' || typeName === 'zfspool') props.content ??= typeName === 'zfspool' ? 'images,rootdir' : 'iso,vztmpl,backup';
  await withNodeLock(ctx.env, () => {
    const storages = loadStorages(ctx.env);
    if (storages.some((s) => s.id === id)) throw new SimError(`create storage failed: storage ID '${id}' already defined`);
    activate(ctx.env, typeName, id, props);
    storePassword(ctx, typeName, id, password, props);
    storages.push({ type: typeName, id, props });
    saveStorages(ctx.env, storages);
  });
}

async function set(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pvesm set <storage> [OPTIONS]',
      positionals: [arg('storage', STORAGE_ID)],
      options: { ...SET_OPTIONS, delete: { type: 'string' }, digest: { type: 'string' } },
    },
    args,
  );
  const id = parsed.positionals.storage!;
  // `--digest` is accepted but not checked: storage.cfg has no concurrent writers besides us.
  const { delete: deleteList, digest: _digest, ...changes } = parsed.options;
  await withNodeLock(ctx.env, () => {
    const storages = loadStorages(ctx.env);
    const storage = storages.find((s) => s.id === id);
    if (!storage) throw new SimError(`update storage failed: storage '${id}' does not exist`);
    const { password, ...settings } = checkConfig(ctx, storage.type, id, changes, false);
    const deleted = (deleteList ?? '').split(',').filter(Boolean);
    for (const key of deleted) {
      // SectionConfig.pm delete_from_config.
      if (STORAGE_TYPES[storage.type]!.options[key]?.fixed) throw new SimError(`update storage failed: unable to delete fixed option '${key}'`);
    }
    for (const [key, value] of Object.entries(settings)) storage.props[key] = value;
    for (const key of deleted) delete storage.props[key];
    storePassword(ctx, storage.type, id, password, storage.props);
    if (deleted.includes('password')) rmSync(passwordFile(ctx.env, id), { force: true });
    saveStorages(ctx.env, storages);
  });
}

async function remove(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'pvesm remove <storage>', positionals: [arg('storage', STORAGE_ID)], options: {} }, args);
  const id = parsed.positionals.storage!;
  await withNodeLock(ctx.env, () => {
    const storages = loadStorages(ctx.env);
    if (!storages.some((s) => s.id === id)) throw new SimError(`delete storage failed: storage '${id}' does not exist`);
    // on_delete_hook: the credentials go with the storage.
    if (existsSync(passwordFile(ctx.env, id))) rmSync(passwordFile(ctx.env, id));
    saveStorages(ctx.env, storages.filter((s) => s.id !== id));
  });
}

function status(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs(
    { usage: 'pvesm status [OPTIONS]', positionals: [], options: { storage: { type: 'string' }, content: { type: 'string' }, enabled: { type: 'boolean' } } },
    args,
  );
  let storages = loadStorages(ctx.env);
  if (parsed.options.storage) storages = storages.filter((s) => s.id === parsed.options.storage);
  if (parsed.options.content) storages = storages.filter((s) => (s.props.content ?? '').split(',').includes(parsed.options.content!));
  const width = Math.max(0, ...storages.map((s) => s.id.length)) + 1;
  const header = ['Name', 'Type', 'Status', 'Total', 'Used', 'Available', '%'];
  ctx.out.line(`${header[0]!.padEnd(width)} ${header[1]!.padStart(10)} ${header[2]!.padStart(10)} ${header[3]!.padStart(15)} ${header[4]!.padStart(15)} ${header[5]!.padStart(15)} ${header[6]!.padStart(8)}`);
  for (const storage of storages) {
    const disabled = storage.props.disable === '1';
    const usage = storageUsage(ctx.env, storage);
    const state = disabled ? 'disabled' : usage.active ? 'active' : 'inactive';
    const percent = usage.total > 0 ? (usage.used / usage.total) * 100 : 0;
    const kib = (bytes: number) => String(Math.trunc(bytes / 1024)).padStart(15);
    ctx.out.line(
      `${storage.id.padEnd(width)} ${storage.type.padStart(10)} ${state.padStart(10)} ${kib(usage.total)} ${kib(usage.used)} ${kib(usage.avail)} ${(percent.toFixed(2) + '%').padStart(8)}`,
    );
  }
}

export function run(ctx: CommandContext, args: string[]): Promise<void> {
  return dispatch('pvesm', { add, set, remove, status }, ctx, args);
}
