/**
 * What `pct clone` and `qm clone` share: the section copied, each disk's new volume, and writing the new
 * guest. Which keys are copied, the option checks and their texts stay with each tool.
 */
import type { GuestKind, SimEnv } from '../core/env.js';
import { replaceDir, sleep } from '../core/fsutil.js';
import type { PropValues } from '../core/schema.js';
import { saveZfs, type ZfsState } from '../zfs/model.js';
import type { ConfigSection, GuestConfigFile } from './config-file.js';
import type { DiskLayout } from './disk-tasks.js';
import { allocateVolume, sizeOption, splitVolid } from './disks.js';
import { requireSnapshot } from './snapshots.js';
import { createdRuntime, loadConfig, rootfsDir, saveConfig, snapshotFsDir, underConfigLock, writeRuntime } from './store.js';

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

/** Give the clone's copy of a disk its own volume (same size), in place in `disk`; the bytes the copy moves. */
export function cloneVolume(env: SimEnv, zfs: ZfsState, layout: DiskLayout, disk: PropValues, request: VolumeCloneRequest): number {
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
  return request.linked ? 0 : sizeOption(disk);
}

/** Real milliseconds a clone copying `bytes` takes on the simulated node (a linked clone copies nothing). */
export function copyMs(env: SimEnv, bytes: number): number {
  return env.guestMs((bytes / GIB) * env.cloneSecondsPerGiB);
}

const GIB = 1024 ** 3;

/**
 * The copy of a clone whose new config already carries its lock (`create` for pct, `clone` for qm):
 * it lasts `ms`, then the lock is removed from the new guest. Meanwhile every command on the new guest
 * is refused with "CT/VM is locked (…)" (AbstractConfig.pm check_lock). `flocked`: the caller holds the
 * new guest's config flock already.
 */
export async function copyThenUnlock(env: SimEnv, kind: GuestKind, newid: number, ms: number, flocked = false): Promise<void> {
  if (ms > 0) await sleep(ms);
  const unlock = () => {
    const { file } = loadConfig(env, kind, newid);
    delete file.current.values.lock;
    saveConfig(env, kind, newid, file);
  };
  if (flocked) unlock();
  else await underConfigLock(env, kind, newid, unlock);
}

/** Write the new guest: its config, its volumes, a copy of the source's files (or snapshot's); stopped. */
export function saveClone(env: SimEnv, kind: GuestKind, zfs: ZfsState, vmid: number, newid: number, clone: GuestConfigFile, snapname: string | undefined): void {
  saveConfig(env, kind, newid, clone);
  saveZfs(env, zfs);
  replaceDir(snapname !== undefined ? snapshotFsDir(env, vmid, snapname) : rootfsDir(env, vmid), rootfsDir(env, newid));
  writeRuntime(env, newid, createdRuntime(false));
}
