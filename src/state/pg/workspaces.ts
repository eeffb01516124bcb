/** Workspaces: several estates in one schema, each with its own state history and lock. */
import type pg from 'pg';
import { inTransaction } from './connection.js';
import { workspaceError } from './errors.js';
import { DEFAULT_WORKSPACE, quoteIdent, workspaceNameProblem } from './keys.js';

export interface WorkspaceSummary {
  name: string;
  /** Serial of the current state, or null if nothing was written yet. */
  serial: number | null;
}

/** Every workspace, `default` included even before anything was written to it, sorted by name. */
export async function listWorkspaces(client: pg.Client, schema: string): Promise<WorkspaceSummary[]> {
  const result = await client.query<{ name: string; serial: string | null }>(
    `SELECT name, serial FROM ${quoteIdent(schema)}.workspaces ORDER BY name`,
  );
  const workspaces = result.rows.map((row) => ({ name: row.name, serial: row.serial === null ? null : Number(row.serial) }));
  if (!workspaces.some((w) => w.name === DEFAULT_WORKSPACE)) workspaces.push({ name: DEFAULT_WORKSPACE, serial: null });
  return workspaces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function workspaceExists(client: pg.Client, schema: string, name: string): Promise<boolean> {
  if (name === DEFAULT_WORKSPACE) return true;
  const result = await client.query(`SELECT 1 FROM ${quoteIdent(schema)}.workspaces WHERE name = $1`, [name]);
  return result.rowCount === 1;
}

export async function createWorkspace(client: pg.Client, schema: string, name: string): Promise<void> {
  const problem = workspaceNameProblem(name);
  if (problem !== undefined) throw workspaceError('Invalid workspace name', problem);
  const result = await client.query(`INSERT INTO ${quoteIdent(schema)}.workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING`, [name]);
  if (result.rowCount === 0 || name === DEFAULT_WORKSPACE) {
    throw workspaceError(`Workspace "${name}" already exists`, `Select it with:\n  phoenix workspace select ${name}`);
  }
}

/** Deletes a workspace and its whole history. The caller holds the workspace's lock. */
export async function deleteWorkspace(client: pg.Client, schema: string, name: string): Promise<void> {
  const s = quoteIdent(schema);
  await inTransaction(client, async () => {
    // The workspace row cascades to its versions; the lock record goes with the lock's release.
    const result = await client.query(`DELETE FROM ${s}.workspaces WHERE name = $1`, [name]);
    if (result.rowCount === 0) throw workspaceError(`Workspace "${name}" does not exist`, 'Run "phoenix workspace list" to see the workspaces.');
  });
}
