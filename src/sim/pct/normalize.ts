/** How pct stores options: normalised net lines, tags, and `STORAGE:SIZE` disk requests turned into volumes. */
import { parsePropString, printPropString } from '../core/schema.js';
import type { SimEnv } from '../core/env.js';
import type { ZfsState } from '../zfs/model.js';
import { allocateVolume, parseAllocation } from '../guest/disks.js';
import type { DiskLayout } from '../guest/disk-tasks.js';
import { formatPveSize } from '../core/sizes.js';
import { generateMac, normaliseTags } from '../guest/normalize.js';
import { MP_FORMAT, NET_FORMAT, ROOTFS_FORMAT, isDiskKey } from './schema.js';

/** `name=eth0,bridge=vmbr0,...`: name first, the rest sorted, with a generated hwaddr and `type=veth`. */
export function normaliseNet(key: string, value: string): string {
  const net = parsePropString(key, value, NET_FORMAT, {});
  net.hwaddr = (net.hwaddr ?? generateMac()).toUpperCase();
  net.type = 'veth';
  return printPropString(net, NET_FORMAT);
}

export function diskFormat(key: string) {
  return key === 'rootfs' ? ROOTFS_FORMAT : MP_FORMAT;
}

/** Turn a disk option into its stored form, allocating a new volume for `STORAGE:SIZE`. */
export function prepareDisk(env: SimEnv, zfs: ZfsState, vmid: number, key: string, value: string, taken: Set<string>): string {
  const format = diskFormat(key);
  const disk = parsePropString(key, value, format, {});
  const request = parseAllocation(disk.volume!, 'lxc');
  if (request) {
    disk.volume = allocateVolume(env, zfs, { kind: 'lxc', vmid, storageId: request.storage, bytes: request.bytes, taken });
    disk.size = formatPveSize(request.bytes);
    taken.add(disk.volume);
  }
  return printPropString(disk, format);
}

/** PVE::Tools::split_list: NUL-separated, or separated by commas, semicolons and white space. */
function splitList(text: string): string[] {
  if (text.includes('\0')) return text.split('\0');
  return text.replace(/[,;]/g, ' ').replace(/^\s+/, '').split(/\s+/).filter(Boolean);
}

/** The stored form of a non-disk option value. */
export function normaliseOption(key: string, value: string): string {
  if (/^net\d+$/.test(key)) return normaliseNet(key, value);
  if (key === 'tags') return normaliseTags(value);
  // LXC.pm verify_nameserver_list / verify_searchdomain_list (via Config.pm update_pct_config): space-joined.
  if (key === 'nameserver' || key === 'searchdomain') return splitList(value).join(' ');
  return value;
}

export function volumesOf(values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([key]) => isDiskKey(key) || /^unused\d+$/.test(key))
    .map(([key, value]) => (/^unused/.test(key) ? value : value.split(',')[0]!));
}

/** Where a CT keeps its disks: `rootfs` and `mpN`, each with its `volume`. */
export const LXC_DISKS: DiskLayout = { kind: 'lxc', volumesOf, isDisk: isDiskKey, format: diskFormat, volumeProperty: 'volume' };
