/**
 * The pg backend through the CLI: history and restoring an earlier state, push refusals, migration
 * local → pg → local, and workspaces keeping estates apart.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dropSchemas, randomSchemaName, runPhoenix, testPostgresUrl, type CliResult } from '../helpers/pg.js';

const url = await testPostgresUrl();

interface Workdir {
  dir: string;
  schema: string;
  phoenix(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  configure(options: { backend: 'pg' | 'local'; value: string }): Promise<void>;
}

async function workdir(schemas: string[]): Promise<Workdir> {
  const dir = await mkdtemp(join(tmpdir(), 'phoenix-pg-state-'));
  const schema = randomSchemaName();
  schemas.push(schema);
  const baseEnv = { PHOENIX_PG_CONN_STR: url, PHOENIX_TEST_STORE: join(dir, 'objects.json') };
  return {
    dir,
    schema,
    phoenix: (args, env = {}) => runPhoenix(args, { cwd: dir, env: { ...baseEnv, ...env } }),
    configure: async ({ backend, value }) => {
      const block = backend === 'pg' ? `backend "pg" {\n  schema_name = "${schema}"\n}\n\n` : '';
      await writeFile(join(dir, 'main.hcl'), `${block}resource "test_resource" "web" {\n  name  = "web"\n  value = "${value}"\n}\n`);
    },
  };
}

function succeeded(result: CliResult): CliResult {
  expect(result.stderr.replace(/Warning[\s\S]*/, '')).not.toMatch(/Error/);
  expect(result.code).toBe(0);
  return result;
}

