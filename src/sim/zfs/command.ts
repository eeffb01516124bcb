/**
 * zfs(8): create, set, get, inherit, list, destroy, rename on the simulated pools. Exit codes as zfs:
 * 0 success, 1 error, 2 bad usage.
 */
import type { CommandContext } from '../core/context.js';
import { SimError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import {
  createDataset,
  descendants,
  destroyDataset,
  getProperty,
  loadZfs,
  normaliseProperty,
  renameDataset,
  requireDataset,
  saveZfs,
  sortedNames,
  type ZfsState,
} from './model.js';
import { getopt as posixGetopt, renderTable, zfsFailure } from './getopt.js';
import { ALL_ORDER, canonicalProperty, isUserProperty, PROPERTIES } from './properties.js';

const USAGE = 2;
const FAILURE = 1;

function getopt(command: string, args: string[], flags: string, values: string) {
  return posixGetopt(args, flags, values, (message) => usageError(command, message));
}

const USAGES: Record<string, string> = {
  create: 'create [-Pnpuv] [-o property=value] ... <filesystem>\n\tcreate [-Pnpsv] [-b blocksize] [-o property=value] ... -V <size> <volume>',
  set: 'set <property=value> ... <filesystem|volume|snapshot> ...',
  get: 'get [-rHp] [-d max] [-o "all" | field[,...]]\n\t    [-t type[,...]] [-s source[,...]]\n\t    <"all" | property[,...]> [filesystem|volume|snapshot|bookmark] ...',
  inherit: 'inherit [-rS] <property> <filesystem|volume|snapshot> ...',
  list: 'list [-Hp] [-r|-d max] [-o property[,...]] [-s property]...\n\t    [-S property]... [-t type[,...]] [filesystem|volume|snapshot] ...',
  destroy: 'destroy [-fnpRrv] <filesystem|volume>',
  rename: 'rename [-f] <filesystem|volume|snapshot> <filesystem|volume|snapshot>\n\trename -p [-f] <filesystem|volume> <filesystem|volume>\n\trename -u [-f] <filesystem> <filesystem>',
};

function usageError(command: string, message: string): SimError {
  return new SimError(`${message}\nusage:\n\t${USAGES[command]}`, USAGE);
}

async function mutate(ctx: CommandContext, body: (state: ZfsState) => void): Promise<void> {
  await withNodeLock(ctx.env, () => {
    const state = loadZfs(ctx.env);
    try {
      body(state);
    } catch (e) {
      zfsFailure(e);
    }
    saveZfs(ctx.env, state);
  });
}

function splitAssignment(command: string, text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw usageError(command, `missing '=' for property=value argument`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

async function create(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt('create', args, 'Ppnusv', 'obV');
  if (opts.operands.length === 0) throw usageError('create', 'missing filesystem argument');
  if (opts.operands.length > 1) throw usageError('create', 'too many arguments');
  const name = opts.operands[0]!;
  const props: Record<string, string> = {};
  for (const assignment of opts.values.o ?? []) {
    const [key, value] = splitAssignment('create', assignment);
    props[key] = value;
  }
  const volsize = opts.values.V?.at(-1);
  if (volsize !== undefined) props.volsize = volsize;
  if (opts.values.b) props.volblocksize = opts.values.b.at(-1)!;
  await mutate(ctx, (state) =>
    createDataset(state, name, {
      type: volsize !== undefined ? 'volume' : 'filesystem',
      props,
      createParents: opts.flags.has('p'),
      sparse: opts.flags.has('s'),
    }),
  );
}

async function set(ctx: CommandContext, args: string[]): Promise<void> {
  const assignments = args.filter((a) => a.includes('='));
  const datasets = args.filter((a) => !a.includes('='));
  if (assignments.length === 0) throw usageError('set', 'missing arguments');
  if (datasets.length === 0) throw usageError('set', 'missing dataset name(s)');
  await mutate(ctx, (state) => {
    for (const name of datasets) {
      const dataset = requireDataset(state, name);
      for (const assignment of assignments) {
        const [key, value] = splitAssignment('set', assignment);
        const [canonical, normalised] = normaliseProperty(`cannot set property for '${name}'`, dataset.type, key, value, 'set');
        dataset.props[canonical] = normalised;
      }
    }
  });
}

async function inherit(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt('inherit', args, 'rS', '');
  const [property, ...datasets] = opts.operands;
  if (!property) throw usageError('inherit', 'missing property argument');
  if (datasets.length === 0) throw usageError('inherit', 'missing dataset argument');
  const canonical = canonicalProperty(property);
  if (!canonical) throw usageError('inherit', `invalid property '${property}'`);
  assertInheritable(property, canonical, opts.flags.has('S'));
  await mutate(ctx, (state) => {
    for (const name of datasets) {
      requireDataset(state, name);
      const targets = opts.flags.has('r') ? [name, ...descendants(state, name)] : [name];
      for (const target of targets) delete state.datasets[target]!.props[canonical];
    }
  });
}

/**
 * cmd/zfs/zfs_main.c zfs_do_inherit: statistics are read-only; PROP_DEFAULT properties (quota,
 * reservation, canmount, volsize...: module/zcommon/zfs_prop.c, zfs_prop_inheritable) cannot be inherited,
 * and for the four space limits zfs says how to clear them instead.
 */
function assertInheritable(given: string, canonical: string, received: boolean): void {
  if (isUserProperty(canonical)) return;
  const info = PROPERTIES[canonical]!;
  if (info.kind === 'stat') throw new SimError(`${given} property is read-only`, FAILURE);
  if (info.kind === 'settable' && !info.inherit && !received) {
    const lines = [`'${given}' property cannot be inherited`];
    if (['quota', 'reservation', 'refquota', 'refreservation'].includes(canonical)) {
      lines.push(`use 'zfs set ${given}=none' to clear`, `use 'zfs inherit -S ${given}' to revert to received value`);
    }
    throw new SimError(lines.join('\n'), FAILURE);
  }
}

function parsePropertyList(command: string, text: string, allowAll: boolean): string[] {
  if (allowAll && text === 'all') return ['all'];
  return text.split(',').map((name) => {
    const canonical = canonicalProperty(name);
    if (!canonical) throw usageError(command, `bad property list: invalid property '${name}'`);
    return canonical;
  });
}

/**
 * The datasets a get/list covers. Like zfs, a missing operand is reported on stderr and the others are
 * still printed; the command then exits 1.
 */
function selectDatasets(
  ctx: CommandContext,
  state: ZfsState,
  operands: string[],
  recursive: boolean,
  depth: number | undefined,
  types: string[],
): string[] {
  const roots = operands.length ? operands : sortedNames(Object.keys(state.datasets).filter((n) => !n.includes('/')));
  const everything = operands.length === 0 && depth === undefined;
  const selected: string[] = [];
  for (const root of roots) {
    if (!state.datasets[root]) {
      ctx.out.err(`cannot open '${root}': dataset does not exist`);
      ctx.exitCode = FAILURE;
      continue;
    }
    selected.push(root);
    if (recursive || everything || depth !== undefined) {
      const rootDepth = root.split('/').length;
      for (const child of descendants(state, root)) {
        if (depth === undefined || child.split('/').length - rootDepth <= depth) selected.push(child);
      }
    }
  }
  const unique = sortedNames(new Set(selected));
  return unique.filter((n) => types.includes('all') || types.includes(state.datasets[n]!.type));
}

function get(ctx: CommandContext, args: string[]): void {
  const opts = getopt('get', args, 'rHp', 'dost');
  const [propertyText, ...operands] = opts.operands;
  if (!propertyText) throw usageError('get', 'missing property argument');
  const fields = (opts.values.o?.at(-1) ?? 'name,property,value,source').split(',');
  for (const field of fields) {
    if (!['name', 'property', 'value', 'received', 'source', 'all'].includes(field)) throw usageError('get', `invalid field '${field}'`);
  }
  const shownFields = fields.includes('all') ? ['name', 'property', 'value', 'received', 'source'] : fields;
  const properties = parsePropertyList('get', propertyText, true);
  const sources = opts.values.s?.at(-1)?.split(',');
  const types = (opts.values.t?.at(-1) ?? 'filesystem,volume').split(',');
  const parsable = opts.flags.has('p');
  const state = loadZfs(ctx.env);
  const depth = opts.values.d ? Number(opts.values.d.at(-1)) : undefined;
  const names = selectDatasets(ctx, state, operands, opts.flags.has('r'), depth, types);
  const rows: string[][] = [];
  for (const name of names) {
    const wanted =
      properties[0] === 'all'
        ? [...ALL_ORDER, ...Object.keys(state.datasets[name]!.props).filter(isUserProperty).sort()]
        : properties;
    for (const property of wanted) {
      const found = getProperty(state, name, property, parsable);
      if (!found) {
        if (properties[0] === 'all') continue;
      }
      const value = found ?? { value: '-', source: '-' };
      const sourceKind = value.source.startsWith('inherited') ? 'inherited' : value.source === '-' ? 'none' : value.source;
      if (sources && !sources.includes(sourceKind)) continue;
      const cells: Record<string, string> = { name, property, value: value.value, received: '-', source: value.source };
      rows.push(shownFields.map((f) => cells[f]!));
    }
  }
  ctx.out.out(renderTable(shownFields.map((f) => f.toUpperCase()), rows, opts.flags.has('H'), shownFields.map(() => false)));
}

const LIST_HEADERS: Record<string, string> = { available: 'AVAIL', referenced: 'REFER' };

function list(ctx: CommandContext, args: string[]): void {
  const opts = getopt('list', args, 'rHp', 'dosSt');
  const columnText = opts.values.o?.at(-1) ?? 'name,used,available,referenced,mountpoint';
  const columns = columnText.split(',').map((c) => (c === 'name' ? c : parsePropertyList('list', c, false)[0]!));
  const types = (opts.values.t?.at(-1) ?? 'filesystem,volume').split(',');
  for (const type of types) {
    if (!['filesystem', 'volume', 'snapshot', 'bookmark', 'all', 'snap', 'fs', 'vol'].includes(type)) {
      throw usageError('list', `invalid type '${type}'`);
    }
  }
  const normalisedTypes = types.map((t) => ({ fs: 'filesystem', vol: 'volume', snap: 'snapshot' })[t] ?? t);
  const parsable = opts.flags.has('p');
  const state = loadZfs(ctx.env);
  const depth = opts.values.d ? Number(opts.values.d.at(-1)) : undefined;
  const names = selectDatasets(ctx, state, opts.operands, opts.flags.has('r'), depth, normalisedTypes);
  const rows = names.map((name) =>
    columns.map((column) => (column === 'name' ? name : getProperty(state, name, column, parsable)?.value ?? '-')),
  );
  const header = columns.map((c) => LIST_HEADERS[c] ?? c.toUpperCase());
  const rightAligned = columns.map((c) => Boolean(PROPERTIES[c]?.bytes));
  ctx.out.out(renderTable(header, rows, opts.flags.has('H'), rightAligned));
}

async function destroy(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt('destroy', args, 'fnpRrv', '');
  if (opts.operands.length === 0) throw usageError('destroy', 'missing dataset argument');
  if (opts.operands.length > 1) throw usageError('destroy', 'too many arguments');
  const recursive = opts.flags.has('r') || opts.flags.has('R');
  if (opts.flags.has('n')) return;
  await mutate(ctx, (state) => destroyDataset(state, opts.operands[0]!, recursive));
}

async function rename(ctx: CommandContext, args: string[]): Promise<void> {
  const opts = getopt('rename', args, 'fpu', '');
  if (opts.operands.length < 2) throw usageError('rename', `missing ${opts.operands.length === 0 ? 'source' : 'target'} dataset argument`);
  if (opts.operands.length > 2) throw usageError('rename', 'too many arguments');
  await mutate(ctx, (state) => renameDataset(state, opts.operands[0]!, opts.operands[1]!, opts.flags.has('p')));
}

const COMMANDS: Record<string, (ctx: CommandContext, args: string[]) => Promise<void> | void> = {
  create,
  set,
  get,
  inherit,
  list,
  destroy,
  rename,
};

export async function run(ctx: CommandContext, args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined) throw new SimError(`usage: zfs command args ...`, USAGE);
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) throw new SimError(`unrecognized command '${command}'\nusage: zfs command args ...`, USAGE);
  await handler(ctx, rest);
}
