/**
 * State versions of a workspace. Every write inserts a new `states` row and moves the workspace's
 * current pointer, inside one transaction that first locks the workspace row (SELECT ... FOR UPDATE):
 * two writers, locked or not, are serialised there, and the second one sees the first one's serial and
 * is refused instead of silently replacing it. The text is stored exactly as given and returned as is.
 */
import type pg from 'pg';
import type { JournalBase, JournalEntry } from '../journal.js';
import { inTransaction } from './connection.js';
import { stateWriteError, workspaceMissingError } from './errors.js';
import { DEFAULT_WORKSPACE, quoteIdent } from './keys.js';

export interface VersionScope {
  client: pg.Client;
  schema: string;
  workspace: string;
  description: string;
}

/** One stored version, newest first in `history()`. */
export interface StateVersion {
  serial: number;
  lineage: string;
  /** ISO 8601, when the version was written. */
  createdAt: string;
  /** `user@host (phoenix VERSION)`. */
  writtenBy: string;
  bytes: number;
}

export interface NewVersion {
  text: string;
  serial: number;
  lineage: string;
  writtenBy: string;
}

/** The current state text, or null when none was ever written (or the workspace does not exist). */
export async function currentText(scope: VersionScope): Promise<string | null> {
  const s = quoteIdent(scope.schema);
  const result = await scope.client.query<{ data: string }>(
    `SELECT v.data FROM ${s}.workspaces w JOIN ${s}.states v ON v.id = w.current_state_id WHERE w.name = $1`,
    [scope.workspace],
  );
  return result.rows[0]?.data ?? null;
}

/** The text of version `serial`, or null if the workspace never had it. */
export async function textAtSerial(scope: VersionScope, serial: number): Promise<string | null> {
  const result = await scope.client.query<{ data: string }>(
    `SELECT data FROM ${quoteIdent(scope.schema)}.states WHERE workspace = $1 AND serial = $2`,
    [scope.workspace, serial],
  );
  return result.rows[0]?.data ?? null;
}

export async function history(scope: VersionScope): Promise<StateVersion[]> {
  const result = await scope.client.query<{ serial: string; lineage: string; created_at: Date; written_by: string; bytes: number }>(
    `SELECT serial, lineage, created_at, written_by, octet_length(data) AS bytes
       FROM ${quoteIdent(scope.schema)}.states WHERE workspace = $1 ORDER BY serial DESC`,
    [scope.workspace],
  );
  return result.rows.map((row) => ({
    serial: Number(row.serial),
    lineage: row.lineage,
    createdAt: row.created_at.toISOString(),
    writtenBy: row.written_by,
    bytes: row.bytes,
  }));
}

/** Appends a version and makes it current; refuses a lineage change or a serial that does not advance. */
export async function appendVersion(scope: VersionScope, next: NewVersion): Promise<void> {
  const s = quoteIdent(scope.schema);
  await inTransaction(scope.client, async () => {
    // Row locks are held only for a few statements; a writer stuck behind one for this long is an incident.
    await scope.client.query(`SET LOCAL lock_timeout = '30s'`);
    // The default workspace always exists; others are created by `phoenix workspace new`.
    if (scope.workspace === DEFAULT_WORKSPACE) {
      await scope.client.query(`INSERT INTO ${s}.workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING`, [scope.workspace]);
    }
    const current = await scope.client.query<{ serial: string | null; lineage: string | null }>(
      `SELECT serial, lineage FROM ${s}.workspaces WHERE name = $1 FOR UPDATE`,
      [scope.workspace],
    );
    const row = current.rows[0];
    if (row === undefined) throw workspaceMissingError(scope.description, scope.workspace);
    if (row.serial !== null) assertFollows(scope, { serial: Number(row.serial), lineage: row.lineage! }, next);
    const inserted = await scope.client.query<{ id: string }>(
      `INSERT INTO ${s}.states (workspace, serial, lineage, data, written_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [scope.workspace, next.serial, next.lineage, next.text, next.writtenBy],
    );
    await scope.client.query(
      `UPDATE ${s}.workspaces SET current_state_id = $2, serial = $3, lineage = $4, updated_at = now() WHERE name = $1`,
      [scope.workspace, inserted.rows[0]!.id, next.serial, next.lineage],
    );
    // The new version holds whatever the journal recorded: it is compacted, in the same transaction.
    await scope.client.query(`DELETE FROM ${s}.journal WHERE workspace = $1`, [scope.workspace]);
  });
}

/** The journal records on top of version `base` (src/state/journal.ts), in append order. */
export async function journalEntries(scope: VersionScope, base: JournalBase): Promise<JournalEntry[]> {
  const rows = await scope.client.query<{ entry: string }>(
    `SELECT entry FROM ${quoteIdent(scope.schema)}.journal WHERE workspace = $1 AND lineage = $2 AND base_serial = $3 ORDER BY id`,
    [scope.workspace, base.lineage, base.serial],
  );
  return rows.rows.map((row) => JSON.parse(row.entry) as JournalEntry);
}

/** Appends records in one statement: durable once it returns (autocommit). */
export async function appendJournal(scope: VersionScope, base: JournalBase, entries: readonly JournalEntry[]): Promise<void> {
  await scope.client.query(
    `INSERT INTO ${quoteIdent(scope.schema)}.journal (workspace, lineage, base_serial, entry) SELECT $1, $2, $3, entry FROM unnest($4::text[]) WITH ORDINALITY AS t(entry, n) ORDER BY n`,
    [scope.workspace, base.lineage, base.serial, entries.map((entry) => JSON.stringify(entry))],
  );
}

/** Drops the records of an older version (a run that was compacted, then killed before deleting them). */
export async function clearJournal(scope: VersionScope): Promise<void> {
  await scope.client.query(`DELETE FROM ${quoteIdent(scope.schema)}.journal WHERE workspace = $1`, [scope.workspace]);
}

function assertFollows(scope: VersionScope, stored: { serial: number; lineage: string }, next: NewVersion): void {
  if (next.lineage !== stored.lineage) {
    throw stateWriteError(
      'lineage mismatch',
      `${scope.description} holds a different state (lineage "${stored.lineage}") than the one being written ` +
        `(lineage "${next.lineage}"); phoenix does not overwrite unrelated state.`,
    );
  }
  if (next.serial <= stored.serial) {
    throw stateWriteError(
      'stale serial',
      `${scope.description} is at serial ${stored.serial}, newer than or equal to the serial ${next.serial} being written: ` +
        'another run has written the state since this one read it.',
    );
  }
}
