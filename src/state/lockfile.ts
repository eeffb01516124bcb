/**
 * The local backend's lock: a `<state>.lock` file holding the holder's LockInfo as JSON. Waiters poll
 * with backoff. Crash-safe by construction:
 *  - the lock file is written whole under a temporary name and hard-linked into place (`link` fails if
 *    the lock exists), so a kill never leaves an empty or half-written lock;
 *  - a lock whose holder ran on this host and has exited is stale, and so is a lock file that cannot be
 *    read (empty, garbage — left by an older phoenix or a full disk) and has not changed for a few seconds;
 *  - a stale lock is taken over by renaming it to a unique tombstone name (atomic: of two waiters one
 *    rename finds it, the other finds nothing) and checking the tombstone is the lock judged stale. A kill
 *    at any point leaves either the stale lock (the next run takes it over) or no lock: never a guard
 *    that blocks later runs.
 * Leftover temporary and tombstone files older than a minute are removed when a lock is taken.
 */
import { randomUUID } from 'node:crypto';
import { link, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DiagnosticError, error, warning, type Diagnostic } from '../config/diagnostics.js';
import type { LockInfo } from './backend.js';
import { lockInfoLines, waitedText } from './lock-message.js';

const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 1000;
/** An unreadable lock file unchanged for this long is not being written by anyone: phoenix links complete files. */
const UNREADABLE_GRACE_MS = 5_000;
/** Temporary (`.new-*`), tombstone (`.stale-*`) and old-style guard (`.takeover`) files older than this are leftovers. */
const LEFTOVER_AGE_MS = 60_000;

type Holder =
  | { kind: 'none' }
  | { kind: 'unreadable'; reason: string; ageMs: number }
  | { kind: 'held'; info: LockInfo };

