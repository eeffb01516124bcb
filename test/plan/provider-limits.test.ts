import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNER_KEY } from '../../src/resources/provider.js';
import { applyPlan } from '../../src/plan/apply.js';
import type { NodeHandle, ProviderContext } from '../../src/resources/provider.js';
import { createTestResourceProvider, fileStore } from '../../src/resources/test_resource/index.js';
import { config, errors, harness, newState } from './harness.js';

function fakeNode(name: string, maxParallel: number): NodeHandle {
  const fail = async (): Promise<never> => {
    throw new Error('no host commands in this test');
  };
  return {
    name,
    runner: { kind: 'local', description: 'none', run: fail, close: async () => {} },
    pveRoot: '',
    maxParallel,
    storageParallel: 1,
    run: fail,
  };
}

describe('apply concurrency', () => {
  it('never runs more operations on a node than its maxParallel', async () => {
    let running = 0;
    let peak = 0;
    const h = harness({
      wrap: (p) => ({
        ...p,
        create: async (ctx, planned) => {
          running++;
          peak = Math.max(peak, running);
          try {
            return await p.create(ctx, planned);
          } finally {
            running--;
          }
        },
      }),
    });
    const hcl = `resource "test_resource" "n" {\n count = 6\n name = "n\${count.index}"\n sleep_ms = 5\n}`;
    const { plan } = await h.plan(hcl, newState());
    const nodes = new Map([['pve', fakeNode('pve', 2)]]);
    const applied = await applyPlan({
      config: config(hcl),
      variables: {},
      registry: h.registry,
      nodes,
      workingDir: '/work',
      readFile: () => '',
      plan,
      state: newState(),
      parallelism: 10,
      persist: async () => {},
      stop: new AbortController().signal,
      onEvent: () => {},
    });
    expect(errors(applied.diagnostics)).toEqual([]);
    expect(applied.state.resources).toHaveLength(6);
    expect(peak).toBeLessThanOrEqual(2);
  });
});

describe('test_resource store', () => {
  const ctx: ProviderContext = { nodes: new Map(), progress: () => {}, signal: new AbortController().signal };

  it('a file store is shared between provider instances (as between CLI processes); edits show as drift', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'phoenix-test-store-')), 'store.json');
    const first = createTestResourceProvider(fileStore(path));
    const second = createTestResourceProvider(fileStore(path));
    const created = await first.create(ctx, { name: 'shared', value: 'v1' });
    // Made outside an apply (no proof token handed in): read reports it without proof.
    expect(await second.read(ctx, [{ address: 'test_resource.x', prior: created }])).toEqual([{ [OWNER_KEY]: null, ...created }]);
    expect(JSON.parse(readFileSync(path, 'utf8')).shared.value).toBe('v1');

    await second.update(ctx, created, { ...created, value: 'v2' }, { changed: [['value']], replacePaths: [], restartPaths: [] });
    const [seen] = await first.read(ctx, [{ address: 'test_resource.x', prior: created }]);
    expect(seen).toMatchObject({ value: 'v2', revision: 2, id: created.id });

    await first.delete(ctx, created);
    expect(await second.read(ctx, [{ address: 'test_resource.x', prior: created }])).toEqual([null]);
  });

  it('fail_on makes the named operation fail with a clear error', async () => {
    const h = harness();
    await expect(h.provider.create(ctx, { name: 'x', fail_on: 'create' })).rejects.toThrow(/create failed because fail_on = "create"/);
    const made = await h.provider.create(ctx, { name: 'y', fail_on: 'delete' });
    await expect(h.provider.delete(ctx, made)).rejects.toThrow(/delete failed/);
    await expect(h.provider.create(ctx, { name: 'y' })).rejects.toThrow(/already exists/);
  });
});
