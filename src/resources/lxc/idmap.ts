/**
 * First-class id maps of a container: the operator declares only the ids to map (`id_map { container_uid =
 * 1000, host_uid = 1000 }`), phoenix writes the full `lxc.idmap` ranges around them. Every other id keeps
 * the shift of an unprivileged container, 100000 + id over 65536 ids: the range pve-container writes when
 * a config has no `lxc.idmap` line (src/PVE/LXC.pm update_lxc_config and parse_id_maps). With one custom
 * `lxc.idmap` line Proxmox writes none of its own, so phoenix always writes both the uid and the gid ranges.
 * The ranges follow the gap layout of the Proxmox wiki ("Unprivileged LXC containers"):
 *   u 0 100000 1000 / u 1000 1000 1 / u 1001 101001 64535.
 */
import { isObject, type Value, type ValueObject } from '../../config/values.js';

/** pve-container LXC.pm parse_id_maps: the default map of an unprivileged container. */
export const DEFAULT_HOST_BASE = 100000;
export const DEFAULT_RANGE = 65536;

export type IdKind = 'u' | 'g';

/** One `lxc.idmap` entry: `KIND CONTAINER HOST COUNT`. */
export interface IdRange {
  kind: IdKind;
  container: number;
  host: number;
  count: number;
}

export const ID_MAP_FIELDS = ['container_uid', 'host_uid', 'container_gid', 'host_gid', 'count'] as const;

const FIELDS: Record<IdKind, { container: 'container_uid' | 'container_gid'; host: 'host_uid' | 'host_gid' }> = {
  u: { container: 'container_uid', host: 'host_uid' },
  g: { container: 'container_gid', host: 'host_gid' },
};

const int = (v: Value | undefined) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** The explicit ranges an `id_map` list declares (a block with both pairs gives a uid and a gid range). */
export function declaredRanges(idMaps: Value | undefined): IdRange[] {
  const out: IdRange[] = [];
  for (const block of Array.isArray(idMaps) ? idMaps.filter(isObject) : []) {
    const count = int(block.count) ?? 1;
    for (const kind of ['u', 'g'] as const) {
      const container = int(block[FIELDS[kind].container]);
      const host = int(block[FIELDS[kind].host]);
      if (container !== undefined && host !== undefined) out.push({ kind, container, host, count });
    }
  }
  return out;
}

/** A range that maps ids exactly as the default shift would adds nothing. */
const isDefault = (r: IdRange) => r.host === DEFAULT_HOST_BASE + r.container;

/**
 * The canonical `id_map` list for ranges: default-shift ranges dropped, sorted by container id, a uid and a
 * gid range with the same container id and count in one block. Config and host both come out in this form,
 * so they compare equal however the blocks were written.
 */
export function canonicalIdMaps(ranges: IdRange[]): ValueObject[] {
  const explicit = ranges.filter((r) => !isDefault(r)).sort((a, b) => a.container - b.container || a.kind.localeCompare(b.kind));
  const gids = explicit.filter((r) => r.kind === 'g');
  const blocks: ValueObject[] = [];
  for (const u of explicit.filter((r) => r.kind === 'u')) {
    const pair = gids.findIndex((g) => g.container === u.container && g.count === u.count);
    const g = pair >= 0 ? gids.splice(pair, 1)[0] : undefined;
    blocks.push({ container_uid: u.container, host_uid: u.host, container_gid: g?.container ?? null, host_gid: g?.host ?? null, count: u.count });
  }
  for (const g of gids) blocks.push({ container_uid: null, host_uid: null, container_gid: g.container, host_gid: g.host, count: g.count });
  return blocks.sort((a, b) => Number(a.container_uid ?? a.container_gid) - Number(b.container_uid ?? b.container_gid));
}

/** The full ranges of one kind: the declared ones, and the default shift in every gap of 0..65535. */
export function fullRanges(declared: IdRange[], kind: IdKind): IdRange[] {
  const mine = declared.filter((r) => r.kind === kind && !isDefault(r)).sort((a, b) => a.container - b.container);
  const out: IdRange[] = [];
  let next = 0;
  const gap = (end: number) => {
    if (end > next) out.push({ kind, container: next, host: DEFAULT_HOST_BASE + next, count: end - next });
  };
  for (const r of mine) {
    gap(r.container);
    out.push(r);
    next = Math.max(next, r.container + r.count);
  }
  gap(DEFAULT_RANGE);
  return out;
}

