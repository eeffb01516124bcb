/**
 * Pool layouts: the vdev specification `zpool create` takes, and the layout read back from `zpool status -P`
 * (its indented config section: pool at depth 0, top-level vdevs at 2, their disks at 4, classes as headers).
 */
import type { ValueObject } from '../../config/values.js';

export interface Vdev {
  type: string;
  disks: string[];
  class: string;
}

export interface Layout {
  vdevs: Vdev[];
  cache: string[];
  spares: string[];
}

const CLASS_ORDER = ['data', 'dedup', 'special', 'log'];

/** A device as `zpool status -P` prints it: bare names live in /dev. */
export function devicePath(disk: string): string {
  return disk.startsWith('/') ? disk : `/dev/${disk}`;
}

/** Vdevs in the order zpool reports them: data first, then dedup, special and log classes. */
export function canonicalVdevs(vdevs: Vdev[]): ValueObject[] {
  return [...vdevs]
    .map((v) => ({ type: v.type, class: v.class || 'data', disks: v.disks.map(devicePath) }))
    .sort((a, b) => CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class));
}

/** `zpool create` arguments after the pool name. */
export function vdevSpec(layout: Layout): string[] {
  const args: string[] = [];
  let current = 'data';
  for (const vdev of canonicalVdevs(layout.vdevs) as unknown as Vdev[]) {
    if (vdev.class !== current) args.push(vdev.class);
    current = vdev.class;
    if (vdev.type !== 'disk') args.push(vdev.type);
    args.push(...vdev.disks);
  }
  if (layout.cache.length > 0) args.push('cache', ...layout.cache.map(devicePath));
  if (layout.spares.length > 0) args.push('spare', ...layout.spares.map(devicePath));
  return args;
}

const HEADERS: Record<string, string> = { logs: 'log', special: 'special', dedup: 'dedup', cache: 'cache', spares: 'spares' };

/** Layouts by pool name from `zpool status -P` (or the `zpool import` listing: the same config section). */
export function parseZpoolStatus(output: string): Map<string, Layout> {
  const pools = new Map<string, Layout>();
  let pool: Layout | undefined;
  let poolName: string | undefined;
  let section = 'data';
  let group: Vdev | undefined;
  let inConfig = false;
  for (const line of output.split('\n')) {
    const header = /^\s*pool:\s*(\S+)/.exec(line);
    if (header) {
      poolName = header[1]!;
      pool = undefined;
      inConfig = false;
      continue;
    }
    if (/^\s*config:\s*$/.test(line)) {
      inConfig = true;
      continue;
    }
    if (!inConfig || !poolName) continue;
    const row = /^\t( *)(\S+)/.exec(line);
    if (!row) {
      if (pool && line.trim() === '') inConfig = false;
      continue;
    }
    const depth = row[1]!.length;
    const name = row[2]!;
    if (name === 'NAME') continue;
    if (depth === 0) {
      if (!pool && name === poolName) {
        pool = { vdevs: [], cache: [], spares: [] };
        pools.set(poolName, pool);
        section = 'data';
      } else if (HEADERS[name]) section = HEADERS[name]!;
      group = undefined;
      continue;
    }
    if (!pool) continue;
    if (depth === 2) {
      if (section === 'cache') pool.cache.push(name);
      else if (section === 'spares') pool.spares.push(name);
      else {
        const grouped = /^(mirror|raidz[123])-\d+$/.exec(name);
        group = { type: grouped ? grouped[1]! : 'disk', class: section, disks: grouped ? [] : [name] };
        pool.vdevs.push(group);
        if (!grouped) group = undefined;
      }
    } else if (group) group.disks.push(name);
  }
  return pools;
}

/** One line per vdev, for messages comparing two layouts. */
export function describeLayout(layout: Layout): string {
  const lines = (canonicalVdevs(layout.vdevs) as unknown as Vdev[]).map((v) => `${v.class === 'data' ? '' : `${v.class} `}${v.type}: ${v.disks.join(' ')}`);
  if (layout.cache.length) lines.push(`cache: ${layout.cache.join(' ')}`);
  if (layout.spares.length) lines.push(`spares: ${layout.spares.join(' ')}`);
  return lines.join('\n');
}
