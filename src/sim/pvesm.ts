/** pvesm: add (dir, zfspool), set, remove, status — storages kept in etc/pve/storage.cfg. */
import { mkdirSync } from 'node:fs';
import { parseArgs } from './core/args.js';
import { arg } from './core/guest-args.js';
import type { CommandContext } from './core/context.js';
import { dispatch } from './core/dispatch.js';
import { SimError, verificationError } from './core/errors.js';
import { withNodeLock } from './core/node-lock.js';
import type { ParamSpec } from './core/schema.js';
import { loadStorages, saveStorages } from './storage/config.js';
import { storageUsage } from './storage/status.js';

export const STORAGE_ID: ParamSpec = {
  type: 'string',
  check: (v) => (/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v) ? undefined : `storage ID '${v}' contains illegal characters`),
};

const CONTENT_TYPES: Record<string, string[]> = {
  dir: ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'],
  zfspool: ['images', 'rootdir'],
};

/** Options `add` and `set` share (`path` and `pool` are fixed once added). */
const SETTABLE_OPTIONS: Record<string, ParamSpec> = {
  content: { type: 'string' },
  sparse: { type: 'boolean' },
  nodes: { type: 'string' },
  disable: { type: 'boolean' },
  shared: { type: 'boolean' },
  mkdir: { type: 'boolean' },
  blocksize: { type: 'string' },
  mountpoint: { type: 'string' },
};

function verifyContent(type: string, content: string | undefined): void {
  for (const item of (content ?? '').split(',').filter(Boolean)) {
    if (!CONTENT_TYPES[type]?.includes(item)) {
      throw verificationError({ content: `invalid format - storage does not support content type '${item}'` });
    }
  }
}

/** Which option each type requires. */
const REQUIRED_OPTION: Record<string, string> = { dir: 'path', zfspool: 'pool' };

async function add(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pvesm add <type> <storage> [OPTIONS]',
      positionals: [arg('type', { type: 'string', enum: Object.keys(CONTENT_TYPES) }), arg('storage', STORAGE_ID)],
      options: { path: { type: 'string' }, pool: { type: 'string' }, ...SETTABLE_OPTIONS },
    },
    args,
  );
  const type = parsed.positionals.type!;
  const id = parsed.positionals.storage!;
  const options = parsed.options;
  const required = REQUIRED_OPTION[type]!;
  if (options[required] === undefined) throw verificationError({ [required]: 'property is missing and it is not optional' });
  for (const other of Object.values(REQUIRED_OPTION)) {
    if (other !== required && options[other] !== undefined) throw verificationError({ [other]: `option is not allowed for storage type '${type}'` });
  }
  verifyContent(type, options.content);
  await withNodeLock(ctx.env, () => {
    const storages = loadStorages(ctx.env);
    if (storages.some((s) => s.id === id)) throw new SimError(`create storage failed: storage ID '${id}' already defined`);
    const props: Record<string, string> = {};
    for (const [key, value] of Object.entries(options)) props[key] = value;
    props.content ??= type === 'zfspool' ? 'images,rootdir' : 'iso,vztmpl,backup';
    if (type === 'dir') mkdirSync(ctx.env.path(props.path!), { recursive: true });
    storages.push({ type, id, props });
    saveStorages(ctx.env, storages);
  });
}

async function set(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pvesm set <storage> [OPTIONS]',
      positionals: [arg('storage', STORAGE_ID)],
      options: { ...SETTABLE_OPTIONS, delete: { type: 'string' }, digest: { type: 'string' } },
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
    verifyContent(storage.type, changes.content);
    for (const [key, value] of Object.entries(changes)) storage.props[key] = value;
    for (const key of (deleteList ?? '').split(',').filter(Boolean)) delete storage.props[key];
    saveStorages(ctx.env, storages);
  });
}

async function remove(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'pvesm remove <storage>', positionals: [arg('storage', STORAGE_ID)], options: {} }, args);
  const id = parsed.positionals.storage!;
  await withNodeLock(ctx.env, () => {
    const storages = loadStorages(ctx.env);
    if (!storages.some((s) => s.id === id)) throw new SimError(`delete storage failed: storage '${id}' does not exist`);
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