export async function acquireLockFile(
  lockPath: string,
  request: Omit<LockInfo, 'id'>,
  timeoutMs: number,
  onWarning: (d: Diagnostic) => void,
): Promise<LockInfo> {
  const info: LockInfo = { id: randomUUID(), ...request };
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let pollMs = FIRST_POLL_MS;
  for (;;) {
    if (await tryCreate(lockPath, info)) {
      await removeLeftovers(lockPath);
      return info;
    }
    const holder = await readHolder(lockPath);
    if (holder.kind === 'none') continue; // released between our attempt and the read: try again at once
    if (isStale(holder) && (await takeOverStale(lockPath, holder))) {
      onWarning(takeoverWarning(lockPath, holder));
      continue;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw lockedError(lockPath, holder, timeoutMs);
    await sleep(Math.min(pollMs, remaining));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

/** The lock file's holder when it is a run that is still running (holders on other hosts count as running). */
export async function activeLockFile(lockPath: string): Promise<LockInfo | undefined> {
  const holder = await readHolder(lockPath);
  return holder.kind === 'held' && isAlive(holder.info) ? holder.info : undefined;
}

/** Removes the lock only if it is still ours (a force-unlock may have handed it to someone else). */
export async function releaseLockFile(lockPath: string, id: string, onWarning: (d: Diagnostic) => void): Promise<void> {
  const holder = await readHolder(lockPath);
  if (holder.kind === 'held' && holder.info.id === id) {
    await unlink(lockPath).catch(ignoreMissing);
    return;
  }
  onWarning(
    warning(
      'State lock was removed while this run held it',
      `The lock ${id} on ${lockPath} is no longer held by this run (was it force-unlocked?). ` +
        'Another run may have written the state in the meantime.',
    ),
  );
}

export async function forceUnlockFile(lockPath: string, id: string, onWarning: (d: Diagnostic) => void = () => {}): Promise<void> {
  const holder = await readHolder(lockPath);
  if (holder.kind === 'none') {
    throw unlockError(`There is no lock on the state: ${lockPath} does not exist.`);
  }
  if (holder.kind === 'unreadable') {
    // It names no id to check; phoenix never leaves such a file while it runs (see the header).
    await unlink(lockPath).catch(ignoreMissing);
    onWarning(
      warning(
        'Removed an unreadable lock file',
        `The lock file ${lockPath} could not be read (${holder.reason}), so its lock ID could not be compared with "${id}"; it was removed.`,
      ),
    );
    return;
  }
  if (holder.info.id !== id) {
    throw unlockError(
      `The lock ID "${id}" does not match the existing lock ID "${holder.info.id}".\n\n${lockInfoLines(['Path', lockPath], holder.info)}`,
    );
  }
  await unlink(lockPath).catch(ignoreMissing);
}

/** Writes the lock whole under a temporary name, then links it into place: the lock file is never partial. */
async function tryCreate(lockPath: string, info: LockInfo): Promise<boolean> {
  if (await stat(lockPath).then(() => true, () => false)) return false;
  const temp = `${lockPath}.new-${info.id}`;
  await writeNewFile(temp, info);
  try {
    await link(temp, lockPath);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A filesystem without hard links: exclusive create, written right after (not crash-atomic there;
    // an empty lock it may leave is taken over once it has not changed for UNREADABLE_GRACE_MS).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
      return writeNewFile(lockPath, info).then(
        () => true,
        (failure: unknown) => (failure as NodeJS.ErrnoException).code === 'EEXIST' ? false : Promise.reject(failure),
      );
    }
    throw e;
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
}

/** Creates `path` exclusively (EEXIST if it exists) holding the lock information, synced to disk. */
async function writeNewFile(path: string, info: LockInfo): Promise<void> {
  const file = await open(path, 'wx', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(info, null, 2)}\n`, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
}

async function readHolder(lockPath: string): Promise<Holder> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return unreadable(lockPath, (e as Error).message);
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    if (typeof info?.id === 'string') return { kind: 'held', info };
  } catch {
    // fall through: not lock information
  }
  return unreadable(lockPath, text.length === 0 ? 'it is empty' : 'it does not hold lock information');
}

async function unreadable(lockPath: string, reason: string): Promise<Holder> {
  const info = await stat(lockPath).catch(() => undefined);
  if (!info) return { kind: 'none' };
  return { kind: 'unreadable', reason, ageMs: Date.now() - info.mtimeMs };
}

function isStale(holder: Holder): holder is Exclude<Holder, { kind: 'none' }> {
  if (holder.kind === 'held') return !isAlive(holder.info);
  return holder.kind === 'unreadable' && holder.ageMs >= UNREADABLE_GRACE_MS;
}

/** Only a holder on this host can be checked; a pid we may not signal (EPERM) is alive. */
function isAlive(info: LockInfo): boolean {
  if (info.host !== hostname() || !Number.isSafeInteger(info.pid) || info.pid <= 0) return true;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Moves the stale lock out of the way: rename it to a unique tombstone (only one waiter's rename finds
 * it) and check the tombstone is the lock judged stale. If another run took the lock in between, that
 * fresh lock is what was moved: link it back at once.
 */
async function takeOverStale(lockPath: string, stale: Exclude<Holder, { kind: 'none' }>): Promise<boolean> {
  const same = (h: Holder): boolean =>
    stale.kind === 'held' ? h.kind === 'held' && h.info.id === stale.info.id : h.kind === 'unreadable';
  if (!same(await readHolder(lockPath))) return false;
  const tombstone = `${lockPath}.stale-${Date.now()}-${randomUUID()}`;
  try {
    await rename(lockPath, tombstone);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  try {
    if (same(await readHolder(tombstone))) return true;
    // Restoring fails only if a third run created a lock in the same instant; the run we moved then
    // learns at release that its lock was taken (releaseLockFile warns).
    await link(tombstone, lockPath).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
    return false;
  } finally {
    await unlink(tombstone).catch(ignoreMissing);
  }
}

/** Removes temporary, tombstone and old-style guard files that killed runs left next to the lock. */
async function removeLeftovers(lockPath: string): Promise<void> {
  const dir = dirname(lockPath);
  const base = basename(lockPath);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!(name.startsWith(`${base}.new-`) || name.startsWith(`${base}.stale-`) || name === `${base}.takeover`)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > LEFTOVER_AGE_MS) await unlink(path).catch(() => undefined);
  }
}

function lockedError(lockPath: string, holder: Holder, timeoutMs: number): DiagnosticError {
  const waited = waitedText(timeoutMs);
  const detail =
    holder.kind === 'held'
      ? `The state is locked by another run (waited ${waited} for it to be released).\n\n` +
        `${lockInfoLines(['Path', lockPath], holder.info)}\n\n` +
        'phoenix locks the state so that two runs never write it at the same time. Wait for the other run ' +
        'to finish and try again. If that run is no longer running (for example its machine crashed), ' +
        `remove its lock with:\n  phoenix force-unlock ${holder.info.id}`
      : `The lock file ${lockPath} exists but cannot be read (${holder.kind === 'unreadable' ? holder.reason : 'gone'}). ` +
        `phoenix takes such a file over once it has not changed for ${UNREADABLE_GRACE_MS / 1000}s; to remove it now, ` +
        'if no phoenix run is active: phoenix force-unlock -force unreadable';
  const diagnostic = error('Error acquiring the state lock', detail);
  diagnostic.subject = lockPath;
  return new DiagnosticError([diagnostic]);
}

function takeoverWarning(lockPath: string, stale: Exclude<Holder, { kind: 'none' }>): Diagnostic {
  if (stale.kind === 'unreadable') {
    return warning(
      'Took over an unreadable state lock',
      `The lock file ${lockPath} could not be read (${stale.reason}) and had not changed for ` +
        `${Math.round(stale.ageMs / 1000)}s: a run killed while creating it left it behind. It now belongs to this run.`,
    );
  }
  const info = stale.info;
  return warning(
    'Took over a stale state lock',
    `The lock ${info.id} (${info.operation} by ${info.who}, PID ${info.pid}, created ${info.created}) ` +
      `was left behind by a process on this host that is no longer running; ${lockPath} now belongs to this run.`,
  );
}

function unlockError(detail: string): DiagnosticError {
  return new DiagnosticError([error('Failed to unlock state', detail)]);
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
