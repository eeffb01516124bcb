/**
 * The volume work behind `destroy`, `resize` and `template`, for either guest kind. A DiskLayout says
 * where a kind keeps its disks; the commands' checks, texts and exit codes stay with pct and qm.
 * Everything here runs under the guest's locks (withGuestTask).
 */
import { removeGuestFirewall } from '../firewall/store.js';
import type { GuestKind, SimEnv } from '../core/env.js';
import { SimError } from '../core/errors.js';
import { parsePropString, printPropString, type PropFormat } from '../core/schema.js';
import { formatPveSize, parseSize } from '../core/sizes.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import type { GuestConfigFile } from './config-file.js';
import { convertToBase, freeOwnVolume, setVolumeSize, sizeOption } from './disks.js';
import { deleteGuestFiles, listGuestIds, saveConfig, tryLoadConfig } from './store.js';

export interface DiskLayout {
  kind: GuestKind;
  /** Every volume a config section references: disks and `unusedN`. */
  volumesOf(values: Record<string, string>): string[];
  /** A key holding a disk with a volume of its own (a VM's CD-ROM drive has none). */
  isDisk(key: string, value: string): boolean;
  format(key: string): PropFormat;
  /** The disk property holding the volid: `volume` for CT mount points, `file` for VM drives. */
  volumeProperty: 'volume' | 'file';
}

/** `<size>` or `+<delta>` (size pattern `\+?\d+(\.\d+)?[KMGT]?`) against the disk's current size. */
export const SIZE_PATTERN = /^\+?\d+(\.\d+)?[KMGT]?$/;

export function requestedSize(currentBytes: number, sizeText: string): number {
  const bytes = parseSize(sizeText.replace(/^\+/, ''))!;
  return sizeText.startsWith('+') ? currentBytes + bytes : bytes;
}

export function diskSize(layout: DiskLayout, key: string, value: string): number {
  return sizeOption(parsePropString(key, value, layout.format(key), {}));
}

/** Grow the disk's volume and record the new `size=` in the config. */
export function resizeDisk(env: SimEnv, vmid: number, file: GuestConfigFile, layout: DiskLayout, key: string, bytes: number): void {
  const format = layout.format(key);
  const disk = parsePropString(key, file.current.values[key]!, format, {});
  const zfs = loadZfs(env);
  setVolumeSize(env, zfs, disk[layout.volumeProperty]!, bytes);
  disk.size = formatPveSize(bytes);
  file.current.values[key] = printPropString(disk, format);
  saveZfs(env, zfs);
  saveConfig(env, layout.kind, vmid, file);
}

/**
 * Mark the guest a template and rename its disks' volumes to their base form (`onlyDisk`: that one only,
 * `qm template --disk`). As QemuServer.pm template_create, `template: 1` and each converted disk are kept
 * when a later disk fails.
 */
export function convertToTemplate(env: SimEnv, vmid: number, file: GuestConfigFile, layout: DiskLayout, onlyDisk?: string): void {
  const values = file.current.values;
  const zfs = loadZfs(env);
  values.template = '1';
  try {
    for (const key of Object.keys(values).filter((k) => layout.isDisk(k, values[k]!) && (onlyDisk === undefined || k === onlyDisk))) {
      const disk = parsePropString(key, values[key]!, layout.format(key), {});
      disk[layout.volumeProperty] = convertToBase(env, zfs, disk[layout.volumeProperty]!);
      values[key] = printPropString(disk, layout.format(key));
    }
  } finally {
    saveZfs(env, zfs);
    saveConfig(env, layout.kind, vmid, file);
  }
}

/**
 * A template's base volume that a linked clone on the node still uses is never freed (pve-storage
 * Storage.pm vdisk_free → volume_is_base_and_used, which finds clones by their `BASE/` volume names;
 * qemu-server QemuServer.pm destroy_vm checks it first, in its own words): the destroy fails and nothing
 * is removed.
 */
function assertBasesUnused(env: SimEnv, vmid: number, volumes: Set<string>, kind: GuestKind): void {
  const bases = [...volumes].filter((volid) => new RegExp(`^[^:]+:(?:[^/]+/)?(?:base|basevol)-${vmid}-`).test(volid));
  if (bases.length === 0) return;
  for (const other of ['lxc', 'qemu'] as const) {
    for (const id of listGuestIds(env, other).filter((id) => id !== vmid)) {
      const raw = tryLoadConfig(env, other, id)?.raw ?? '';
      const used = bases.find((base) => raw.includes(`${base}/`));
      if (used) throw new SimError(`base volume '${used}' is still in use by linked ${kind === 'qemu' ? 'cloned' : 'clones'}`);
    }
  }
}

/** Free the guest's own volumes (its snapshots' too; not a template base it links to), then its files. */
export function destroyGuest(env: SimEnv, vmid: number, file: GuestConfigFile, layout: DiskLayout): void {
  const zfs = loadZfs(env);
  const volumes = new Set(layout.volumesOf(file.current.values));
  for (const section of file.sections.values()) for (const v of layout.volumesOf(section.values)) volumes.add(v);
  assertBasesUnused(env, vmid, volumes, layout.kind);
  for (const volid of volumes) freeOwnVolume(env, zfs, vmid, volid);
  saveZfs(env, zfs);
  deleteGuestFiles(env, layout.kind, vmid);
  // destroy_vm / LXC.pm destroy: PVE::Firewall::remove_vmfw_conf($vmid).
  removeGuestFirewall(env, vmid);
}
