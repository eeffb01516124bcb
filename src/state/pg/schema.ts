/**
 * The backend's tables, created on first use and migrated forward by numbered steps. Setup runs in one
 * transaction under a transaction-level advisory lock keyed on the schema, so two runs starting at once
 * against an empty database cannot trip over each other's CREATE statements (Terraform's pg backend had
 * exactly that race, TF#33217); the lock ends with the transaction whatever happens.
 */
import type pg from 'pg';
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { inTransaction } from './connection.js';
import { quoteIdent, schemaSetupKey } from './keys.js';

/**
 * Tables, for the operator reading them:
 * - workspaces: one row per estate, pointing at its current state version (the row `FOR UPDATE` serialises writers);
 * - states: every version ever written (serial history), the exact text phoenix serialised;
 * - locks: who holds (or last held) each workspace's advisory lock, for error messages;
 * - journal: an apply's changes on top of the workspace's current version (src/state/journal.ts), one
 *   row per record, deleted when the run writes its whole state.
 */
const MIGRATIONS: readonly ((schema: string) => string[])[] = [
  (s) => [
    `CREATE TABLE ${s}.workspaces (
       name text PRIMARY KEY,
       created_at timestamptz NOT NULL DEFAULT now(),
       current_state_id bigint,
       serial bigint,
       lineage text,
       updated_at timestamptz)`,
    `CREATE TABLE ${s}.states (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       workspace text NOT NULL REFERENCES ${s}.workspaces (name) ON DELETE CASCADE,
       serial bigint NOT NULL,
       lineage text NOT NULL,
       data text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       written_by text NOT NULL,
       UNIQUE (workspace, serial))`,
    `CREATE TABLE ${s}.locks (
       workspace text PRIMARY KEY,
       id text NOT NULL UNIQUE,
       operation text NOT NULL,
       who text NOT NULL,
       host text NOT NULL,
       pid integer NOT NULL,
       version text NOT NULL,
       created text NOT NULL,
       backend_pid integer NOT NULL)`,
  ],
  (s) => [
    `CREATE TABLE ${s}.journal (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       workspace text NOT NULL REFERENCES ${s}.workspaces (name) ON DELETE CASCADE,
       lineage text NOT NULL,
       base_serial bigint NOT NULL,
       entry text NOT NULL)`,
    `CREATE INDEX journal_workspace ON ${s}.journal (workspace, id)`,
  ],
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Creates or migrates the tables of `schema` if needed. Idempotent and safe to run concurrently. */
export async function ensureSchema(client: pg.Client, schema: string): Promise<void> {
  // Fast path without DDL: CREATE SCHEMA checks the CREATE privilege even when the schema exists.
  if ((await appliedVersion(client, schema)) === SCHEMA_VERSION) return;
  const s = quoteIdent(schema);
  await inTransaction(client, async () => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [schemaSetupKey(schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = (await appliedVersion(client, schema)) ?? 0;
    for (let version = applied + 1; version <= SCHEMA_VERSION; version++) {
      for (const statement of MIGRATIONS[version - 1]!(s)) await client.query(statement);
      await client.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [version]);
    }
  });
}

/** The highest migration applied, or undefined when the schema has no tables yet. Refuses newer ones. */
async function appliedVersion(client: pg.Client, schema: string): Promise<number | undefined> {
  const table = `${quoteIdent(schema)}.schema_migrations`;
  const exists = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  if (!exists.rows[0]!.present) return undefined;
  const result = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${table}`);
  const version = result.rows[0]!.version ?? 0;
  if (version > SCHEMA_VERSION) {
    throw new DiagnosticError([
      error(
        'pg backend: the tables are from a newer phoenix',
        `Schema "${schema}" is at table version ${version}; this phoenix knows versions up to ${SCHEMA_VERSION}. ` +
          'Upgrade phoenix to use this backend.',
      ),
    ]);
  }
  return version;
}
