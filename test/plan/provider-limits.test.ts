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

/** A test_resource that records how many of its creates (and of its held steps) run at once. */
function measured(options: { onNode: boolean; holdKey?: string }) {
  const peak = { creates: 0, held: 0 };
  let creates = 0;
  let held = 0;
  const h = harness({
    wrap: (p) => ({
      ...p,
      // With a `node` attribute the type lives on a node and counts against its limit.
      schema: options.onNode ? { ...p.schema, attributes: { ...p.schema.attributes, node: { type: 'string', optional: true, description: 'Node.' } } } : p.schema,
      create: async (ctx, planned) => {
        peak.creates = Math.max(peak.creates, ++creates);
        try {
          const step = async () => {
            peak.held = Math.max(peak.held, ++held);
            await new Promise((r) => setTimeout(r, 5));
            held--;
          };
          if (options.holdKey) await ctx.hold!([options.holdKey], step);
          return await p.create(ctx, planned);
        } finally {
          creates--;
        }
      },
    }),
  });
  return { h, peak };
}

async function applyAll(h: ReturnType<typeof harness>, count: number, extra = '') {
  const hcl = `resource "test_resource" "n" {\n count = ${count}\n name = "n\${count.index}"\n sleep_ms = 20\n${extra}}`;
  const { plan } = await h.plan(hcl, newState());
  const applied = await applyPlan({
    config: config(hcl),
    variables: {},
    registry: h.registry,
    nodes: new Map([['pve', fakeNode('pve', 2)]]),
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
  expect(applied.state.resources).toHaveLength(count);
}

describe('apply concurrency', () => {
  it('never runs more operations on a node than its maxParallel', async () => {
    const { h, peak } = measured({ onNode: true });
    await applyAll(h, 6, ' node = "pve"\n');
    expect(peak.creates).toBe(2);
  });

  it('host-less resources are bound by -parallelism only, not by the implicit node limit', async () => {
    const { h, peak } = measured({ onNode: false });
    await applyAll(h, 8);
    expect(peak.creates).toBe(8);
  });

  it('a key taken with ctx.hold binds only that step: the rest of the operations overlap', async () => {
    const { h, peak } = measured({ onNode: false, holdKey: 'clone-source:pve/900' });
    await applyAll(h, 6);
    expect(peak.held).toBe(1); // any key without its own setting allows one holder
    expect(peak.creates).toBeGreaterThan(1);
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