/** The `lxc.idmap` lines for declared ranges; none when nothing differs from Proxmox's default map. */
export function idMapLines(idMaps: Value | undefined): string[] {
  const declared = declaredRanges(idMaps).filter((r) => !isDefault(r));
  if (declared.length === 0) return [];
  return (['u', 'g'] as const).flatMap((kind) => fullRanges(declared, kind).map((r) => `lxc.idmap: ${r.kind} ${r.container} ${r.host} ${r.count}`));
}

/** pve-container LXC.pm parse_id_maps: `lxc.idmap: u 0 100000 65536`. */
export function parseIdMapLine(line: string): IdRange | undefined {
  const m = /^lxc\.idmap: ([ug])\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
  return m ? { kind: m[1] as IdKind, container: Number(m[2]), host: Number(m[3]), count: Number(m[4]) } : undefined;
}

/**
 * Splits the `lxc.idmap` lines of a host config into an `id_map` list: only when they are exactly the
 * lines phoenix would write for that list (in order); otherwise they stay raw lines, so drift shows.
 */
export function idMapsFromLines(lines: string[]): { idMaps: ValueObject[]; rest: string[] } {
  const mapLines = lines.filter((l) => l.startsWith('lxc.idmap:'));
  if (mapLines.length === 0) return { idMaps: [], rest: lines };
  const ranges = mapLines.map(parseIdMapLine);
  if (ranges.some((r) => r === undefined)) return { idMaps: [], rest: lines };
  const idMaps = canonicalIdMaps(ranges as IdRange[]);
  const expected = idMapLines(idMaps);
  if (expected.length !== mapLines.length || expected.some((l, i) => l !== mapLines[i])) return { idMaps: [], rest: lines };
  return { idMaps, rest: lines.filter((l) => !l.startsWith('lxc.idmap:')) };
}

/**
 * The host id a container id is stored as on a bind-mounted directory: through the declared ranges, else
 * the unprivileged shift, else itself (a privileged container without id maps). Undefined when unmapped.
 */
export function hostIdOf(id: number, kind: IdKind, unprivileged: boolean, idMaps: Value | undefined): number | undefined {
  const declared = declaredRanges(idMaps).filter((r) => !isDefault(r));
  if (!unprivileged && declared.length === 0) return id;
  const range = fullRanges(declared, kind).find((r) => id >= r.container && id < r.container + r.count);
  return range === undefined ? undefined : range.host + (id - range.container);
}

/** The container id a host id is seen as, the inverse of hostIdOf; undefined when no container id maps to it. */
export function containerIdOf(hostId: number, kind: IdKind, unprivileged: boolean, idMaps: Value | undefined): number | undefined {
  const declared = declaredRanges(idMaps).filter((r) => !isDefault(r));
  if (!unprivileged && declared.length === 0) return hostId;
  const range = fullRanges(declared, kind).find((r) => hostId >= r.host && hostId < r.host + r.count);
  return range === undefined ? undefined : range.container + (hostId - range.host);
}

/**
 * The first conflict between ranges, in pve-container's words (LXC.pm validate_id_maps): two ranges of
 * one kind overlapping on the container or the host side. Run on the full ranges, so a declared host id
 * that the default shift already gives to another container id is caught too.
 */
export function idMapConflict(idMaps: Value | undefined): string | undefined {
  const declared = declaredRanges(idMaps).filter((r) => !isDefault(r));
  if (declared.length === 0) return undefined;
  for (const kind of ['u', 'g'] as const) {
    const ranges = fullRanges(declared, kind);
    const text = (r: IdRange) => `${r.kind} ${r.container} ${r.host} ${r.count}`;
    for (const side of ['container', 'host'] as const) {
      const sorted = [...ranges].sort((a, b) => a[side] - b[side]);
      for (let i = 1; i < sorted.length; i++) {
        const previous = sorted[i - 1]!;
        const current = sorted[i]!;
        if (previous[side] + previous.count > current[side]) {
          return `invalid map entry '${text(current)}': ${side} ${kind}id ${current[side]} is also mapped by entry '${text(previous)}'`;
        }
      }
    }
  }
  return undefined;
}
