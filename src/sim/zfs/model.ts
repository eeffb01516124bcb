/**
 * The simulated ZFS pools and datasets, kept in `var/sim/zfs.json` (mutated under the node lock).
 * Errors are ZfsError with the texts libzfs prints; the zfs command maps them to exit code 1.
 */
import { readJson, writeJson } from '../core/fsutil.js';
import type { SimEnv } from '../core/env.js';
import { formatZfsNumber, parseSize } from '../core/sizes.js';
import { canonicalValue } from './canonical.js';
import { canonicalProperty, isUserProperty, PROPERTIES } from './properties.js';

export interface Dataset {
  type: 'filesystem' | 'volume';
  /** Epoch seconds. */
  creation: number;
  /** Locally set properties; byte values stored as exact byte counts. */
  props: Record<string, string>;
}

export interface ZfsState {
  /** Pool name → size in bytes. */
  pools: Record<string, number>;
  datasets: Record<string, Dataset>;
}

export class ZfsError extends Error {}

const FILESYSTEM_REFERENCED = 98304;
const VOLUME_REFERENCED = 57344;

export function loadZfs(env: SimEnv): ZfsState {
  return readJson<ZfsState>(env.zfsStatePath, { pools: {}, datasets: {} });
}

export function saveZfs(env: SimEnv, state: ZfsState): void {
  writeJson(env.zfsStatePath, state);
}

export function parentOf(name: string): string | null {
  const slash = name.lastIndexOf('/');
  return slash < 0 ? null : name.slice(0, slash);
}

export function poolOf(name: string): string {
  return name.split('/')[0]!;
}

/** Datasets sorted the way `zfs list` sorts them: by name, component by component. */
export function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => {
    const pa = a.split('/');
    const pb = b.split('/');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
    }
    return pa.length - pb.length;
  });
}

export function descendants(state: ZfsState, name: string): string[] {
  return sortedNames(Object.keys(state.datasets).filter((n) => n.startsWith(name + '/')));
}

/** Verify and normalise one `prop=value` for a dataset of `type`; throws ZfsError with `context` prefix. */
export function normaliseProperty(
  context: string,
  type: Dataset['type'],
  name: string,
  value: string,
  when: 'create' | 'set',
): [string, string] {
  const canonical = canonicalProperty(name);
  if (!canonical) throw new ZfsError(`${context}: invalid property '${name}'`);
  if (isUserProperty(canonical)) return [canonical, value];
  const info = PROPERTIES[canonical]!;
  if (info.kind === 'stat' || (info.kind === 'onetime' && when === 'set')) {
    throw new ZfsError(`${context}: '${canonical}' is readonly`);
  }
  if (info.only && info.only !== type) {
    throw new ZfsError(`${context}: '${canonical}' does not apply to datasets of this type`);
  }
  if (info.bytes) {
    if (info.noneWhenZero && value === 'none') return [canonical, '0'];
    const bytes = parseSize(value);
    if (bytes === null) throw new ZfsError(`${context}: bad numeric value '${value}'`);
    // libzfs_dataset.c zfs_valid_proplist: block sizes are powers of 2 from SPA_MINBLOCKSIZE to the max (16M).
    if ((canonical === 'recordsize' || canonical === 'volblocksize') && (bytes < 512 || bytes > 16 * 1024 * 1024 || (bytes & (bytes - 1)) !== 0)) {
      throw new ZfsError(`${context}: '${canonical}' must be power of 2 from 512B to 16M`);
    }
    return [canonical, String(bytes)];
  }
  if (info.values && !info.values.includes(value)) {
    throw new ZfsError(`${context}: '${canonical}' must be one of '${info.valuesText ?? info.values.join(' | ')}'`);
  }
  if (canonical === 'mountpoint' && !['none', 'legacy'].includes(value) && !value.startsWith('/')) {
    throw new ZfsError(`${context}: 'mountpoint' must be an absolute path, 'none', or 'legacy'`);
  }
  return [canonical, canonicalValue(canonical, value)];
}

export interface CreateOptions {
  type: Dataset['type'];
  props: Record<string, string>;
  createParents?: boolean;
  sparse?: boolean;
}

