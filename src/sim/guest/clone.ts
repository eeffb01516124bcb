/**
 * What `pct clone` and `qm clone` share: the section copied, each disk's new volume, and writing the new
 * guest. Which keys are copied, the option checks and their texts stay with each tool.
 */
import type { GuestKind, SimEnv } from '../core/env.js';
import { replaceDir } from '../core/fsutil.js';
import type { PropValues } from '../core/schema.js';
import { saveZfs, type ZfsState } from '../zfs/model.js';
import type { ConfigSection, GuestConfigFile } from './config-file.js';
import type { DiskLayout } from './disk-tasks.js';
import { allocateVolume, sizeOption, splitVolid } from './disks.js';
import { requireSnapshot } from './snapshots.js';
import { createdRuntime, rootfsDir, saveConfig, snapshotFsDir, writeRuntime } from './store.js';

/** The section a clone copies: the current config, or the named snapshot's (which must exist). */
export function cloneSource(source: GuestConfigFile, snapname: string | undefined): ConfigSection {
  if (snapname === undefined) return source.current;
  requireSnapshot(source, snapname);
  return source.sections.get(snapname)!;
}

export interface VolumeCloneRequest {
  newid: number;
  /** `--storage`; default: the source volume's storage. */
  storage: string | undefined;
  /** A linked clone of a template's base volume instead of a full copy. */
  linked: boolean;
  /** Volids the clone already uses. */
  taken: Set<string>;
}

/** Give the clone's copy of a disk its own volume (same size), in place in `disk`. */
export function cloneVolume(env: SimEnv, zfs: ZfsState, layout: DiskLayout, disk: PropValues, request: VolumeCloneRequest): void {
  const source = disk[layout.volumeProperty]!;
  const volid = allocateVolume(env, zfs, {
    kind: layout.kind,
    vmid: request.newid,
    storageId: request.storage ?? splitVolid(source)?.storage ?? 'local',
    bytes: sizeOption(disk),
    taken: request.taken,
    linkedFrom: request.linked ? source : undefined,
  });
  disk[layout.volumeProperty] = volid;
  request.taken.add(volid);
}

/** Write the new guest: its config, its volumes, a copy of the source's files (or snapshot's); stopped. */
export function saveClone(env: SimEnv, kind: GuestKind, zfs: ZfsState, vmid: number, newid: number, clone: GuestConfigFile, snapname: string | undefined): void {
  saveConfig(env, kind, newid, clone);
  saveZfs(env, zfs);
  replaceDir(snapname !== undefined ? snapshotFsDir(env, vmid, snapname) : rootfsDir(env, vmid), rootfsDir(env, newid));
  writeRuntime(env, newid, createdRuntime(false));
}
