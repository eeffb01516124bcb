/**
 * Simulated pool layouts, kept next to the datasets in `var/sim/zfs.json`: `pools` (name → size) stays
 * what the zfs command reads, `poolConfigs` adds each pool's vdev tree and properties, `exportedPools`
 * holds pools `zpool import` can bring back. Pools seeded from sim.json before layouts existed get a
 * one-disk layout (`/dev/disk/by-id/sim-NAME`), so old state directories keep working.
 */
import type { SeedPool } from '../core/env.js';
import type { Dataset, ZfsState } from '../zfs/model.js';
import { ZfsError } from '../zfs/model.js';

export type VdevType = 'disk' | 'mirror' | 'raidz1' | 'raidz2' | 'raidz3';
export type VdevClass = 'data' | 'special' | 'dedup' | 'log';

export interface SimVdev {
  type: VdevType;
  class: VdevClass;
  disks: string[];
}

export interface SimPool {
  vdevs: SimVdev[];
  cache: string[];
  spares: string[];
  /** Locally set pool properties (ashift included). */
  props: Record<string, string>;
  guid: string;
}

export interface PoolState extends ZfsState {
  poolConfigs?: Record<string, SimPool>;
  exportedPools?: Record<string, { size: number; config: SimPool; datasets: Record<string, Dataset> }>;
}

/** Bytes each simulated disk contributes (the simulator has no real devices). */
export const SIM_DISK_SIZE = 1024 ** 4;

export function poolConfig(state: PoolState, name: string): SimPool {
  state.poolConfigs ??= {};
  return (state.poolConfigs[name] ??= {
    vdevs: [{ type: 'disk', class: 'data', disks: [`/dev/disk/by-id/sim-${name}`] }],
    cache: [],
    spares: [],
    props: {},
    guid: guidFor(name),
  });
}

export function guidFor(name: string): string {
  let hash = 0n;
  for (const ch of name + ':sim') hash = (hash * 131n + BigInt(ch.charCodeAt(0))) % 18446744073709551557n;
  return String(hash);
}

/** zpool_main.c/zpool_vdev.c: the usable size: one disk per mirror, n-parity disks per raidz. */
export function poolSize(config: SimPool): number {
  let disks = 0;
  for (const vdev of config.vdevs.filter((v) => v.class === 'data')) {
    if (vdev.type === 'mirror') disks += 1;
    else if (vdev.type === 'disk') disks += 1;
    else disks += vdev.disks.length - Number(vdev.type.slice(-1));
  }
  return disks * SIM_DISK_SIZE;
}

/** Every device a pool uses, for "is part of active pool" checks. */
export function devicesOf(config: SimPool): string[] {
  return [...config.vdevs.flatMap((v) => v.disks), ...config.cache, ...config.spares];
}

/**
 * zpool_vdev.c (construct_spec, is_grouping): `mirror|raidzN` start a group of the disks that follow,
 * `special`/`dedup`/`log` switch the allocation class, `cache`/`spare` collect devices; a bare disk is a
 * one-disk top-level vdev. Error texts are zpool's.
 */
export function parseVdevSpec(args: string[]): Omit<SimPool, 'props' | 'guid'> {
  const vdevs: SimVdev[] = [];
  const cache: string[] = [];
  const spares: string[] = [];
  let vdevClass: VdevClass = 'data';
  let collecting: 'cache' | 'spare' | undefined;
  let seenLog = false;
  let logs = 0;
  const groupType = (word: string): VdevType | undefined =>
    word === 'mirror' ? 'mirror' : word === 'raidz' || word === 'raidz1' ? 'raidz1' : word === 'raidz2' ? 'raidz2' : word === 'raidz3' ? 'raidz3' : undefined;
  const isKeyword = (word: string) => groupType(word) !== undefined || ['special', 'dedup', 'log', 'cache', 'spare'].includes(word);
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === 'log') {
      if (seenLog) throw new ZfsError("invalid vdev specification: 'log' can be specified only once");
      seenLog = true;
      vdevClass = 'log';
      collecting = undefined;
      continue;
    }
    if (word === 'special' || word === 'dedup') {
      vdevClass = word;
      collecting = undefined;
      continue;
    }
    if (word === 'cache' || word === 'spare') {
      if ((word === 'cache' ? cache : spares).length > 0) throw new ZfsError(`invalid vdev specification: '${word}' can be specified only once`);
      collecting = word;
      continue;
    }
    const type = groupType(word);
    if (type) {
      collecting = undefined;
      const disks: string[] = [];
      while (i + 1 < args.length && !isKeyword(args[i + 1]!)) disks.push(resolveDevice(args[++i]!));
      // is_grouping: mirror needs 2 devices, raidzN needs N+1.
      const minimum = type === 'mirror' ? 2 : Number(type.slice(-1)) + 1;
      if (disks.length < minimum) throw new ZfsError(`invalid vdev specification: ${word} requires at least ${minimum} devices`);
      if (vdevClass === 'log' && type !== 'mirror') throw new ZfsError(`invalid vdev specification: unsupported 'log' device: raidz`);
      if (vdevClass === 'log') logs++;
      vdevs.push({ type, class: vdevClass, disks });
      continue;
    }
    const device = resolveDevice(word);
    if (collecting === 'cache') cache.push(device);
    else if (collecting === 'spare') spares.push(device);
    else {
      if (vdevClass === 'log') logs++;
      vdevs.push({ type: 'disk', class: vdevClass, disks: [device] });
    }
  }
  if (vdevs.length === 0 && cache.length === 0 && spares.length === 0) {
    throw new ZfsError('invalid vdev specification: at least one toplevel vdev must be specified');
  }
  if (seenLog && logs === 0) throw new ZfsError('invalid vdev specification: log requires at least 1 device');
  if (!vdevs.some((v) => v.class === 'data')) {
    throw new ZfsError('invalid vdev specification\nuse \'-f\' to override the following errors:\nat least one general top-level vdev must be specified');
  }
  return { vdevs, cache, spares };
}

