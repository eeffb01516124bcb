/**
 * The instance graph joins dependencies at the referenced resource: N instances that refer to a resource
 * of M instances cost N + M edges, not N × M (2,000 features of 2,000 containers were 4 million edges and
 * minutes of planning), while every instance still waits for every instance of what it refers to.
 */
import { describe, expect, it } from 'vitest';
import { dependenciesOf, dependentsOf } from '../../src/graph/dag.js';
import { EvalContext } from '../../src/plan/eval-context.js';
import { expandInstances } from '../../src/plan/expand.js';
import { buildInstanceGraph, isJoinNode } from '../../src/plan/graph.js';
import { config } from './harness.js';

const HCL = `
resource "test_resource" "guest" {
  count = 300
  name  = "guest\${count.index}"
}

resource "test_resource" "feature" {
  count = 300
  name  = "feature\${count.index}"
  value = test_resource.guest[count.index].id
}
`;

function instanceGraph(hcl: string) {
  const cfg = config(hcl);
  const context = new EvalContext({ config: cfg, variables: {}, workingDir: '.', readFile: () => '', nodes: [] } as never);
  return buildInstanceGraph(cfg, expandInstances(context).instances, []);
}

describe('instance graph', () => {
  it('has edges linear in the instances, and the same order and dependencies as one edge per pair', () => {
    const { graph, order, dependencies, diagnostics } = instanceGraph(HCL);
    expect(diagnostics).toEqual([]);
    expect(graph.edgeCount()).toBe(600);
    expect(order).toHaveLength(600);
    expect(order.some(isJoinNode)).toBe(false);
    const position = new Map(order.map((address, i) => [address, i]));
    expect(Math.max(...Array.from({ length: 300 }, (_, i) => position.get(`test_resource.guest[${i}]`)!))).toBeLessThan(
      Math.min(...Array.from({ length: 300 }, (_, i) => position.get(`test_resource.feature[${i}]`)!)),
    );
    expect(dependencies.get('test_resource.feature[7]')).toHaveLength(300);
    const upstream = [...dependenciesOf(graph, ['test_resource.feature[7]'])].filter((id) => !isJoinNode(id));
    expect(upstream).toHaveLength(300);
    expect([...dependentsOf(graph, ['test_resource.guest[0]'])].filter((id) => !isJoinNode(id))).toHaveLength(300);
  });

  it('joins what an instance only in state recorded of a whole resource, and keeps a partial record per instance', () => {
    const a = Array.from({ length: 300 }, (_, i) => `test_resource.a[${i}]`);
    const recorded = (address: string, dependencies: string[]) => ({ address, dependencies }) as never;
    const stateOnly = [
      ...a.map((address) => recorded(address, [])),
      // Read from a state: one array per instance, equal contents.
      ...Array.from({ length: 300 }, (_, i) => recorded(`test_resource.b[${i + 1}]`, [...a])),
      recorded('test_resource.b[0]', ['test_resource.a[0]', 'test_resource.gone[0]']),
    ];
    const { graph, order, dependencies, diagnostics } = buildInstanceGraph(config(''), [], stateOnly);
    expect(diagnostics).toEqual([]);
    expect(graph.edgeCount()).toBe(300 + 300 + 1);
    expect(dependencies.get('test_resource.b[7]')).toEqual([...a].sort());
    expect(dependencies.get('test_resource.b[0]')).toEqual(['test_resource.a[0]']);
    expect(order).toHaveLength(601);
    expect(order.indexOf('test_resource.a[299]')).toBeLessThan(order.indexOf('test_resource.b[1]'));
    expect(order.indexOf('test_resource.a[0]')).toBeLessThan(order.indexOf('test_resource.b[0]'));
  });
});
