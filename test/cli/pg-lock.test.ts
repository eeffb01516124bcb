/**
 * The pg backend's lock, end to end: real `phoenix apply` processes against one workspace. Runs are
 * made slow with test_resource's sleep_ms; "holding the lock" is observed in the locks table, never
 * guessed from timing.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminQuery, dropSchemas, randomSchemaName, runPhoenix, startPhoenix, testPostgresUrl, waitForLockRecord } from '../helpers/pg.js';

const url = await testPostgresUrl();

interface Estate {
  dir: string;
  schema: string;
  env: NodeJS.ProcessEnv;
}

async function estate(schemas: string[]): Promise<Estate> {
  const dir = await mkdtemp(join(tmpdir(), 'phoenix-pg-cli-'));
  const schema = randomSchemaName();
  schemas.push(schema);
  return { dir, schema, env: { PHOENIX_PG_CONN_STR: url, PHOENIX_TEST_STORE: join(dir, 'objects.json') } };
}

async function configure(target: Estate, sleepMs: number, value = 'first'): Promise<void> {
  const config =
    `backend "pg" {\n  schema_name = "${target.schema}"\n}\n\n` +
    `resource "test_resource" "slow" {\n  name     = "slow"\n  value    = "${value}"\n  sleep_ms = ${sleepMs}\n}\n`;
  await writeFile(join(target.dir, 'main.hcl'), config);
}

const apply = (...flags: string[]) => ['apply', '-auto-approve', ...flags];

async function storedSerials(target: Estate): Promise<number[]> {
  const rows = await adminQuery<{ serial: string }>(url!, `SELECT serial FROM "${target.schema}".states ORDER BY serial`);
  return rows.map((r) => Number(r.serial));
}

describe.skipIf(url === undefined)('pg backend: concurrent phoenix runs', () => {
  const schemas: string[] = [];
  afterEach(() => dropSchemas(url!, schemas.splice(0)));

  it('runs one of two concurrent applies; the other fails at once naming the holder', async () => {
    const target = await estate(schemas);
    await configure(target, 6000); // long enough for the second process to start while the first holds the lock
    const first = startPhoenix(apply(), { cwd: target.dir, env: target.env });
    const holder = await waitForLockRecord(url!, target.schema);
    expect(holder.pid).toBe(first.child.pid);

    const second = await runPhoenix(apply(), { cwd: target.dir, env: target.env });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Error acquiring the state lock');
    expect(second.stderr).toContain(`ID:        ${holder.id}`);
    expect(second.stderr).toContain(`PID:       ${first.child.pid}`);
    expect(second.stderr).toContain('Operation: apply');

    const done = await first.result;
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('1 added');
    // Only the first run wrote: one object, and the history is the first run's alone.
    const objects = JSON.parse(await readFile(target.env.PHOENIX_TEST_STORE!, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(objects)).toHaveLength(1);
    expect(second.stdout).not.toContain('Apply complete');
  });

  it('lets the second run wait with -lock-timeout and proceed once the first is done', async () => {
    const target = await estate(schemas);
    await configure(target, 1500);
    const first = startPhoenix(apply(), { cwd: target.dir, env: target.env });
    await waitForLockRecord(url!, target.schema);
    const second = await runPhoenix(apply('-lock-timeout=60s'), { cwd: target.dir, env: target.env });
    expect((await first.result).code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/No changes/);
  });

  it('frees the lock of a run killed with SIGKILL: the next run proceeds without force-unlock', async () => {
    const target = await estate(schemas);
    await configure(target, 60_000);
    const doomed = startPhoenix(apply(), { cwd: target.dir, env: target.env });
    const stale = await waitForLockRecord(url!, target.schema);
    doomed.child.kill('SIGKILL');
    await doomed.result;

    await configure(target, 0);
    // The timeout only covers the moment the server needs to notice the closed connection.
    const next = await runPhoenix(apply('-lock-timeout=30s'), { cwd: target.dir, env: target.env });
    expect(next.stderr).toContain('Replaced a stale state lock record');
    expect(next.stderr).toContain(stale.id);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('Apply complete!');
  });

  it('force-unlock ends a hung run: it stops without writing, and the next run gets the lock', async () => {
    const target = await estate(schemas);
    await configure(target, 0);
    expect((await runPhoenix(apply(), { cwd: target.dir, env: target.env })).code).toBe(0);
    const serialsBefore = await storedSerials(target);

    await configure(target, 8000, 'changed');
    const hung = startPhoenix(apply(), { cwd: target.dir, env: target.env });
    const lock = await waitForLockRecord(url!, target.schema);
    const unlock = await runPhoenix(['force-unlock', '-force', lock.id], { cwd: target.dir, env: target.env });
    expect(unlock.code).toBe(0);
    expect(unlock.stdout).toContain('successfully unlocked');

    const stopped = await hung.result;
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/connection to pg .* was closed/);
    expect(await storedSerials(target)).toEqual(serialsBefore);
    expect((await runPhoenix(['plan', '-lock-timeout=30s'], { cwd: target.dir, env: target.env })).code).toBe(0);
  });
});
