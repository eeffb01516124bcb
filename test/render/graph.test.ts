import { describe, expect, it } from 'vitest';
import { changedSubgraph, planGraph, renderDot, renderMermaid, type GraphPicture } from '../../src/render/graph.js';
import { change, plan } from './plan-fixtures.js';

const chain = plan({
  changes: [
    change({ address: 'zfs_dataset.data', action: 'no-op' }),
    change({ address: 'lxc.db', action: 'replace', dependencies: ['zfs_dataset.data'] }),
    change({ address: 'lxc.web', action: 'no-op', dependencies: ['lxc.db'] }),
    change({ address: 'feature.docker["web"]', action: 'no-op', dependencies: ['lxc.web'] }),
    change({ address: 'lxc.other', action: 'no-op' }),
    change({ address: 'lxc.new', action: 'create' }),
  ],
});

describe('plan graph pictures', () => {
  it('keeps what changes and its direct neighbours, dropping unrelated resources', () => {
    const sub = changedSubgraph(planGraph(chain));
    expect(sub.nodes.map((n) => n.id).sort()).toEqual(['lxc.db', 'lxc.new', 'lxc.web', 'zfs_dataset.data']);
    expect(sub.edges).toEqual([
      { from: 'zfs_dataset.data', to: 'lxc.db' },
      { from: 'lxc.db', to: 'lxc.web' },
    ]);
  });

  it('renders DOT with action colours and labels, edges in apply order', () => {
    const dot = renderDot(planGraph(chain));
    expect(dot).toMatch(/^digraph phoenix \{\n/);
    expect(dot).toContain('"lxc.db" [label = "lxc.db\\n(replace)", color = "#8250df", fillcolor = "#fbefff", penwidth = "2"]');
    expect(dot).toContain('"lxc.other" [label = "lxc.other", color = "#8c959f", fillcolor = "#f6f8fa"]');
    expect(dot).toContain('"zfs_dataset.data" -> "lxc.db"');
    expect(dot).toContain('"feature.docker[\\"web\\"]" [label');
    expect(dot.trimEnd().endsWith('}')).toBe(true);
  });

  it('renders DOT without actions for a configuration graph', () => {
    const graph: GraphPicture = { nodes: [{ id: 'a.b', type: 'a' }, { id: 'a.c', type: 'a' }], edges: [{ from: 'a.b', to: 'a.c' }] };
    expect(renderDot(graph)).toContain('  "a.b" [label = "a.b"]\n  "a.c" [label = "a.c"]\n  "a.b" -> "a.c"\n}');
  });

  it('renders Mermaid with safe ids, escaped labels and one class per action', () => {
    const mermaid = renderMermaid(planGraph(chain));
    const lines = mermaid.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  n0["feature.docker[#quot;web#quot;]"]');
    expect(lines).toContain('  n1["lxc.db<br/><i>replace</i>"]');
    expect(lines).toContain('  n5["zfs_dataset.data"]');
    expect(lines).toContain('  n5 --> n1');
    expect(lines).toContain('  class n1 replace');
    expect(lines).toContain('  class n2 create');
    expect(lines).toContain('  class n5 unchanged');
    expect(lines.filter((l) => l.startsWith('  classDef')).map((l) => l.split(' ')[3])).toEqual(['create', 'replace', 'unchanged']);
  });
});