/** make_leaf_vdev: a bare name means /dev/NAME; anything else must be an absolute device path. */
function resolveDevice(word: string): string {
  const path = word.startsWith('/') ? word : `/dev/${word}`;
  if (!path.startsWith('/dev/') || path.endsWith('/')) throw new ZfsError(`cannot resolve path '${word}'`);
  return path;
}

/** libzfs_pool.c zpool_name_valid + zfs_namecheck.c pool_namecheck, as `cannot create 'X': reason`. */
export function poolNameProblem(name: string): string | undefined {
  if (name.length >= 256) return 'name is too long';
  if (!/^[A-Za-z]/.test(name)) return 'name must begin with a letter';
  const bad = /[^A-Za-z0-9_.:\- ]/.exec(name);
  if (bad) return `invalid character '${bad[0]}' in pool name`;
  if (/^(mirror|raidz|draid|spare)/.test(name) || name === 'log') return 'name is reserved';
  if (/^c[0-9]/.test(name)) return 'pool name is reserved';
  return undefined;
}

/**
 * zpool status's config section (print_status_config): the pool, then top-level vdevs indented by 2 and
 * their leaves by 4; the classes (`logs`, `special`, `dedup`, `cache`, `spares`) as headers at depth 0.
 * Group names are TYPE-INDEX with the index counting all top-level vdevs (mirror-0, raidz2-1).
 */
export function statusConfigLines(name: string, config: SimPool): string[] {
  const rows: [number, string, string][] = [[0, name, 'ONLINE']];
  const topLevel = (vdev: SimVdev, index: number) => {
    if (vdev.type === 'disk') rows.push([2, vdev.disks[0]!, 'ONLINE']);
    else {
      rows.push([2, `${vdev.type}-${index}`, 'ONLINE']);
      for (const disk of vdev.disks) rows.push([4, disk, 'ONLINE']);
    }
  };
  config.vdevs.forEach((v, i) => v.class === 'data' && topLevel(v, i));
  for (const [cls, header] of [['dedup', 'dedup'], ['special', 'special'], ['log', 'logs']] as const) {
    const members = config.vdevs.map((v, i) => [v, i] as const).filter(([v]) => v.class === cls);
    if (members.length === 0) continue;
    rows.push([0, header, '']);
    for (const [v, i] of members) topLevel(v, i);
  }
  if (config.cache.length > 0) rows.push([0, 'cache', '']), config.cache.forEach((d) => rows.push([2, d, 'ONLINE']));
  if (config.spares.length > 0) rows.push([0, 'spares', '']), config.spares.forEach((d) => rows.push([2, d, 'AVAIL']));
  const width = Math.max(4, ...rows.map(([depth, label]) => depth + label.length)) + 2;
  const lines = [`\t${'NAME'.padEnd(width)}STATE     READ WRITE CKSUM`];
  for (const [depth, label, state] of rows) {
    const padded = (' '.repeat(depth) + label).padEnd(width);
    lines.push(state === '' ? `\t${padded.trimEnd()}` : state === 'AVAIL' ? `\t${padded}AVAIL` : `\t${padded}${state.padEnd(8)}     0     0     0`);
  }
  return lines;
}

/** sim.json pools with a layout, and exported ones (whose root dataset comes along on import). */
export function seedPoolLayouts(state: PoolState, pools: SeedPool[]): void {
  for (const entry of pools) {
    if (typeof entry === 'string' || entry.name.includes('/')) continue;
    const spec = (entry.vdevs ?? []).flatMap((v) => [...(v.class && v.class !== 'data' ? [v.class] : []), ...(v.type === 'disk' ? [] : [v.type]), ...v.disks]);
    const layout = spec.length > 0 ? parseVdevSpec(spec) : undefined;
    const config: SimPool = { ...(layout ?? { vdevs: [{ type: 'disk', class: 'data', disks: [`/dev/disk/by-id/sim-${entry.name}`] }], cache: [], spares: [] }), props: {}, guid: guidFor(entry.name) };
    if (entry.exported) {
      state.exportedPools ??= {};
      const root: Dataset = { type: 'filesystem', creation: Math.floor(Date.now() / 1000), props: {} };
      state.exportedPools[entry.name] = { size: entry.size ?? poolSize(config), config, datasets: { [entry.name]: root } };
    } else {
      state.poolConfigs ??= {};
      state.poolConfigs[entry.name] = config;
    }
  }
}
