/**
 * zpool(8): create, destroy, list, get, set, status, import, export on the simulated pools (OpenZFS
 * cmd/zpool/zpool_main.c; vdev rules in zpool/model.ts after zpool_vdev.c). Exit codes as zpool: 0
 * success, 1 error, 2 bad usage. Pools live in var/sim/zfs.json with the datasets, so `zfs create`
 * works on a pool right after `zpool create`.
 */
import type { CommandContext } from '../core/context.js';
import { SimError } from '../core/errors.js';
import { formatZfsNumber } from '../core/sizes.js';
import { withNodeLock } from '../core/node-lock.js';
import { loadZfs, normaliseProperty, saveZfs, ZfsError } from '../zfs/model.js';
import { getopt, renderTable, zfsFailure } from '../zfs/getopt.js';
import { devicesOf, guidFor, parseVdevSpec, poolConfig, poolNameProblem, poolSize, statusConfigLines, type PoolState } from './model.js';
import { ASHIFT_MAX, ASHIFT_MIN, isPoolProperty, POOL_PROPERTIES } from './properties.js';

const USAGES: Record<string, string> = {
  create: 'create [-fnd] [-o property=value] ... \n\t    [-O file-system-property=value] ... \n\t    [-m mountpoint] [-R root] <pool> <vdev> ...',
  destroy: 'destroy [-f] <pool>',
  export: 'export [-af] <pool> ...',
  import: 'import [-d dir] [-D]\n\timport [-o mntopts] [-o property=value] ... \n\t    [-d dir | -c cachefile] [-D] [-l] [-f] [-m] [-N] [-R root] [-F [-n]] -a\n\timport [-o mntopts] [-o property=value] ... \n\t    [-d dir | -c cachefile] [-D] [-l] [-f] [-m] [-N] [-R root] [-F [-n]]\n\t    [--rewind-to-checkpoint] <pool | id> [newpool]',
  list: 'list [-gHLpPv] [-o property[,...]] [-j [--json-int, --json-pool-key-guid]] ...\n\t    [-T d|u] [pool] [interval [count]]',
  status: 'status [-DdegiLPpstvx] [-c script1[,script2,...]] ...\n\t    [-j|--json [--json-flat-vdevs] [--json-int] [--json-pool-key-guid]] ...\n\t    [-T d|u] [--power] [pool] [interval [count]]',
  get: 'get [-Hp] [-j [--json-int, --json-pool-key-guid]] ...\n\t    [-o "all" | field[,...]] <"all" | property[,...]> <pool> ...',
  set: 'set <property=value> <pool>\n\tset <vdev_property=value> <pool> <vdev>',
};

const FAILURE = 1;

function usage(command: string, message: string): SimError {
  return new SimError(`${message}\nusage:\n\t${USAGES[command]}`, 2);
}

async function mutate(ctx: CommandContext, body: (state: PoolState) => void): Promise<void> {
  await withNodeLock(ctx.env, () => {
    const state: PoolState = loadZfs(ctx.env);
    try {
      body(state);
    } catch (e) {
      zfsFailure(e);
    }
    saveZfs(ctx.env, state);
  });
}

/** zpool_valid_proplist / zprop_parse_value: readonly and index checks, prefixed with the command's context. */
function checkPoolProperty(context: string, name: string, value: string, when: 'create' | 'set'): string {
  const info = POOL_PROPERTIES[name];
  if (!info) throw new ZfsError(`${context}: invalid property '${name}'`);
  if (info.readonly) throw new ZfsError(`${context}: '${name}' is readonly`);
  if (info.values && !info.values.includes(value)) throw new ZfsError(`${context}: '${name}' must be one of '${info.values.join(' | ')}'`);
  if (name === 'ashift') {
    // zpool_vdev.c make_root_vdev (create) / zprop_parse_value (set).
    if (!/^\d+$/.test(value)) throw new ZfsError(when === 'create' ? 'ashift must be a number.' : `${context}: 'ashift' must be a number`);
    const n = Number(value);
    if (n !== 0 && (n < ASHIFT_MIN || n > ASHIFT_MAX)) {
      throw new ZfsError(`invalid 'ashift=${n}' property: only values between ${ASHIFT_MIN} and ${ASHIFT_MAX} are allowed.`);
    }
  }
  return value;
}

