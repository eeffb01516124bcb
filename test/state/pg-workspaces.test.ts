/** Workspaces of the pg backend (several estates in one schema) and the workspace selection. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentWorkspace, recordWorkspace } from '../../src/state/factory.js';
import { backendSet, testPostgresUrl } from '../helpers/pg.js';
import { sampleState } from './fixtures.js';

const url = await testPostgresUrl();

describe('workspace selection', () => {
  it('is PHOENIX_WORKSPACE, else what was recorded in .phoenix/environment, else default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phoenix-ws-'));
    expect(currentWorkspace(dir, {})).toBe('default');
    await recordWorkspace(dir, 'staging');
    expect(await readFile(join(dir, '.phoenix/environment'), 'utf8')).toBe('staging\n');
    expect(currentWorkspace(dir, {})).toBe('staging');
    expect(currentWorkspace(dir, { PHOENIX_WORKSPACE: 'prod' })).toBe('prod');
    expect(() => currentWorkspace(dir, { PHOENIX_WORKSPACE: '../etc' })).toThrow(/Invalid workspace name/);
  });
});

describe.skipIf(url === undefined)('pg backend: workspaces', () => {
  const set = backendSet(url!);
  afterEach(() => set.cleanup());

  it('keeps the estates of different workspaces apart', async () => {
    const schema = set.newSchema();
    const production = set.open({ schema });
    await production.createWorkspace('staging');
    const staging = set.open({ schema, workspace: 'staging' });

    await production.write(sampleState(7, 'prod-lineage'));
    expect(await staging.read()).toBeNull();
    await staging.write(sampleState(1, 'staging-lineage'));
    expect((await production.read())!.lineage).toBe('prod-lineage');
    expect((await staging.history()).map((v) => v.serial)).toEqual([1]);
    expect(await production.listWorkspaces()).toEqual([
      { name: 'default', serial: 7 },
      { name: 'staging', serial: 1 },
    ]);
  });

  it('lists default before anything was written, refuses duplicates and bad names', async () => {
    const backend = set.open();
    expect(await backend.listWorkspaces()).toEqual([{ name: 'default', serial: null }]);
    await backend.createWorkspace('qa');
    await expect(backend.createWorkspace('qa')).rejects.toThrow(/Workspace "qa" already exists/);
    await expect(backend.createWorkspace('default')).rejects.toThrow(/already exists/);
    await expect(backend.createWorkspace('no spaces')).rejects.toThrow(/Invalid workspace name/);
  });

  it('refuses to use a workspace that does not exist, and forgets a deleted one with its history', async () => {
    const schema = set.newSchema();
    const missing = set.open({ schema, workspace: 'ghost' });
    await expect(missing.read()).rejects.toThrow(/Workspace "ghost" does not exist/);
    await expect(missing.write(sampleState(1))).rejects.toThrow(/Workspace "ghost" does not exist/);

    await set.open({ schema }).createWorkspace('temp');
    const temp = set.open({ schema, workspace: 'temp' });
    await temp.write(sampleState(1));
    await temp.deleteWorkspace();
    await expect(temp.read()).rejects.toThrow(/does not exist/);
    expect(await temp.history()).toEqual([]);
  });
});
