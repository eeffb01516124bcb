/**
 * The graph `phoenix graph` draws. With a plan: one node per planned instance with its action. Without:
 * one node per resource block, plus instances only recorded in state. Edges run from a dependency to
 * its dependent (apply order), like src/graph/dag.ts.
 */
import type { Config } from '../config/model.js';
import type { StateFile } from '../state/model.js';
import { resourceOf } from './address.js';
import { resourceDependencies } from './graph.js';
import type { ChangeAction, Plan } from './model.js';
import { compare } from './refresh.js';

export interface ResourceGraph {
  nodes: { id: string; type: string; action?: ChangeAction }[];
  edges: { from: string; to: string }[];
}

export function resourceGraph(config: Config, state?: StateFile, plan?: Plan): ResourceGraph {
  if (plan) {
    const ids = new Set(plan.changes.map((c) => c.address));
    return {
      nodes: plan.changes.map((c) => ({ id: c.address, type: c.type, action: c.action })),
      edges: sortEdges(plan.changes.flatMap((c) => c.dependencies.filter((d) => ids.has(d)).map((d) => ({ from: d, to: c.address })))),
    };
  }
  const nodes: ResourceGraph['nodes'] = [...config.resources.values()].map((d) => ({ id: d.address, type: d.type }));
  const edges: ResourceGraph['edges'] = [];
  for (const [resource, deps] of resourceDependencies(config)) {
    for (const dep of deps) if (dep !== resource) edges.push({ from: dep, to: resource });
  }
  const stateOnly = (state?.resources ?? []).filter((r) => !config.resources.has(resourceOf(r.address)));
  const present = new Set([...config.resources.keys(), ...stateOnly.map((r) => r.address)]);
  for (const r of stateOnly) {
    nodes.push({ id: r.address, type: r.type, action: 'delete' });
    for (const dep of r.dependencies) {
      const target = present.has(dep) ? dep : resourceOf(dep);
      if (present.has(target) && target !== r.address) edges.push({ from: target, to: r.address });
    }
  }
  nodes.sort((a, b) => compare(a.id, b.id));
  return { nodes, edges: sortEdges(edges) };
}

function sortEdges(edges: ResourceGraph['edges']): ResourceGraph['edges'] {
  const unique = new Map(edges.map((e) => [`${e.from}\u0000${e.to}`, e]));
  return [...unique.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
}