function splitAssignment(command: string, text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw usage(command, `missing '=' for property=value argument`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

async function create(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt(args, 'fnd', 'oOmRt', (m) => usage('create', m));
  const [name, ...spec] = opts.operands;
  if (name === undefined) throw usage('create', 'missing pool name argument');
  if (spec.length === 0) throw usage('create', 'missing vdev specification');
  const props: Record<string, string> = {};
  for (const assignment of opts.values.o ?? []) {
    const [key, value] = splitAssignment('create', assignment);
    // zpool_main.c add_prop_list: unknown names are refused before anything else.
    if (!isPoolProperty(key)) throw new SimError(`property '${key}' is not a valid pool or vdev property`, FAILURE);
    if (props[key] !== undefined) throw new SimError(`property '${key}' specified multiple times`, FAILURE);
    props[key] = value;
  }
  const context = `cannot create '${name}'`;
  await mutate(ctx, (state) => {
    const problem = poolNameProblem(name);
    if (problem) throw new ZfsError(`${context}: ${problem}`);
    for (const [key, value] of Object.entries(props)) checkPoolProperty(context, key, value, 'create');
    const layout = parseVdevSpec(spec);
    // zpool_vdev.c check_in_use: a device of an active pool is refused, one of an exported pool needs -f.
    const inUse = (device: string) => {
      for (const [pool, config] of Object.entries(state.poolConfigs ?? {})) if (devicesOf(config).includes(device)) return { pool, kind: 'active' };
      for (const [pool, exported] of Object.entries(state.exportedPools ?? {})) if (devicesOf(exported.config).includes(device)) return { pool, kind: 'exported' };
      for (const pool of Object.keys(state.pools)) if (devicesOf(poolConfig(state, pool)).includes(device)) return { pool, kind: 'active' };
      return undefined;
    };
    const force = opts.flags.has('f');
    const conflicts = [...layout.vdevs.flatMap((v) => v.disks), ...layout.cache, ...layout.spares]
      .map((device) => ({ device, use: inUse(device) }))
      .filter(({ use }) => use && (use.kind === 'active' || !force));
    if (conflicts.length > 0) {
      const header = force ? 'the following errors must be manually repaired:' : "use '-f' to override the following errors:";
      throw new ZfsError(['invalid vdev specification', header, ...conflicts.map(({ device, use }) => `${device} is part of ${use!.kind} pool '${use!.pool}'`)].join('\n'));
    }
    const all = [...layout.vdevs.flatMap((v) => v.disks), ...layout.cache, ...layout.spares];
    if (all.some((d, i) => all.indexOf(d) !== i)) {
      // libzfs_pool.c zpool_create, EBUSY.
      throw new ZfsError(`${context}: one or more vdevs refer to the same device, or one of\nthe devices is part of an active md or lvm device`);
    }
    if (state.pools[name] !== undefined || state.datasets[name]) throw new ZfsError(`${context}: pool already exists`);
    const rootProps: Record<string, string> = {};
    for (const assignment of opts.values.O ?? []) {
      const [key, value] = splitAssignment('create', assignment);
      const [canonical, normalised] = normaliseProperty(context, 'filesystem', key, value, 'create');
      rootProps[canonical] = normalised;
    }
    const mountpoint = opts.values.m?.at(-1);
    if (mountpoint !== undefined) rootProps.mountpoint = mountpoint;
    if (opts.flags.has('n')) return;
    const config = { ...layout, props, guid: guidFor(`${name}:${Date.now()}`) };
    state.poolConfigs ??= {};
    state.poolConfigs[name] = config;
    state.pools[name] = poolSize(config);
    state.datasets[name] = { type: 'filesystem', creation: Math.floor(Date.now() / 1000), props: rootProps };
  });
}

function requirePool(state: PoolState, name: string): void {
  // libzfs_pool.c zpool_open_canfail.
  if (state.pools[name] === undefined) throw new ZfsError(`cannot open '${name}': no such pool`);
}

async function destroy(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt(args, 'f', '', (m) => usage('destroy', m));
  if (opts.operands.length === 0) throw usage('destroy', 'missing pool argument');
  if (opts.operands.length > 1) throw usage('destroy', 'too many arguments');
  const name = opts.operands[0]!;
  await mutate(ctx, (state) => {
    if (state.pools[name] === undefined) {
      throw new ZfsError(`cannot open '${name}': no such pool${name.includes('/') ? "\nuse 'zfs destroy' to destroy a dataset" : ''}`);
    }
    removePool(state, name);
  });
}

function removePool(state: PoolState, name: string): void {
  delete state.pools[name];
  delete state.poolConfigs?.[name];
  for (const dataset of Object.keys(state.datasets)) if (dataset === name || dataset.startsWith(`${name}/`)) delete state.datasets[dataset];
}

async function exportPools(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt(args, 'af', '', (m) => usage('export', m));
  if (opts.operands.length === 0) throw usage('export', 'missing pool argument');
  await mutate(ctx, (state) => {
    for (const name of opts.operands) {
      requirePool(state, name);
      const datasets = Object.fromEntries(Object.entries(state.datasets).filter(([d]) => d === name || d.startsWith(`${name}/`)));
      state.exportedPools ??= {};
      state.exportedPools[name] = { size: state.pools[name]!, config: poolConfig(state, name), datasets };
      removePool(state, name);
    }
  });
}

async function importPools(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt(args, 'aDfFlmnNX', 'cdoR', (m) => usage('import', m));
  const state: PoolState = loadZfs(ctx.env);
  const exported = state.exportedPools ?? {};
  if (opts.operands.length === 0 && !opts.flags.has('a')) {
    // zpool_main.c import_pools with no pool: describe what could be imported.
    if (Object.keys(exported).length === 0) throw new SimError('no pools available to import', FAILURE);
    for (const [name, pool] of Object.entries(exported)) {
      ctx.out.out(`   pool: ${name}\n     id: ${pool.config.guid}\n  state: ONLINE\n action: The pool can be imported using its name or numeric identifier.\n config:\n\n`);
      ctx.out.out(statusConfigLines(name, pool.config).slice(1).map((l) => l.replace(/\s+0\s+0\s+0$/, '')).join('\n') + '\n');
    }
    return;
  }
  if (opts.operands.length > 2) throw usage('import', 'too many arguments');
  const names = opts.flags.has('a') ? Object.keys(exported) : [opts.operands[0]!];
  const newName = opts.operands[1];
  await mutate(ctx, (live) => {
    for (const requested of names) {
      const entry = Object.entries(live.exportedPools ?? {}).find(([n, p]) => n === requested || p.config.guid === requested);
      const target = newName ?? entry?.[0] ?? requested;
      if (live.pools[target] !== undefined) {
        if (entry) throw new ZfsError(`cannot import '${requested}': a pool with that name already exists\nuse the form 'zpool import <pool | id> <newpool>' to give it a new name`);
        throw new ZfsError(`cannot import '${requested}': a pool with that name is already created/imported,\nand no additional pools with that name were found`);
      }
      if (!entry) throw new ZfsError(`cannot import '${requested}': no such pool available`);
      const [oldName, pool] = entry;
      live.pools[target] = pool.size;
      live.poolConfigs ??= {};
      live.poolConfigs[target] = pool.config;
      for (const [dataset, value] of Object.entries(pool.datasets)) live.datasets[target + dataset.slice(oldName.length)] = value;
      delete live.exportedPools![oldName];
    }
  });
}

function poolNames(ctx: CommandContext, state: PoolState, operands: string[]): string[] {
  if (operands.length === 0) return Object.keys(state.pools).sort();
  return operands.filter((name) => {
    if (state.pools[name] !== undefined) return true;
    ctx.out.err(`cannot open '${name}': no such pool`);
    ctx.exitCode = FAILURE;
    return false;
  });
}

/** One pool property as `zpool get` reports it. */
function poolProperty(state: PoolState, name: string, property: string, parsable: boolean): { value: string; source: string } {
  const config = poolConfig(state, name);
  const size = state.pools[name] ?? 0;
  const allocated = Object.keys(state.datasets).filter((d) => d === name || d.startsWith(`${name}/`)).length * 98304;
  const bytes = (n: number) => (parsable ? String(n) : formatZfsNumber(n));
  switch (property) {
    case 'name':
      return { value: name, source: '-' };
    case 'size':
      return { value: bytes(size), source: '-' };
    case 'allocated':
      return { value: bytes(allocated), source: '-' };
    case 'free':
      return { value: bytes(size - allocated), source: '-' };
    case 'capacity':
      return { value: parsable ? '0' : '0%', source: '-' };
    case 'fragmentation':
      return { value: parsable ? '0' : '0%', source: '-' };
    case 'dedupratio':
      return { value: parsable ? '1.00' : '1.00x', source: '-' };
    case 'guid':
      return { value: config.guid, source: '-' };
    case 'health':
      return { value: 'ONLINE', source: '-' };
  }
  const local = config.props[property];
  if (local !== undefined) return { value: local, source: 'local' };
  return { value: POOL_PROPERTIES[property]!.defaultValue, source: POOL_PROPERTIES[property]!.readonly ? '-' : 'default' };
}

function get(ctx: CommandContext, args: string[]): void {
  const opts = getopt(args, 'Hp', 'o', (m) => usage('get', m));
  const [propertyText, ...operands] = opts.operands;
  if (!propertyText) throw usage('get', 'missing property argument');
  const fields = (opts.values.o?.at(-1) ?? 'name,property,value,source').split(',');
  for (const field of fields) if (!['name', 'property', 'value', 'source', 'all'].includes(field)) throw usage('get', `invalid field '${field}'`);
  const shown = fields.includes('all') ? ['name', 'property', 'value', 'source'] : fields;
  const properties = propertyText === 'all' ? Object.keys(POOL_PROPERTIES) : propertyText.split(',');
  for (const property of properties) if (property !== 'name' && !isPoolProperty(property)) throw usage('get', `bad property list: invalid property '${property}'`);
  const state: PoolState = loadZfs(ctx.env);
  const rows: string[][] = [];
  for (const name of poolNames(ctx, state, operands)) {
    for (const property of properties) {
      const found = poolProperty(state, name, property, opts.flags.has('p'));
      const cells: Record<string, string> = { name, property, value: found.value, source: found.source };
      rows.push(shown.map((f) => cells[f]!));
    }
  }
  ctx.out.out(renderTable(shown.map((f) => f.toUpperCase()), rows, opts.flags.has('H'), shown.map(() => false)));
}

function list(ctx: CommandContext, args: string[]): void {
  const opts = getopt(args, 'gHLpPv', 'oT', (m) => usage('list', m));
  const columns = (opts.values.o?.at(-1) ?? 'name,size,allocated,free,fragmentation,capacity,dedupratio,health,altroot').split(',').map((c) =>
    ({ alloc: 'allocated', cap: 'capacity', frag: 'fragmentation', dedup: 'dedupratio' })[c] ?? c,
  );
  for (const column of columns) if (column !== 'name' && !isPoolProperty(column)) throw usage('list', `invalid property '${column}'`);
  const state: PoolState = loadZfs(ctx.env);
  const rows = poolNames(ctx, state, opts.operands).map((name) => columns.map((c) => poolProperty(state, name, c, opts.flags.has('p')).value));
  if (rows.length === 0 && opts.operands.length === 0) {
    ctx.out.out('no pools available\n');
    return;
  }
  const header = columns.map((c) => ({ allocated: 'ALLOC', capacity: 'CAP', fragmentation: 'FRAG', dedupratio: 'DEDUP' })[c] ?? c.toUpperCase());
  ctx.out.out(renderTable(header, rows, opts.flags.has('H'), columns.map((c) => c !== 'name' && c !== 'health' && c !== 'altroot')));
}

async function set(ctx: CommandContext, args: string[]): Promise<void> {
  const [assignment, name, ...rest] = args;
  if (assignment === undefined) throw usage('set', 'missing property=value argument');
  if (name === undefined) throw usage('set', 'missing pool name');
  if (rest.length > 0) throw usage('set', 'too many pool names');
  const [key, value] = splitAssignment('set', assignment);
  await mutate(ctx, (state) => {
    requirePool(state, name);
    checkPoolProperty(`cannot set property for '${name}'`, key, value, 'set');
    poolConfig(state, name).props[key] = value;
  });
}

function status(ctx: CommandContext, args: string[]): void {
  const opts = getopt(args, 'DdegiLPpstvx', 'cT', (m) => usage('status', m));
  const state: PoolState = loadZfs(ctx.env);
  const names = poolNames(ctx, state, opts.operands);
  if (names.length === 0 && opts.operands.length === 0) {
    ctx.out.out('no pools available\n');
    return;
  }
  const blocks = names.map((name) =>
    [`  pool: ${name}`, ' state: ONLINE', 'config:', '', ...statusConfigLines(name, poolConfig(state, name)), '', 'errors: No known data errors'].join('\n'),
  );
  ctx.out.out(blocks.join('\n\n') + '\n');
}

const COMMANDS: Record<string, (ctx: CommandContext, args: string[]) => Promise<void> | void> = {
  create,
  destroy,
  export: exportPools,
  import: importPools,
  list,
  get,
  set,
  status,
};

export async function run(ctx: CommandContext, args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined) throw new SimError('usage: zpool command args ...', 2);
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) throw new SimError(`unrecognized command '${command}'\nusage: zpool command args ...`, 2);
  await handler(ctx, rest);
}
