/**
 * The workspace lock: a session-level `pg_try_advisory_lock` on the backend's one dedicated connection,
 * retried with backoff until -lock-timeout, plus a row in `locks` saying who holds it so a run that has
 * to wait (or give up) can name the holder. The advisory lock is the truth, the row only describes it:
 * when a holder dies its session ends, Postgres releases the advisory lock, and the row it leaves
 * behind is overwritten by the next run that gets the lock.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { DiagnosticError, error, warning, type Diagnostic } from '../../config/diagnostics.js';
import type { LockInfo } from '../backend.js';
import { keyHalves, quoteIdent, workspaceLockKey } from './keys.js';
import { lockInfoLines, waitedText } from '../lock-message.js';

export interface LockScope {
  client: pg.Client;
  schema: string;
  workspace: string;
  /** `pg (schema phoenix, workspace default)`, for messages. */
  description: string;
}

interface LockRecord extends LockInfo {
  /** The server process of the session that wrote the record (pg_backend_pid()). */
  backend_pid: number;
}

const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1000;
/** How long force-unlock waits for a terminated session to let go of its lock. */
const TERMINATION_WAIT_MS = 5000;

export async function acquireWorkspaceLock(
  scope: LockScope,
  request: Omit<LockInfo, 'id'>,
  timeoutMs: number,
  onWarning: (d: Diagnostic) => void,
): Promise<LockInfo> {
  const info: LockInfo = { id: randomUUID(), ...request };
  const key = workspaceLockKey(scope.schema, scope.workspace);
  const deadline = Date.now() + Math.max(0, timeoutMs);
  let pollMs = FIRST_POLL_MS;
  for (;;) {
    const attempt = await scope.client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [key]);
    if (attempt.rows[0]!.got) {
      const stale = await replaceRecord(scope, info);
      if (stale !== undefined) onWarning(staleRecordWarning(scope, stale));
      return info;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw lockedError(scope, await describeHolder(scope), timeoutMs);
    // Jitter keeps several waiters from polling in step.
    await sleep(Math.min(pollMs * (0.75 + Math.random() / 2), remaining));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

/** Drops our record (if it is still ours) and the advisory lock. Warns if someone removed the record. */
export async function releaseWorkspaceLock(scope: LockScope, id: string, onWarning: (d: Diagnostic) => void): Promise<void> {
  const deleted = await scope.client.query(`DELETE FROM ${locksTable(scope)} WHERE workspace = $1 AND id = $2`, [scope.workspace, id]);
  await scope.client.query('SELECT pg_advisory_unlock($1)', [workspaceLockKey(scope.schema, scope.workspace)]);
  if (deleted.rowCount === 0) onWarning(lockRemovedWarning(scope, id));
}

/**
 * Removes the lock `id`: its record, and — if the session that wrote it still holds the advisory lock —
 * that session itself (pg_terminate_backend), since an advisory lock can only be released by its owner.
 */
export async function forceUnlockWorkspace(scope: LockScope, id: string): Promise<void> {
  const record = await readRecord(scope);
  const holderPid = await advisoryHolderPid(scope);
  if (record === undefined) {
    throw unlockError(
      holderPid === undefined
        ? `There is no lock on ${scope.description}.`
        : `${scope.description} is locked by database session ${holderPid}, which has not recorded a lock id yet; ` +
            `the lock ID "${id}" does not match it. Try again in a moment.`,
    );
  }
  if (record.id !== id) {
    throw unlockError(`The lock ID "${id}" does not match the existing lock ID "${record.id}".\n\n${lockInfoLines(['Backend', scope.description], record)}`);
  }
  await scope.client.query(`DELETE FROM ${locksTable(scope)} WHERE workspace = $1 AND id = $2`, [scope.workspace, id]);
  // A different session holding the lock means the record was stale and a new run owns the lock now.
  if (holderPid === undefined || holderPid !== record.backend_pid) return;
  await terminateSession(scope, holderPid);
}

async function terminateSession(scope: LockScope, pid: number): Promise<void> {
  let terminated: boolean;
  try {
    const result = await scope.client.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
    terminated = result.rows[0]!.done;
  } catch (e) {
    throw unlockError(
      `The lock record was removed, but the database session ${pid} still holds the lock and could not be ended: ` +
        `${(e as Error).message}.\nAsk a database administrator to run: SELECT pg_terminate_backend(${pid});`,
    );
  }
  const deadline = Date.now() + TERMINATION_WAIT_MS;
  while (terminated && Date.now() < deadline) {
    if ((await advisoryHolderPid(scope)) !== pid) return;
    await sleep(100);
  }
  throw unlockError(`The database session ${pid} holding the lock on ${scope.description} did not end.`);
}

/** The server pid of the session holding the workspace's advisory lock, if any. */
async function advisoryHolderPid(scope: LockScope): Promise<number | undefined> {
  const { high, low } = keyHalves(workspaceLockKey(scope.schema, scope.workspace));
  const result = await scope.client.query<{ pid: number }>(
    `SELECT pid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid::bigint = $1 AND objid::bigint = $2
      LIMIT 1`,
    [high, low],
  );
  return result.rows[0]?.pid;
}

/** Writes our record, returning the one it replaced: left by a holder whose session ended. */
async function replaceRecord(scope: LockScope, info: LockInfo): Promise<LockRecord | undefined> {
  const stale = await readRecord(scope);
  await scope.client.query(
    `INSERT INTO ${locksTable(scope)} (workspace, id, operation, who, host, pid, version, created, backend_pid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, pg_backend_pid())
     ON CONFLICT (workspace) DO UPDATE SET id = EXCLUDED.id, operation = EXCLUDED.operation, who = EXCLUDED.who,
       host = EXCLUDED.host, pid = EXCLUDED.pid, version = EXCLUDED.version, created = EXCLUDED.created,
       backend_pid = EXCLUDED.backend_pid`,
    [scope.workspace, info.id, info.operation, info.who, info.host, info.pid, info.version, info.created],
  );
  return stale;
}

async function readRecord(scope: LockScope): Promise<LockRecord | undefined> {
  const result = await scope.client.query<LockRecord>(
    `SELECT id, operation, who, host, pid, version, created, backend_pid FROM ${locksTable(scope)} WHERE workspace = $1`,
    [scope.workspace],
  );
  return result.rows[0];
}

type Holder = { record?: LockRecord; pid?: number };

async function describeHolder(scope: LockScope): Promise<Holder> {
  return { record: await readRecord(scope), pid: await advisoryHolderPid(scope) };
}

function locksTable(scope: LockScope): string {
  return `${quoteIdent(scope.schema)}.locks`;
}

function lockedError(scope: LockScope, holder: Holder, timeoutMs: number): DiagnosticError {
  const waited = waitedText(timeoutMs);
  const about =
    holder.record !== undefined
      ? `${lockInfoLines(['Backend', scope.description], holder.record)}\n\n` +
        'phoenix locks the state so that two runs never write it at the same time. Wait for the other run to ' +
        'finish and try again. A run that dies loses its lock with its database connection, so a crashed run ' +
        'needs no action; only a run that hangs does. To end it and remove its lock:\n' +
        `  phoenix force-unlock ${holder.record.id}`
      : `The lock is held by database session ${holder.pid ?? '(unknown)'}, which has not recorded who it is yet.`;
  const diagnostic = error(
    'Error acquiring the state lock',
    `${scope.description} is locked by another run (waited ${waited} for it to be released).\n\n${about}`,
  );
  diagnostic.subject = scope.description;
  return new DiagnosticError([diagnostic]);
}

function staleRecordWarning(scope: LockScope, stale: LockRecord): Diagnostic {
  return warning(
    'Replaced a stale state lock record',
    `The lock ${stale.id} (${stale.operation} by ${stale.who}, PID ${stale.pid} on ${stale.host}, created ${stale.created}) ` +
      `was left by a run whose database session has ended; its lock on ${scope.description} was already released.`,
  );
}

function lockRemovedWarning(scope: LockScope, id: string): Diagnostic {
  return warning(
    'State lock was removed while this run held it',
    `The lock record ${id} on ${scope.description} was removed by someone else (was it force-unlocked?). ` +
      'Another run may have written the state in the meantime.',
  );
}

function unlockError(detail: string): DiagnosticError {
  return new DiagnosticError([error('Failed to unlock state', detail)]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
