/**
 * Guest volumes: allocating `STORAGE:SIZE` requests into named volumes (`local-zfs:subvol-101-disk-0`,
 * `local-zfs:vm-100-disk-1`) backed by ZFS datasets or dir-storage files, and freeing/renaming them.
 * All functions run under the node lock with a loaded ZfsState the caller saves.
 */
import { SimError } from '../core/errors.js';
import type { GuestKind, SimEnv } from '../core/env.js';
import { parseSize } from '../core/sizes.js';
import { findStorage, storageContent, type StorageEntry } from '../storage/config.js';
import { createDataset, destroyDataset, renameDataset, ZfsError, type ZfsState } from '../zfs/model.js';

const MIB = 1024 ** 2;

/**
 * `local-zfs:8` / `local-zfs:0.5`: a request for a new volume of that many GiB, allocated as Proxmox does:
 * a container volume gets `int(GiB * 1024)` MiB (pve-container src/PVE/LXC.pm create_disks), so
 * `0.488281` is 499 MiB, not 500; a VM disk is rounded up to whole KiB (qemu-server API2/Qemu.pm,
 * PVE::Tools::convert_size 'gb' => 'kb').
 */
export function parseAllocation(volume: string, kind: GuestKind): { storage: string; bytes: number } | null {
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(\d+(?:\.\d+)?)$/i.exec(volume);
  if (!m) return null;
  const gib = Number(m[2]);
  const bytes = kind === 'lxc' ? Math.trunc(gib * 1024) * MIB : Math.ceil(gib * 1024 * 1024) * 1024;
  return { storage: m[1]!, bytes };
}

export function splitVolid(volid: string): { storage: string; volname: string } | null {
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/i.exec(volid);
  return m ? { storage: m[1]!, volname: m[2]! } : null;
}

/** The vmid a volume belongs to (`subvol-101-disk-0`, `base-900-disk-0/vm-101-disk-0`, `101/vm-101-disk-0.raw`). */
export function volumeOwner(volname: string): number | null {
  const last = volname.split('/').pop()!;
  const m = /^(?:subvol|vm|base|basevol)-(\d+)-/.exec(last);
  return m ? Number(m[1]) : null;
}

function zfsDataset(storage: StorageEntry, volname: string): string {
  return `${storage.props.pool}/${volname.split('/').pop()}`;
}

function assertContent(storage: StorageEntry, kind: GuestKind): void {
  const needed = kind === 'lxc' ? 'rootdir' : 'images';
  if (!storageContent(storage).has(needed)) {
    const what = kind === 'lxc' ? 'container directories' : 'vm images';
    throw new SimError(`storage '${storage.id}' does not support ${what}`);
  }
}

function nextDiskNumber(zfs: ZfsState, storage: StorageEntry, vmid: number, taken: Set<string>): number {
  for (let n = 0; ; n++) {
    const names = [`subvol-${vmid}-disk-${n}`, `vm-${vmid}-disk-${n}`, `base-${vmid}-disk-${n}`, `basevol-${vmid}-disk-${n}`];
    const inConfig = [...taken].some((volid) => names.some((name) => volid.includes(name)));
    const onZfs = storage.type === 'zfspool' && names.some((name) => zfs.datasets[`${storage.props.pool}/${name}`]);
    if (!inConfig && !onZfs) return n;
  }
}

export interface AllocateRequest {
  kind: GuestKind;
  vmid: number;
  storageId: string;
  bytes: number;
  /** Volids already used by the guest (so numbering continues after them). */
  taken: Set<string>;
  /** A linked clone of this base volume (template disk) instead of a new empty volume. */
  linkedFrom?: string;
  /** `vm-ID-cloudinit` instead of a numbered disk. */
  cloudinit?: boolean;
}

