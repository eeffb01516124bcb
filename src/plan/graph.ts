/**
 * The instance DAG: one node per resource instance (config instances and instances only in state),
 * edges from references (also through locals), depends_on, and, for instances only in state, the
 * dependencies recorded in state. Cycles become one error naming every member.
 */
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { Config, Reference, ResourceDecl } from '../config/model.js';
import type { ResourceState } from '../state/model.js';
import { buildDag, findCycles, topologicalOrder, type Graph } from '../graph/dag.js';
import { resourceOf } from './address.js';
import { bodyReferences, findReferences } from './config-api.js';
import type { ResourceInstance } from './expand.js';

export interface InstanceGraph {
  graph: Graph;
  /** Direct dependencies per instance address, sorted. */
  dependencies: Map<string, string[]>;
  /** Dependencies first; empty when there is a cycle. */
  order: string[];
  diagnostics: Diagnostic[];
}

export function buildInstanceGraph(
  config: Config,
  instances: readonly ResourceInstance[],
  stateOnly: readonly ResourceState[],
): InstanceGraph {
  const addressesByResource = new Map<string, string[]>();
  const addTo = (address: string): void => {
    const resource = resourceOf(address);
    const list = addressesByResource.get(resource);
    if (list) list.push(address);
    else addressesByResource.set(resource, [address]);
  };
  instances.forEach((i) => addTo(i.address));
  stateOnly.forEach((r) => addTo(r.address));

  const resourceRefs = new ResourceReferences(config);
  const dependencies = new Map<string, string[]>();
  const depsOfResource = new Map<string, string[]>();
  for (const instance of instances) {
    let deps = depsOfResource.get(instance.decl.address);
    if (!deps) {
      deps = [...resourceRefs.of(instance.decl)].flatMap((r) => addressesByResource.get(r) ?? []).sort();
      depsOfResource.set(instance.decl.address, deps);
    }
    dependencies.set(instance.address, deps);
  }
  for (const resource of stateOnly) {
    const deps = new Set<string>();
    for (const dep of resource.dependencies) {
      for (const address of addressesByResource.get(resourceOf(dep)) ?? []) {
        if (address === dep || resourceOf(dep) === dep) deps.add(address);
      }
    }
    deps.delete(resource.address);
    dependencies.set(resource.address, [...deps].sort());
  }

  const graph = buildDag([...dependencies].map(([id, dependsOn]) => ({ id, dependsOn })));
  const order = orderOrUndefined(graph);
  if (order) return { graph, dependencies, order, diagnostics: [] };
  const declOf = (address: string): ResourceDecl | undefined => config.resources.get(resourceOf(address));
  return { graph, dependencies, order: [], diagnostics: findCycles(graph).map((c) => cycleDiagnostic(c, declOf)) };
}

/** The topological order, or undefined when there is a cycle (cycle search is only paid for then). */
function orderOrUndefined(graph: Graph): string[] | undefined {
  try {
    return topologicalOrder(graph);
  } catch {
    return undefined;
  }
}

function cycleDiagnostic(cycle: string[], declOf: (address: string) => ResourceDecl | undefined): Diagnostic {
  const first = declOf(cycle[0]!);
  const related = cycle.flatMap((address, i) => {
    const decl = declOf(address);
    const next = cycle[(i + 1) % cycle.length]!;
    return decl ? [{ message: `${address} depends on ${next}`, range: decl.range }] : [];
  });
  return {
    ...error(
      `Cycle: ${cycle.join(', ')}`,
      `These resources depend on each other, so there is no order to create them in: ` +
        `${[...cycle, cycle[0]].join(' → ')}. Remove one of the references or depends_on entries.`,
      first?.range,
    ),
    related,
    subject: cycle.join(', '),
  };
}

/** Per resource block (`TYPE.NAME`): the resources it refers to, directly, through locals or depends_on. */
export function resourceDependencies(config: Config): Map<string, string[]> {
  const refs = new ResourceReferences(config);
  return new Map(
    [...config.resources.values()].map((decl) => [decl.address, [...refs.of(decl)].filter((r) => config.resources.has(r)).sort()]),
  );
}

/** Which resources (`TYPE.NAME`) a resource block refers to, directly or through locals. */
class ResourceReferences {
  private readonly localRefs = new Map<string, Set<string>>();

  constructor(private readonly config: Config) {}

  of(decl: ResourceDecl): Set<string> {
    const refs: Reference[] = [...bodyReferences(decl.body), ...decl.dependsOn];
    if (decl.count) refs.push(...findReferences(decl.count));
    if (decl.forEach) refs.push(...findReferences(decl.forEach));
    return this.resolve(refs, new Set());
  }

  private resolve(refs: readonly Reference[], visitingLocals: Set<string>): Set<string> {
    const found = new Set<string>();
    for (const ref of refs) {
      if (ref.kind === 'resource') found.add(resourceOf(ref.address));
      else if (ref.kind === 'local') for (const r of this.ofLocal(ref.name, visitingLocals)) found.add(r);
    }
    return found;
  }

  private ofLocal(name: string, visiting: Set<string>): Set<string> {
    const cached = this.localRefs.get(name);
    if (cached) return cached;
    const decl = this.config.locals.get(name);
    if (!decl || visiting.has(name)) return new Set(); // the loader reports unknown or cyclic locals
    visiting.add(name);
    const refs = this.resolve(findReferences(decl.expr), visiting);
    visiting.delete(name);
    this.localRefs.set(name, refs);
    return refs;
  }
}