export function createDataset(state: ZfsState, name: string, options: CreateOptions): void {
  const context = `cannot create '${name}'`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:\-/]*$/.test(name) || name.endsWith('/') || name.includes('//')) {
    throw new ZfsError(`${context}: invalid character in name`);
  }
  if (state.pools[poolOf(name)] === undefined) throw new ZfsError(`${context}: no such pool '${poolOf(name)}'`);
  if (state.datasets[name]) {
    // `zfs create -p` on an existing dataset succeeds without touching it (its -o properties are not
    // applied): "If the target already exists and '-p' option was used we should not complain"
    // (cmd/zfs/zfs_main.c, zfs_do_create). Without -p, zfs_create fails with "dataset already exists"
    // (lib/libzfs/libzfs_dataset.c).
    if (options.createParents) return;
    throw new ZfsError(`${context}: dataset already exists`);
  }
  const parent = parentOf(name);
  if (parent === null) throw new ZfsError(`${context}: missing dataset name`);
  if (!state.datasets[parent]) {
    if (!options.createParents) throw new ZfsError(`${context}: parent does not exist`);
    createDataset(state, parent, { type: 'filesystem', props: {}, createParents: true });
  }
  if (state.datasets[parent]!.type === 'volume') throw new ZfsError(`${context}: parent is not a filesystem`);
  const props: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.props)) {
    const [canonical, normalised] = normaliseProperty(context, options.type, key, value, 'create');
    props[canonical] = normalised;
  }
  if (options.type === 'volume') {
    if (props.volsize === undefined) throw new ZfsError(`${context}: missing volume size`);
    if (!options.sparse && props.refreservation === undefined) props.refreservation = props.volsize;
  }
  state.datasets[name] = { type: options.type, creation: Math.floor(Date.now() / 1000), props };
}

export function requireDataset(state: ZfsState, name: string): Dataset {
  const dataset = state.datasets[name];
  if (!dataset) throw new ZfsError(`cannot open '${name}': dataset does not exist`);
  return dataset;
}

export function destroyDataset(state: ZfsState, name: string, recursive: boolean): void {
  requireDataset(state, name);
  const children = descendants(state, name);
  if (children.length > 0 && !recursive) {
    const kind = state.datasets[name]!.type;
    throw new ZfsError(
      [`cannot destroy '${name}': ${kind} has children`, `use '-r' to destroy the following datasets:`, ...children].join('\n'),
    );
  }
  for (const child of [name, ...children]) delete state.datasets[child];
}

export function renameDataset(state: ZfsState, from: string, to: string, createParents = false): void {
  requireDataset(state, from);
  if (state.datasets[to]) throw new ZfsError(`cannot rename '${from}': dataset already exists`);
  if (poolOf(from) !== poolOf(to)) throw new ZfsError(`cannot rename to '${to}': datasets must be within same pool`);
  if (to.startsWith(from + '/')) throw new ZfsError(`cannot rename to '${to}': New dataset name cannot be a descendant of current dataset name`);
  const parent = parentOf(to);
  if (parent && !state.datasets[parent]) {
    if (!createParents) throw new ZfsError(`cannot rename to '${to}': parent does not exist`);
    createDataset(state, parent, { type: 'filesystem', props: {}, createParents: true });
  }
  for (const name of [from, ...descendants(state, from)]) {
    state.datasets[to + name.slice(from.length)] = state.datasets[name]!;
    delete state.datasets[name];
  }
}

function referenced(dataset: Dataset): number {
  return dataset.type === 'volume' ? VOLUME_REFERENCED : FILESYSTEM_REFERENCED;
}

function used(state: ZfsState, name: string): number {
  const dataset = state.datasets[name]!;
  const own = referenced(dataset) + Number(dataset.props.refreservation ?? 0);
  const direct = Object.keys(state.datasets).filter((n) => parentOf(n) === name);
  return own + direct.reduce((sum, child) => sum + used(state, child), 0);
}

function available(state: ZfsState, name: string): number {
  const pool = poolOf(name);
  let avail = Math.max(0, (state.pools[pool] ?? 0) - used(state, pool));
  const dataset = state.datasets[name]!;
  const refquota = Number(dataset.props.refquota ?? 0);
  if (refquota > 0) avail = Math.min(avail, Math.max(0, refquota - referenced(dataset)));
  for (let at: string | null = name; at; at = parentOf(at)) {
    const quota = Number(state.datasets[at]?.props.quota ?? 0);
    if (quota > 0) avail = Math.min(avail, Math.max(0, quota - used(state, at)));
  }
  return avail;
}

export interface PropertyValue {
  value: string;
  source: string;
}

