/**
 * The local backend's lock: a `<state>.lock` file created exclusively (O_EXCL) holding the holder's
 * LockInfo as JSON. Waiters poll with backoff. A lock whose holder ran on this host and has exited is
 * stale and is taken over, under a short-lived `.takeover` guard so two waiters cannot both take it.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DiagnosticError, error, warning, type Diagnostic } from '../config/diagnostics.js';
import type { LockInfo } from './backend.js';
import { lockInfoLines, waitedText } from './lock-message.js';

const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 1000;
/** A takeover guard older than this was left by a process that died mid-takeover. */
const ABANDONED_TAKEOVER_MS = 30_000;

type Holder = { kind: 'none' } | { kind: 'unreadable'; reason: string } | { kind: 'held'; info: LockInfo };

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
    if (await tryCreate(lockPath, info)) return info;
    const holder = await readHolder(lockPath);
    if (holder.kind === 'none') continue; // released between our attempt and the read: try again at once
    if (holder.kind === 'held' && !isAlive(holder.info)) {
      if (await takeOverStale(lockPath, holder.info)) {
        onWarning(takeoverWarning(lockPath, holder.info));
        continue;
      }
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw lockedError(lockPath, holder, timeoutMs);
    await sleep(Math.min(pollMs, remaining));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
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

export async function forceUnlockFile(lockPath: string, id: string): Promise<void> {
  const holder = await readHolder(lockPath);
  if (holder.kind === 'none') {
    throw unlockError(`There is no lock on the state: ${lockPath} does not exist.`);
  }
  if (holder.kind === 'unreadable') {
    throw unlockError(`The lock file ${lockPath} cannot be read (${holder.reason}). If no phoenix run is active, delete it.`);
  }
  if (holder.info.id !== id) {
    throw unlockError(
      `The lock ID "${id}" does not match the existing lock ID "${holder.info.id}".\n\n${lockInfoLines(['Path', lockPath], holder.info)}`,
    );
  }
  await unlink(lockPath).catch(ignoreMissing);
}

async function tryCreate(lockPath: string, info: LockInfo): Promise<boolean> {
  let file;
  try {
    file = await open(lockPath, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await file.writeFile(`${JSON.stringify(info, null, 2)}\n`, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  return true;
}

async function readHolder(lockPath: string): Promise<Holder> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unreadable', reason: (e as Error).message };
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    if (typeof info?.id === 'string') return { kind: 'held', info };
  } catch {
    // fall through: an empty or partial file is normal for a moment while its creator writes it
  }
  return { kind: 'unreadable', reason: 'it does not hold lock information' };
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
 * Deletes the stale lock if it is still the one we judged stale. The `.takeover` guard makes the
 * check-then-delete exclusive; without it a slower waiter could delete the lock a faster one just took.
 */
async function takeOverStale(lockPath: string, stale: LockInfo): Promise<boolean> {
  const guardPath = `${lockPath}.takeover`;
  let guard;
  try {
    guard = await open(guardPath, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    await removeAbandonedGuard(guardPath);
    return false;
  }
  try {
    const holder = await readHolder(lockPath);
    if (holder.kind !== 'held' || holder.info.id !== stale.id) return false;
    await unlink(lockPath).catch(ignoreMissing);
    return true;
  } finally {
    await guard.close();
    await unlink(guardPath).catch(ignoreMissing);
  }
}

async function removeAbandonedGuard(guardPath: string): Promise<void> {
  const info = await stat(guardPath).catch(() => undefined);
  if (info !== undefined && Date.now() - info.mtimeMs > ABANDONED_TAKEOVER_MS) {
    await unlink(guardPath).catch(ignoreMissing);
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
        'If no phoenix run is active, delete that file and try again.';
  const diagnostic = error('Error acquiring the state lock', detail);
  diagnostic.subject = lockPath;
  return new DiagnosticError([diagnostic]);
}

function takeoverWarning(lockPath: string, stale: LockInfo): Diagnostic {
  return warning(
    'Took over a stale state lock',
    `The lock ${stale.id} (${stale.operation} by ${stale.who}, PID ${stale.pid}, created ${stale.created}) ` +
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
