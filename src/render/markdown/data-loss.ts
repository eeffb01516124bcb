/**
 * Which destroys and replacements lose data, and why, for the ⚠ marks of the PR view: a ZFS dataset
 * destroyed or recreated, a guest (container or VM) destroyed or recreated with its disks, and as the
 * usual cause of an unexpected guest replacement, a disk that would have to shrink.
 */
import { isObject, type Value } from '../../config/values.js';
import type { ResourceChange } from '../../plan/model.js';
import { formatSize, parseSize } from '../../resources/proxmox/sizes.js';

const GUEST_TYPES: Record<string, string> = { lxc: 'container', vm: 'VM' };

/** A sentence explaining the data loss, or undefined when the change keeps all data. */
export function dataLoss(change: ResourceChange): string | undefined {
  if (change.action !== 'delete' && change.action !== 'replace') return undefined;
  if (change.type === 'zfs_dataset') {
    return change.action === 'delete'
      ? 'the dataset, its files and its snapshots are destroyed'
      : 'the dataset is destroyed (files and snapshots included) and created empty';
  }
  const guest = GUEST_TYPES[change.type];
  if (!guest) return undefined;
  if (change.action === 'delete') return `the ${guest} and its disks are destroyed`;
  const shrinks = shrinkingDisks(change);
  const why = shrinks.length > 0 ? `; disks cannot shrink: ${shrinks.join(', ')}` : '';
  return `the ${guest} is destroyed and recreated: data on its disks is lost${why}`;
}

/** `rootfs 8G → 4G`, `disks scsi1 100G → 50G` for every disk whose planned size is smaller. */
function shrinkingDisks(change: ResourceChange): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const found: string[] = [];
  const compare = (label: string, old: Value | undefined, next: Value | undefined) => {
    const from = sizeOf(old);
    const to = sizeOf(next);
    if (from !== undefined && to !== undefined && to < from) found.push(`${label} ${formatSize(from)} → ${formatSize(to)}`);
  };
  compare('rootfs', before.rootfs, after.rootfs);
  const slots = (disks: Value | undefined) => new Map((Array.isArray(disks) ? disks.filter(isObject) : []).map((d) => [String(d.slot), d]));
  const newDisks = slots(after.disks);
  for (const [slot, disk] of slots(before.disks)) compare(`disk ${slot}`, disk, newDisks.get(slot));
  return found;
}

function sizeOf(disk: Value | undefined): number | undefined {
  return isObject(disk) && typeof disk.size === 'string' ? parseSize(disk.size) : undefined;
}