/** Allocate a volume and return its volid. */
export function allocateVolume(env: SimEnv, zfs: ZfsState, request: AllocateRequest): string {
  const storage = findStorage(env, request.storageId);
  assertContent(storage, request.kind);
  const n = nextDiskNumber(zfs, storage, request.vmid, request.taken);
  const isSubvol = request.kind === 'lxc';
  let volname: string;
  if (storage.type === 'zfspool') {
    volname = request.cloudinit ? `vm-${request.vmid}-cloudinit` : `${isSubvol ? 'subvol' : 'vm'}-${request.vmid}-disk-${n}`;
    const dataset = `${storage.props.pool}/${volname}`;
    try {
      if (isSubvol) {
        createDataset(zfs, dataset, {
          type: 'filesystem',
          props: { acltype: 'posixacl', xattr: 'sa', ...(request.bytes > 0 ? { refquota: String(request.bytes) } : {}) },
        });
      } else {
        createDataset(zfs, dataset, { type: 'volume', props: { volsize: String(request.bytes) }, sparse: storage.props.sparse === '1' });
      }
    } catch (e) {
      if (e instanceof ZfsError) throw new SimError(`zfs error: ${e.message}`);
      throw e;
    }
    if (request.linkedFrom) volname = `${splitVolid(request.linkedFrom)!.volname}/${volname}`;
  } else if (storage.type === 'dir') {
    const extension = isSubvol ? 'raw' : 'qcow2';
    volname = request.cloudinit ? `${request.vmid}/vm-${request.vmid}-cloudinit.qcow2` : `${request.vmid}/vm-${request.vmid}-disk-${n}.${extension}`;
  } else {
    throw new SimError(`storage '${storage.id}' of type '${storage.type}' is not supported by the simulator`);
  }
  return `${storage.id}:${volname}`;
}

/** Free a guest's own volume (not a template's base it is linked to). Missing volumes are ignored. */
export function freeVolume(env: SimEnv, zfs: ZfsState, volid: string): void {
  const parts = splitVolid(volid);
  if (!parts) return;
  let storage: StorageEntry;
  try {
    storage = findStorage(env, parts.storage);
  } catch {
    return;
  }
  if (storage.type !== 'zfspool') return;
  const dataset = zfsDataset(storage, parts.volname);
  if (zfs.datasets[dataset]) destroyDataset(zfs, dataset, true);
}

/** Free a volume only if it is this guest's (not another guest's, e.g. the template base a linked clone uses). */
export function freeOwnVolume(env: SimEnv, zfs: ZfsState, vmid: number, volid: string): void {
  if (volumeOwner(splitVolid(volid)?.volname ?? '') === vmid) freeVolume(env, zfs, volid);
}

/**
 * A guest's disk becomes a template's base volume (pve-storage ZFSPoolPlugin.pm / Plugin.pm create_base):
 * `subvol-100-disk-0` → `basevol-100-disk-0`, `vm-100-disk-0` → `base-100-disk-0` (a linked clone keeps its
 * base: `base-900-disk-0/vm-101-disk-0` → `base-900-disk-0/base-101-disk-0`). A base volume cannot become
 * one again. Returns the new volid.
 */
export function convertToBase(env: SimEnv, zfs: ZfsState, volid: string): string {
  const parts = splitVolid(volid);
  if (!parts) return volid;
  if (/^(?:base|basevol)-\d+-/.test(parts.volname.split('/').pop()!)) throw new SimError('create_base not possible with base image');
  const renamed = parts.volname.replace(/(^|\/)(subvol|vm)-(\d+)-disk-/, (_, slash: string, kind: string, vmid: string) => `${slash}${kind === 'subvol' ? 'basevol' : 'base'}-${vmid}-disk-`);
  if (renamed === parts.volname) return volid;
  const storage = findStorage(env, parts.storage);
  if (storage.type === 'zfspool') {
    const from = zfsDataset(storage, parts.volname);
    if (zfs.datasets[from]) renameDataset(zfs, from, zfsDataset(storage, renamed));
  }
  return `${parts.storage}:${renamed}`;
}

export function setVolumeSize(env: SimEnv, zfs: ZfsState, volid: string, bytes: number): void {
  const parts = splitVolid(volid);
  if (!parts) return;
  const storage = findStorage(env, parts.storage);
  if (storage.type !== 'zfspool') return;
  const dataset = zfs.datasets[zfsDataset(storage, parts.volname)];
  if (!dataset) return;
  if (dataset.type === 'volume') dataset.props.volsize = String(bytes);
  else dataset.props.refquota = String(bytes);
}

/** The bytes in a `size=` option value (`8G`), 0 when absent. */
export function sizeOption(values: Record<string, string>): number {
  return values.size ? parseSize(values.size) ?? 0 : 0;
}

