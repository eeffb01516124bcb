/** The `[pve:pending]` section: changes a running guest only takes on at its next start. */
import { emptySection, type GuestConfigFile } from './config-file.js';
import { pendingDeletes } from './view.js';

export function pendingSection(file: GuestConfigFile) {
  file.pending ??= emptySection();
  return file.pending;
}

export function setPending(file: GuestConfigFile, key: string, value: string): void {
  const pending = pendingSection(file);
  if (key === 'description') pending.description = value;
  else pending.values[key] = value;
  removePendingDelete(file, key);
}

export function addPendingDelete(file: GuestConfigFile, key: string): void {
  const pending = pendingSection(file);
  const deletes = new Set(pendingDeletes(file));
  deletes.add(key);
  pending.values.delete = [...deletes].join(',');
  delete pending.values[key];
}

export function removePendingDelete(file: GuestConfigFile, key: string): void {
  if (!file.pending) return;
  const remaining = pendingDeletes(file).filter((k) => k !== key);
  if (remaining.length) file.pending.values.delete = remaining.join(',');
  else delete file.pending.values.delete;
}

/** Drop a key from the pending section (applied directly, or `--revert`). */
export function clearPending(file: GuestConfigFile, key: string): void {
  if (!file.pending) return;
  if (key === 'description') file.pending.description = undefined;
  delete file.pending.values[key];
  removePendingDelete(file, key);
}

/** What a (re)start does: pending values become current, pending deletes take effect. */
export function applyPending(file: GuestConfigFile): void {
  if (!file.pending) return;
  const deletes = pendingDeletes(file);
  for (const [key, value] of Object.entries(file.pending.values)) {
    if (key !== 'delete') file.current.values[key] = value;
  }
  if (file.pending.description !== undefined) file.current.description = file.pending.description;
  for (const key of deletes) {
    if (key === 'description') file.current.description = undefined;
    else delete file.current.values[key];
  }
  file.pending = undefined;
}

/**
 * pve-guest-common AbstractConfig.pm cleanup_pending: a pending value equal to the current one is no
 * change and is dropped, as is a pending delete of a key the config does not have.
 */
export function cleanupPending(file: GuestConfigFile): void {
  if (!file.pending) return;
  for (const [key, value] of Object.entries(file.pending.values)) {
    if (key !== 'delete' && file.current.values[key] === value) delete file.pending.values[key];
  }
  for (const key of pendingDeletes(file)) {
    if (file.current.values[key] === undefined && !(key === 'description' && file.current.description !== undefined)) removePendingDelete(file, key);
  }
}
