/**
 * What `pct set` and `qm set` share (update_pct_config / update_vm): reading `--delete`/`--revert`, the
 * digest check, and how each change lands: in the config now, or in the pending section while the running
 * guest cannot take it on. Which keys apply now and which disks detach is each tool's (UpdateRules).
 */
import type { SimEnv } from '../core/env.js';
import { SimError } from '../core/errors.js';
import type { ZfsState } from '../zfs/model.js';
import { configDigest, type GuestConfigFile } from './config-file.js';
import { freeOwnVolume } from './disks.js';
import { addPendingDelete, cleanupPending, clearPending, setPending } from './pending.js';

export interface ConfigUpdate {
  changes: Record<string, string>;
  deletes: string[];
  reverts: string[];
}

/** `--delete`/`--revert` take keys separated by commas, semicolons or white space. */
const listOf = (text: string | undefined) => (text ?? '').split(/[,;\s]+/).filter(Boolean);

export function configUpdate(changes: Record<string, string>, deleteList: string | undefined, revertList: string | undefined): ConfigUpdate {
  const update = { changes, deletes: listOf(deleteList), reverts: listOf(revertList) };
  if (Object.keys(changes).length === 0 && update.deletes.length === 0 && update.reverts.length === 0) {
    throw new SimError('no options specified');
  }
  return update;
}

/** `--digest`: refuse when the config changed since the caller read it. */
export function assertDigest(digest: string | undefined, raw: string): void {
  if (digest !== undefined && digest !== configDigest(raw)) {
    throw new SimError('detected modified configuration - file changed by other user? Try again.');
  }
}

export interface UpdateRules {
  /** The key changes now (guest stopped, hot-pluggable key, ...) rather than at the next start. */
  appliesNow(key: string): boolean;
  /** A disk whose removal keeps its volume as `unusedN`, as Proxmox does. */
  isDetachableDisk(key: string, value: string): boolean;
  /** The stored form of a new value (disks allocate their volumes here). */
  normalise(key: string, value: string): string;
}

/** Reverts, then deletes, then changes, each in the order given, as Proxmox applies them. */
export function applyConfigUpdate(env: SimEnv, zfs: ZfsState, vmid: number, file: GuestConfigFile, update: ConfigUpdate, rules: UpdateRules): void {
  const values = file.current.values;
  for (const key of update.reverts) clearPending(file, key);
  for (const key of update.deletes) {
    if (!rules.appliesNow(key)) {
      addPendingDelete(file, key);
      continue;
    }
    clearPending(file, key);
    const value = values[key];
    if (key === 'description') file.current.description = undefined;
    else if (value && rules.isDetachableDisk(key, value)) moveToUnused(values, key);
    // Deleting `unusedN` destroys the volume, unless it belongs to another guest (a template's base).
    else if (value && /^unused\d+$/.test(key)) freeOwnVolume(env, zfs, vmid, value);
    delete values[key];
  }
  for (const [key, value] of Object.entries(update.changes)) {
    const stored = rules.normalise(key, value);
    clearPending(file, key);
    if (!rules.appliesNow(key)) setPending(file, key, stored);
    else if (key === 'description') file.current.description = stored;
    else values[key] = stored;
  }
  cleanupPending(file);
}

function moveToUnused(values: Record<string, string>, key: string): void {
  addUnusedVolume(values, values[key]!.split(',')[0]!);
}

/** Keeps a volume in the config as the first free `unusedN` (AbstractConfig.pm add_unused_volume). */
export function addUnusedVolume(values: Record<string, string>, volid: string): void {
  let n = 0;
  while (values[`unused${n}`] !== undefined) n++;
  values[`unused${n}`] = volid;
}