/** One property of one dataset as `zfs get` reports it; null when it does not apply to the type. */
export function getProperty(state: ZfsState, name: string, property: string, parsable: boolean): PropertyValue | null {
  const dataset = state.datasets[name]!;
  if (isUserProperty(property)) return inheritable(state, name, property) ?? { value: '-', source: '-' };
  const info = PROPERTIES[property]!;
  if (info.only && info.only !== dataset.type) return null;
  const show = (raw: string, source: string): PropertyValue => ({ value: display(property, raw, parsable), source });
  switch (property) {
    case 'type':
      return { value: dataset.type, source: '-' };
    case 'creation':
      return { value: parsable ? String(dataset.creation) : formatCreation(dataset.creation), source: '-' };
    case 'used':
      return show(String(used(state, name)), '-');
    case 'available':
      return show(String(available(state, name)), '-');
    case 'referenced':
      return show(String(referenced(dataset)), '-');
    case 'compressratio':
      return { value: parsable ? '1.00' : '1.00x', source: '-' };
    case 'mounted':
      return { value: mountedAt(state, name) === undefined ? 'no' : 'yes', source: '-' };
    case 'origin':
      return { value: '-', source: '-' };
    case 'mountpoint':
      return mountpointOf(state, name);
    case 'volsize':
      return show(dataset.props.volsize ?? '0', 'local');
  }
  if (info.inherit) {
    const found = inheritable(state, name, property);
    if (found) return show(found.value, found.source);
  } else if (dataset.props[property] !== undefined) {
    return show(dataset.props[property]!, info.kind === 'onetime' ? '-' : 'local');
  }
  return show(info.defaultValue ?? '-', info.kind === 'onetime' ? '-' : 'default');
}

function inheritable(state: ZfsState, name: string, property: string): PropertyValue | null {
  for (let at: string | null = name; at; at = parentOf(at)) {
    const value = state.datasets[at]?.props[property];
    if (value !== undefined) return { value, source: at === name ? 'local' : `inherited from ${at}` };
  }
  return null;
}

/**
 * Where a filesystem is mounted, if it is: `zfs create` mounts a new filesystem only when its canmount is
 * `on` (cmd/zfs/zfs_main.c zfs_mount_and_share), at a path mountpoint (not `none`/`legacy`).
 */
export function mountedAt(state: ZfsState, name: string): string | undefined {
  const dataset = state.datasets[name];
  if (dataset?.type !== 'filesystem' || (dataset.props.canmount ?? 'on') !== 'on') return undefined;
  const mountpoint = mountpointOf(state, name).value;
  return mountpoint.startsWith('/') ? mountpoint : undefined;
}

function mountpointOf(state: ZfsState, name: string): PropertyValue {
  for (let at: string | null = name; at; at = parentOf(at)) {
    const value = state.datasets[at]?.props.mountpoint;
    if (value === undefined) continue;
    const source = at === name ? 'local' : `inherited from ${at}`;
    if (value === 'none' || value === 'legacy') return { value, source };
    const suffix = name.slice(at.length);
    return { value: (value === '/' ? '' : value) + suffix || '/', source };
  }
  return { value: '/' + name, source: 'default' };
}

function display(property: string, raw: string, parsable: boolean): string {
  const info = PROPERTIES[property];
  if (!info?.bytes) return raw;
  const bytes = Number(raw);
  if (info.noneWhenZero && bytes === 0) return parsable ? '0' : 'none';
  return parsable ? raw : formatZfsNumber(bytes);
}

function formatCreation(epoch: number): string {
  const d = new Date(epoch * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${pad(d.getHours())}:${pad(d.getMinutes())} ${d.getFullYear()}`;
}

/** Seed pools (`rpool`) and datasets below them (`rpool/data`). */
export function seedPools(state: ZfsState, pools: (string | { name: string; size?: number })[]): void {
  const DEFAULT_POOL_SIZE = 1024 ** 4;
  for (const entry of pools) {
    const { name, size } = typeof entry === 'string' ? { name: entry, size: undefined } : entry;
    if (name.includes('/')) {
      if (!state.datasets[name]) createDataset(state, name, { type: 'filesystem', props: {}, createParents: true });
      continue;
    }
    state.pools[name] = size ?? DEFAULT_POOL_SIZE;
    state.datasets[name] ??= { type: 'filesystem', creation: Math.floor(Date.now() / 1000), props: { compression: 'on' } };
  }
}
