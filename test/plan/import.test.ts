import { describe, expect, it } from 'vitest';
import { OWNER_KEY } from '../../src/resources/provider.js';
import { importAll, importResource } from '../../src/plan/import.js';
import { runHealthChecks } from '../../src/plan/check.js';
import { resourceGraph } from '../../src/plan/resource-graph.js';
import type { ProviderContext } from '../../src/resources/provider.js';
import { actions, config, errors, harness, newState, type Harness } from './harness.js';

const ctx: ProviderContext = { nodes: new Map(), progress: () => {}, signal: new AbortController().signal };

const HCL = `
resource "test_resource" "legacy" {
  name  = "legacy"
  value = "v"
}
resource "test_resource" "fresh" { name = "fresh" }`;

function engine(h: Harness, hcl: string) {
  return { config: config(hcl), variables: {}, registry: h.registry, nodes: new Map(), workingDir: '/work', readFile: () => '' };
}

describe('import', () => {
  it('imports an existing object into a configured address; the next plan has no create for it', async () => {
    const h = harness();
    const existing = await h.provider.create(ctx, { name: 'legacy', value: 'v' });
    const { state, diagnostics } = await importResource({ ...engine(h, HCL), state: newState(), address: 'test_resource.legacy', id: String(existing.id) });
    expect(diagnostics).toEqual([]);
    expect(state.serial).toBe(1);
    expect(state.resources).toEqual([expect.objectContaining({ address: 'test_resource.legacy', provider: 'builtin', attributes: existing })]);
    // Import writes the proof onto the object and records it.
    expect(state.resources[0]!.owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.store.load().legacy![OWNER_KEY]).toBe(state.resources[0]!.owner);
    const { plan } = await h.plan(HCL, state);
    expect(actions(plan)).toEqual({ 'test_resource.fresh': 'create', 'test_resource.legacy': 'no-op' });
  });

  it('refuses addresses not in config and already-managed ones', async () => {
    const h = harness();
    const missing = await importResource({ ...engine(h, HCL), state: newState(), address: 'test_resource.legacyy', id: 'x' });
    expect(errors(missing.diagnostics).join('\n')).toMatch(/does not exist.*Did you mean test_resource.legacy/s);
    const { state } = await h.converge(HCL, newState());
    const again = await importResource({ ...engine(h, HCL), state, address: 'test_resource.legacy', id: 'legacy' });
    expect(errors(again.diagnostics).join('\n')).toMatch(/already managed/);
    const absent = await importResource({ ...engine(h, HCL), state: newState(), address: 'test_resource.fresh', id: 'nope' });
    expect(errors(absent.diagnostics).join('\n')).toMatch(/Cannot import.*nope/s);
  });

  it('import -all adopts every configured object that exists on the host', async () => {
    const h = harness();
    await h.provider.create(ctx, { name: 'legacy', value: 'v' });
    const { state, imported, diagnostics } = await importAll({ ...engine(h, HCL), state: newState() });
    expect(errors(diagnostics)).toEqual([]);
    expect(imported).toEqual(['test_resource.legacy']);
    expect(state.resources.map((r) => r.address)).toEqual(['test_resource.legacy']);
  });
});

describe('health checks and graph', () => {
  it('runHealthChecks reports each object, failures as diagnostics', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "ok" { name = "ok" }\nresource "test_resource" "sick" {\n name = "sick"\n check_fails = true\n}`;
    const { state } = await h.converge(hcl, newState());
    const report = await runHealthChecks({ registry: h.registry, nodes: new Map(), state });
    expect(report.results.map((r) => [r.address, r.ok])).toEqual([
      ['test_resource.ok', true],
      ['test_resource.sick', false],
    ]);
    expect(report.diagnostics.map((d) => d.subject)).toEqual(['test_resource.sick']);
    const only = await runHealthChecks({ registry: h.registry, nodes: new Map(), state, targets: ['test_resource.ok'] });
    expect(only.results).toHaveLength(1);
  });

  it('resourceGraph: resource blocks with reference edges, or planned instances with actions', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "a" { name = "a" }\nresource "test_resource" "b" {\n count = 2\n name = "b\${count.index}"\n value = test_resource.a.id\n}`;
    expect(resourceGraph(config(hcl))).toEqual({
      nodes: [
        { id: 'test_resource.a', type: 'test_resource' },
        { id: 'test_resource.b', type: 'test_resource' },
      ],
      edges: [{ from: 'test_resource.a', to: 'test_resource.b' }],
    });
    const { plan } = await h.plan(hcl, newState());
    const graph = resourceGraph(config(hcl), undefined, plan);
    expect(graph.nodes.map((n) => `${n.id}:${n.action}`)).toEqual(['test_resource.a:create', 'test_resource.b[0]:create', 'test_resource.b[1]:create']);
    expect(graph.edges).toEqual([
      { from: 'test_resource.a', to: 'test_resource.b[0]' },
      { from: 'test_resource.a', to: 'test_resource.b[1]' },
    ]);
  });
});
