/** Building the pg backend from the `backend "pg"` block and the environment (no server needed). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/config/values.js';
import { createPgBackend, recordWorkspace } from '../../src/state/factory.js';

async function build(settings: Record<string, Value>, env: NodeJS.ProcessEnv = {}, dir?: string) {
  const workingDir = dir ?? (await mkdtemp(join(tmpdir(), 'phoenix-pg-factory-')));
  return createPgBackend({ workingDir, env, settings, onWarning: () => undefined });
}

describe('backend "pg" settings', () => {
  it('takes the connection string from PHOENIX_PG_CONN_STR and defaults the schema to phoenix', async () => {
    const backend = await build({}, { PHOENIX_PG_CONN_STR: 'postgres://u@h/db' });
    expect(backend.description).toBe('pg (schema phoenix, workspace default)');
  });

  it('requires a connection string from somewhere, pointing at the environment variable', async () => {
    await expect(build({ schema_name: 'team' })).rejects.toThrow(/No connection string for the pg backend/);
    const failure = await build({}).catch((e: { diagnostics: { detail: string }[] }) => e.diagnostics[0]!.detail);
    expect(failure).toContain('PHOENIX_PG_CONN_STR');
  });

  it('rejects unknown or mistyped arguments', async () => {
    await expect(build({ conn_str: 'postgres://u@h/db', schema: 'x' })).rejects.toThrow(/Unsupported argument "schema"/);
    await expect(build({ conn_str: 'postgres://u@h/db', schema_name: 42 })).rejects.toThrow(/Invalid schema_name/);
  });

  it('uses the selected workspace: PHOENIX_WORKSPACE over the recorded selection', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phoenix-pg-factory-'));
    await recordWorkspace(dir, 'staging');
    const settings = { conn_str: 'postgres://u@h/db', schema_name: 'team' };
    expect((await build(settings, {}, dir)).description).toBe('pg (schema team, workspace staging)');
    expect((await build(settings, { PHOENIX_WORKSPACE: 'prod' }, dir)).description).toBe('pg (schema team, workspace prod)');
  });
});
