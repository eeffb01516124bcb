/**
 * The dependency graph of resource instances, on @dagrejs/graphlib.
 *
 * Edges point from a dependency to its dependent (`b → a` when `a` depends on `b`), so graph order is
 * apply order. Unknown ids are programming errors (the loader reports bad references as diagnostics
 * before a graph is built), hence plain `Error`s.
 */
import { Graph, alg } from '@dagrejs/graphlib';
import { StringMinHeap } from './heap.js';

export { Graph };

export interface DagNode {
  id: string;
  dependsOn: string[];
}

export function buildDag(nodes: readonly DagNode[]): Graph {
  const g = new Graph({ directed: true });
  for (const node of nodes) {
    if (g.hasNode(node.id)) throw new Error(`buildDag: duplicate node id "${node.id}"`);
    g.setNode(node.id);
  }
  for (const node of nodes) {
    for (const dependency of node.dependsOn) {
      if (!g.hasNode(dependency)) throw new Error(`buildDag: "${node.id}" depends on unknown node "${dependency}"`);
      g.setEdge(dependency, node.id);
    }
  }
  return g;
}

/**
 * Every dependency cycle, for error messages. Each cycle is listed in order: `[a, b, c]` means a depends
 * on b, b on c and c on a; a self-dependency is `[a]`. Each strongly connected component yields shortest
 * cycles until every one of its members has been named, so no member of a cycle goes unreported.
 * Deterministic: cycles start at their smallest id and are sorted.
 */
export function findCycles(g: Graph): string[][] {
  const cycles = new Map<string, string[]>();
  for (const component of stronglyConnectedComponents(g)) {
    const members = new Set(component);
    const isCyclic = component.length > 1 || g.hasEdge(component[0]!, component[0]!);
    if (!isCyclic) continue;
    const unnamed = new Set(members);
    for (const start of [...component].sort()) {
      if (!unnamed.has(start)) continue;
      const cycle = rotateToSmallest(shortestCycleThrough(g, start, members));
      cycles.set(cycle.join('\u0000'), cycle);
      for (const member of cycle) unnamed.delete(member);
    }
  }
  return [...cycles.values()].sort((a, b) => compareIds(a.join('\u0000'), b.join('\u0000')));
}

/** All ids, dependencies before dependents; among nodes that are ready together, the smallest id first. */
export function topologicalOrder(g: Graph): string[] {
  const remaining = new Map<string, number>();
  const ready = new StringMinHeap();
  for (const id of g.nodes()) {
    const count = g.predecessors(id)!.length;
    remaining.set(id, count);
    if (count === 0) ready.push(id);
  }
  const order: string[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    for (const dependent of g.successors(id)!) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (order.length !== g.nodeCount()) {
    throw new Error('topologicalOrder: the graph has a cycle (call findCycles first)');
  }
  return order;
}

/** Everything the given nodes depend on, directly or not (excluding the given ids unless reached). */
export function dependenciesOf(g: Graph, ids: Iterable<string>): Set<string> {
  return reachable(g, ids, (id) => g.predecessors(id)!);
}

/** Everything that depends on the given nodes, directly or not (excluding the given ids unless reached). */
export function dependentsOf(g: Graph, ids: Iterable<string>): Set<string> {
  return reachable(g, ids, (id) => g.successors(id)!);
}

function reachable(g: Graph, ids: Iterable<string>, next: (id: string) => string[]): Set<string> {
  const found = new Set<string>();
  const stack: string[] = [];
  for (const id of ids) {
    if (!g.hasNode(id)) throw new Error(`unknown node "${id}"`);
    stack.push(id);
  }
  while (stack.length > 0) {
    for (const neighbour of next(stack.pop()!)) {
      if (found.has(neighbour)) continue;
      found.add(neighbour);
      stack.push(neighbour);
    }
  }
  return found;
}

/**
 * graphlib's own findCycles returns components in no particular member order, so we only borrow its
 * Tarjan implementation and order each cycle ourselves.
 */
function stronglyConnectedComponents(g: Graph): string[][] {
  return alg.tarjan(g);
}

/** Breadth-first along "depends on" (predecessor) edges from start back to start, inside one component. */
function shortestCycleThrough(g: Graph, start: string, members: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  let frontier = [start];
  while (frontier.length > 0) {
    const nextFrontier: string[] = [];
    for (const id of frontier) {
      for (const dependency of [...g.predecessors(id)!].sort()) {
        if (!members.has(dependency)) continue;
        if (dependency === start) return pathBack(cameFrom, start, id);
        if (cameFrom.has(dependency)) continue;
        cameFrom.set(dependency, id);
        nextFrontier.push(dependency);
      }
    }
    frontier = nextFrontier;
  }
  throw new Error(`findCycles: "${start}" is not on a cycle`);
}

/** The path start → … → last following "depends on", reconstructed from the BFS parents. */
function pathBack(cameFrom: Map<string, string>, start: string, last: string): string[] {
  const path = [last];
  while (path[path.length - 1] !== start) path.push(cameFrom.get(path[path.length - 1]!)!);
  return path.reverse();
}

function rotateToSmallest(cycle: string[]): string[] {
  let smallest = 0;
  cycle.forEach((id, i) => {
    if (id < cycle[smallest]!) smallest = i;
  });
  return [...cycle.slice(smallest), ...cycle.slice(0, smallest)];
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
