/**
 * Mount points change in place, as Proxmox allows (pve-container src/PVE/LXC/Config.pm):
 * - a new `mpN` (`pct set --mpN`) is hot-plugged into a running container (vmconfig_hotplug_pending →
 *   apply_pending_mountpoint with $running = 1);
 * - changing an existing `mpN` or deleting it (`--delete mpN`) waits in `[pve:pending]` while the container
 *   runs (vmconfig_hotplug_pending: `die "skip\n"` over an existing mp, no delete branch for mpN) and is
 *   applied by vmconfig_apply_pending at its next start, or at once when it is stopped; a removed or replaced
 *   volume stays on the host as `unusedN` (add_unused_volume), its data kept;
 * - a volume-backed mount point grows online with `pct resize ID mpN SIZE` (API2/LXC.pm resize_vm);
 *   shrinking has no path ("unable to shrink disk size"), so it replaces the container;
 * - another storage for a volume moves it (`pct move-volume`, see volume-moves.ts): a restart;
 * - the owner of a bind mount's host directory is a `chown` on the node (owners.ts): in place.
 */
import { isObject, valuesEqual, type Value, type ValueObject } from '../../config/values.js';
import type { NodeHandle } from '../provider.js';
import { str } from '../proxmox/attrs.js';
import type { ChangeKind } from '../proxmox/diff-rules.js';
import { runOnHost } from '../proxmox/host.js';
import { readGuest } from '../proxmox/inventory.js';
import { parseSize } from '../proxmox/sizes.js';
import { changedMountpointOption, isBindMount as isBind, mountpointOption, MOUNTPOINT_RESTART_FIELDS } from './mountpoint-options.js';

function bySlot(v: Value | undefined): Map<string, ValueObject> {
  const list = Array.isArray(v) ? v.filter(isObject) : [];
  return new Map(list.map((mp) => [String(mp.slot), mp]));
}

const bytesOf = (mp: ValueObject) => (typeof mp.size === 'string' ? parseSize(mp.size) : undefined);
const RANK: Record<ChangeKind, number> = { 'in-place': 0, restart: 1, replace: 2 };

/** How one slot's change lands: see the file comment for the Proxmox function behind each rule. */
function classifySlot(before: ValueObject | undefined, after: ValueObject | undefined): ChangeKind {
  if (!before) return 'in-place'; // hot-plugged
  if (!after) return 'restart'; // deleted at the next start
  const sameVolume = before.volume === after.volume;
  const before_ = bytesOf(before);
  const after_ = bytesOf(after);
  if (sameVolume && !isBind(after) && before_ !== undefined && after_ !== undefined && after_ < before_) return 'replace';
  const differs = (k: string) => !valuesEqual(before[k] ?? null, after[k] ?? null);
  return MOUNTPOINT_RESTART_FIELDS.some(differs) ? 'restart' : 'in-place';
}

export function classifyMountpointsChange(prior: Value | undefined, planned: Value | undefined): ChangeKind {
  const before = bySlot(prior);
  const after = bySlot(planned);
  let kind: ChangeKind = 'in-place';
  for (const slot of new Set([...before.keys(), ...after.keys()])) {
    const slotKind = classifySlot(before.get(slot), after.get(slot));
    if (RANK[slotKind] > RANK[kind]) kind = slotKind;
  }
  return kind;
}

/** The slots `pct set` would add, change (`--mpN`) or delete: what protection forbids. */
export function slotsSetOrDeleted(prior: Value | undefined, desired: Value | undefined): string[] {
  const before = bySlot(prior);
  const after = bySlot(desired);
  const removed = [...before.keys()].filter((slot) => !after.has(slot));
  const set = [...after.keys()].filter((slot) => {
    const old = before.get(slot);
    const mp = after.get(slot)!;
    // A volume that only changes storage is moved (`pct move-volume`), which protection does not stop.
    const newSource = old !== undefined && old.volume !== mp.volume && (isBind(old) || isBind(mp));
    const optionsChanged = old !== undefined && MOUNTPOINT_RESTART_FIELDS.some((k) => k !== 'volume' && !valuesEqual(old[k] ?? null, mp[k] ?? null));
    return !old || newSource || optionsChanged;
  });
  return [...set, ...removed].sort();
}

/**
 * A fresh clone's mount points as updateMountpoints must see them. `pct clone` copies every volume mount
 * point of the source into the same slot (pve-container API2/LXC.pm clone_vm: `$mountpoints->{$opt}`,
 * then copy_volume / clone_image per slot). Where the clone declares that slot for another path, or smaller
 * than the copy, the copy is not what was declared: the slot gets a new volume as declared (`--mpN
 * STORAGE:GiB`; the copy stays on the host as `unusedN`, as Proxmox keeps a replaced volume), instead of a
 * changed path over the source's data or a shrink that has no path. A copy at the declared path is kept,
 * and grows with `pct resize` when declared larger.
 */
export function inheritedMountpoints(inherited: Value | undefined, declared: Value | undefined): ValueObject[] {
  const wanted = bySlot(declared);
  return [...bySlot(inherited).values()].map((copy) => {
    const mp = wanted.get(String(copy.slot));
    if (!mp || isBind(mp) || copy.volume !== mp.volume) return copy;
    const from = bytesOf(copy);
    const to = bytesOf(mp);
    const shrinks = from !== undefined && to !== undefined && to < from;
    // A distinct volume value makes updateMountpoints allocate the declared one.
    return copy.path === mp.path && !shrinks ? copy : { ...copy, volume: `${String(copy.volume)} (copied from the clone source)` };
  });
}

/** `pct set` for added, changed and removed mount points, then `pct resize` for volumes that grow. */
export async function updateMountpoints(node: NodeHandle, vmid: number, prior: Value | undefined, desired: Value | undefined): Promise<void> {
  const before = bySlot(prior);
  const after = bySlot(desired);
  const args: string[] = [];
  const removed = [...before.keys()].filter((slot) => !after.has(slot));
  const kept = [...after.keys()].filter((slot) => before.has(slot) && before.get(slot)!.volume === after.get(slot)!.volume);
  const optionsChanged = kept.filter((slot) => classifySlot(before.get(slot), after.get(slot)) === 'restart');
  const host = optionsChanged.length > 0 ? (await readGuest(node, 'lxc', vmid))?.config.options ?? {} : {};
  for (const [slot, mp] of after) {
    const old = before.get(slot);
    if (!old || old.volume !== mp.volume) args.push(`--${slot}`, mountpointOption(mp)); // new slot, or a new volume / bind source
    else if (optionsChanged.includes(slot) && host[slot] !== undefined) args.push(`--${slot}`, changedMountpointOption(host[slot]!, mp));
  }
  if (removed.length > 0) args.push('--delete', removed.join(','));
  if (args.length > 0) await runOnHost(node, ['pct', 'set', String(vmid), ...args], { what: `updating mount points of CT ${vmid}` });
  for (const slot of kept) {
    const old = before.get(slot)!;
    const mp = after.get(slot)!;
    const from = bytesOf(old);
    const to = bytesOf(mp);
    if (isBind(mp) || to === undefined || (from !== undefined && to <= from)) continue;
    await runOnHost(node, ['pct', 'resize', String(vmid), slot, str(mp, 'size')!], { what: `resizing ${slot} of CT ${vmid}` });
  }
}
