/**
 * The PostgreSQL server the pg backend tests run against: PHOENIX_TEST_PG_URL (.ci/run starts one on
 * 127.0.0.1:55432). Without a reachable server the tests are skipped with a loud message — except under
 * CI, where that is a failure, so a broken CI database can never turn into a green run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgBackend } from '../../src/state/pg/backend.js';

export const TEST_PG_URL_ENV = 'PHOENIX_TEST_PG_URL';

/** The server URL if a server answers, else undefined (after warning), or throws under CI. */
export async function testPostgresUrl(): Promise<string | undefined> {
  const url = process.env[TEST_PG_URL_ENV];
  const problem = url === undefined || url === '' ? `${TEST_PG_URL_ENV} is not set` : await unreachable(url);
  if (problem === undefined) return url;
  const message = `pg backend tests: ${problem}.`;
  if (process.env.CI) throw new Error(`${message} CI must provide a PostgreSQL server (see .ci/run).`);
  const banner = '!'.repeat(78);
  console.warn(
    `\n${banner}\n!! SKIPPING the PostgreSQL backend tests: ${problem}.\n` +
      `!! Start a server and set ${TEST_PG_URL_ENV}, e.g. postgres://postgres@127.0.0.1:55432/postgres\n${banner}\n`,
  );
  return undefined;
}

async function unreachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    return `cannot reach ${url}: ${(e as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name per test, so tests never see each other's tables, locks or workspaces. */
export function randomSchemaName(): string {
  return `phoenix_test_${randomBytes(6).toString('hex')}`;
}

/** Runs one query on a short-lived connection of its own (to inspect or clean up from outside a backend). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchemas(url: string, schemas: Iterable<string>): Promise<void> {
  for (const schema of schemas) await adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

export interface BackendSet {
  /** A backend on `schema` (a new random one by default) and `workspace` (default `default`), closed by cleanup(). */
  open(options?: { schema?: string; workspace?: string }): PgBackend;
  newSchema(): string;
  cleanup(): Promise<void>;
}

/** Tracks the backends and schemas a test file creates, so afterEach can close and drop them all. */
export function backendSet(url: string): BackendSet {
  const schemas = new Set<string>();
  const backends: PgBackend[] = [];
  const newSchema = () => {
    const schema = randomSchemaName();
    schemas.add(schema);
    return schema;
  };
  return {
    newSchema,
    open(options = {}) {
      const schemaName = options.schema ?? newSchema();
      schemas.add(schemaName);
      const backend = new PgBackend({ connectionString: url, schemaName, workspace: options.workspace });
      backends.push(backend);
      return backend;
    },
    async cleanup() {
      for (const backend of backends.splice(0)) await backend.close();
      await dropSchemas(url, schemas);
      schemas.clear();
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Starts `phoenix ARGS` (the built CLI) as a separate process; `result` resolves when it exits. */
export function startPhoenix(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args, '-no-color'], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}

export function runPhoenix(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return startPhoenix(args, options).result;
}

/**
 * Waits until some run holds the lock of `workspace` in `schema` (its lock record exists) and returns
 * the record. Polls: the tables may not even exist yet when the run is starting.
 */
export async function waitForLockRecord(
  url: string,
  schema: string,
  workspace = 'default',
): Promise<{ id: string; pid: number }> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const rows = await adminQuery<{ id: string; pid: number }>(
      url,
      `SELECT id, pid FROM "${schema}".locks WHERE workspace = $1`,
      [workspace],
    ).catch(() => []);
    if (rows.length > 0) return rows[0]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no run took the lock of ${schema}/${workspace} within a minute`);
}