describe.skipIf(url === undefined)('pg backend through the CLI', () => {
  const schemas: string[] = [];
  afterEach(() => dropSchemas(url!, schemas.splice(0)));

  it('keeps every version: history lists them, pull -serial returns one byte for byte, push -force restores it', async () => {
    const w = await workdir(schemas);
    await w.configure({ backend: 'pg', value: 'one' });
    succeeded(await w.phoenix(['apply', '-auto-approve']));
    const first = succeeded(await w.phoenix(['state', 'pull'])).stdout;
    const firstSerial = JSON.parse(first).serial as number;

    await w.configure({ backend: 'pg', value: 'two' });
    succeeded(await w.phoenix(['apply', '-auto-approve']));
    const history = succeeded(await w.phoenix(['state', 'history'])).stdout;
    expect(history.split('\n')[0]).toMatch(/^SERIAL\s+WRITTEN \(UTC\)\s+BY\s+BYTES$/);
    expect(history).toMatch(new RegExp(`^\\s*${firstSerial}\\s+\\d{4}-`, 'm'));

    expect(succeeded(await w.phoenix(['state', 'pull', `-serial=${firstSerial}`])).stdout).toBe(first);

    // Restoring: the old content is refused over a newer state, then accepted with -force as the next serial.
    await writeFile(join(w.dir, 'old.json'), first);
    const refused = await w.phoenix(['state', 'push', 'old.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Cannot push: the stored state is newer');
    const current = JSON.parse(succeeded(await w.phoenix(['state', 'pull'])).stdout);
    expect(succeeded(await w.phoenix(['state', 'push', '-force', 'old.json'])).stdout).toContain(`as serial ${current.serial + 1}`);
    const restored = JSON.parse(succeeded(await w.phoenix(['state', 'pull'])).stdout);
    expect({ ...restored, serial: firstSerial }).toEqual(JSON.parse(first));
    // Without refresh the planner sees exactly the restored state: "one", where the configuration says "two".
    expect(succeeded(await w.phoenix(['plan', '-refresh=false'])).stdout).toContain('1 to change');
  });

  it('migrates local → pg → local, the state arriving back byte for byte', async () => {
    const w = await workdir(schemas);
    await w.configure({ backend: 'local', value: 'one' });
    succeeded(await w.phoenix(['apply', '-auto-approve']));
    const localPath = join(w.dir, 'phoenix.state.json');

    await w.configure({ backend: 'pg', value: 'one' });
    const guarded = await w.phoenix(['plan']);
    expect(guarded.code).toBe(1);
    expect(guarded.stderr).toContain('Backend initialization required');
    expect((await w.phoenix(['init'])).stderr).toContain('Backend configuration changed');
    expect(succeeded(await w.phoenix(['init', '-migrate-state'])).stdout).toContain('Copied the state');
    expect(succeeded(await w.phoenix(['state', 'pull'])).stdout).toBe(await readFile(localPath, 'utf8'));
    expect(succeeded(await w.phoenix(['plan'])).stdout).toContain('No changes');

    // Work continues in pg, then the team moves back to the local file.
    await w.configure({ backend: 'pg', value: 'two' });
    succeeded(await w.phoenix(['apply', '-auto-approve']));
    const inPg = succeeded(await w.phoenix(['state', 'pull'])).stdout;
    await w.configure({ backend: 'local', value: 'two' });
    expect(succeeded(await w.phoenix(['init', '-migrate-state'])).stdout).toContain('Copied the state');
    expect(await readFile(localPath, 'utf8')).toBe(inPg);
    expect(succeeded(await w.phoenix(['plan'])).stdout).toContain('No changes');
  });

  it('refuses to migrate over a newer state', async () => {
    const w = await workdir(schemas);
    await w.configure({ backend: 'pg', value: 'one' });
    succeeded(await w.phoenix(['init']));
    succeeded(await w.phoenix(['apply', '-auto-approve']));
    const pgState = succeeded(await w.phoenix(['state', 'pull'])).stdout;
    // A local file of the same estate that went further (e.g. someone applied with -state).
    const localAhead = { ...JSON.parse(pgState), serial: JSON.parse(pgState).serial + 5 };
    await writeFile(join(w.dir, 'phoenix.state.json'), `${JSON.stringify(localAhead, null, 2)}\n`);

    await w.configure({ backend: 'local', value: 'one' });
    const refused = await w.phoenix(['init', '-migrate-state']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Cannot migrate: the destination state is newer');
    expect(JSON.parse(await readFile(join(w.dir, 'phoenix.state.json'), 'utf8')).serial).toBe(localAhead.serial);
  });

  it('keeps workspaces apart: each has its own state, selected by workspace select or PHOENIX_WORKSPACE', async () => {
    const w = await workdir(schemas);
    await w.configure({ backend: 'pg', value: 'prod' });
    succeeded(await w.phoenix(['apply', '-auto-approve']));

    expect(succeeded(await w.phoenix(['workspace', 'new', 'staging'])).stdout).toContain('Created and switched to workspace "staging"');
    expect(await readFile(join(w.dir, '.phoenix/environment'), 'utf8')).toBe('staging\n');
    const stagingStore = { PHOENIX_TEST_STORE: join(w.dir, 'staging-objects.json') };
    expect(succeeded(await w.phoenix(['plan'], stagingStore)).stdout).toContain('1 to add');
    succeeded(await w.phoenix(['apply', '-auto-approve'], stagingStore));
    expect(succeeded(await w.phoenix(['workspace', 'list'])).stdout).toBe('  default\n* staging\n');

    const stagingState = JSON.parse(succeeded(await w.phoenix(['state', 'pull'])).stdout);
    const defaultState = JSON.parse(succeeded(await w.phoenix(['state', 'pull'], { PHOENIX_WORKSPACE: 'default' })).stdout);
    expect(stagingState.lineage).not.toBe(defaultState.lineage);

    const missing = await w.phoenix(['plan'], { PHOENIX_WORKSPACE: 'nope' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Workspace "nope" does not exist');

    succeeded(await w.phoenix(['workspace', 'select', 'default']));
    const notEmpty = await w.phoenix(['workspace', 'delete', 'staging']);
    expect(notEmpty.stderr).toContain('Workspace "staging" is not empty');
    succeeded(await w.phoenix(['workspace', 'delete', '-force', 'staging']));
    expect(succeeded(await w.phoenix(['workspace', 'list'])).stdout).toBe('* default\n');
    expect(succeeded(await w.phoenix(['plan'])).stdout).toContain('No changes');
  });
});
