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
  /** Instances, plus one join node per referenced resource (isJoinNode) between its instances and their dependents. */
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
  const refsOfResource = new Map<string, string[]>();
  const refsOfInstance = new Map<string, string[]>();
  for (const instance of instances) {
    let deps = depsOfResource.get(instance.decl.address);
    if (!deps) {
      const refs = [...resourceRefs.of(instance.decl)].filter((r) => addressesByResource.has(r));
      refsOfResource.set(instance.decl.address, refs);
      deps = refs.flatMap((r) => addressesByResource.get(r)!).sort();
      depsOfResource.set(instance.decl.address, deps);
    }
    dependencies.set(instance.address, deps);
    refsOfInstance.set(instance.address, refsOfResource.get(instance.decl.address)!);
  }
  const recorded = new RecordedDependencies(addressesByResource);
  const joinedOfInstance = new Map<string, string[]>();
  for (const resource of stateOnly) {
    const resolved = recorded.of(resource);
    dependencies.set(resource.address, resolved.dependencies);
    joinedOfInstance.set(resource.address, resolved.dependsOn);
  }

  // A config instance depends on every instance of the resources it refers to. Through one join node
  // per referenced resource (as Terraform's graph joins at the resource node), N instances referring
  // to a resource of M instances cost N + M edges instead of N × M: 2,000 features of 2,000 containers
  // would otherwise be 4 million edges. An instance only in state joins where it recorded all of one.
  const nodes = [...dependencies].map(([id, dependsOn]) => ({
    id,
    dependsOn: refsOfInstance.get(id)?.map(joinNode) ?? joinedOfInstance.get(id) ?? dependsOn,
  }));
  const referenced = new Set([...refsOfResource.values(), ...recorded.joined].flat());
  for (const resource of referenced) nodes.push({ id: joinNode(resource), dependsOn: addressesByResource.get(resource)! });
  const graph = buildDag(nodes);
  const order = orderOrUndefined(graph)?.filter((id) => !isJoinNode(id));
  if (order) return { graph, dependencies, order, diagnostics: [] };
  const declOf = (address: string): ResourceDecl | undefined => config.resources.get(resourceOf(address));
  const cycles = new Map(findCycles(graph).map((c) => c.filter((id) => !isJoinNode(id))).map((c) => [c.join('\u0000'), c]));
  return { graph, dependencies, order: [], diagnostics: [...cycles.values()].map((c) => cycleDiagnostic(c, declOf)) };
}

/** The node standing for all instances of a resource (no address starts with NUL). */
const JOIN_PREFIX = '\u0000all of ';

function joinNode(resource: string): string {
  return JOIN_PREFIX + resource;
}

/** Join nodes are the graph's own: never planned, never listed. */
export function isJoinNode(id: string): boolean {
  return id.startsWith(JOIN_PREFIX);
}

/**
 * The dependencies an instance only in state recorded, as instances now in the graph (a recorded whole
 * resource names all of its instances), and the graph edges for them: one join node for a resource it
 * recorded every instance of. Instances of one resource usually record the same list (N × M entries in
 * a count-to-count state): each distinct list is resolved once.
 */
class RecordedDependencies {
  /** Resources some instance joins on. */
  readonly joined: string[] = [];
  private readonly resolved = new Map<string, { dependencies: string[]; dependsOn: string[] }>();

  private readonly known: ReadonlySet<string>;

  constructor(private readonly addressesByResource: ReadonlyMap<string, readonly string[]>) {
    this.known = new Set([...addressesByResource.values()].flat());
  }

  of(resource: ResourceState): { dependencies: string[]; dependsOn: string[] } {
    const own = resourceOf(resource.address);
    const key = `${own}\u0000${resource.dependencies.join('\u0000')}`;
    let result = this.resolved.get(key);
    if (!result) this.resolved.set(key, (result = this.resolve(resource.dependencies, own)));
    // Recording itself is not a dependency (never cached: the key names the resource, not the instance).
    if (!result.dependencies.includes(resource.address)) return result;
    const dependencies = result.dependencies.filter((d) => d !== resource.address);
    return { dependencies, dependsOn: result.dependsOn.filter((d) => d !== resource.address) };
  }

  private resolve(recorded: readonly string[], own: string): { dependencies: string[]; dependsOn: string[] } {
    const byResource = new Map<string, Set<string>>();
    for (const dep of recorded) {
      const instances = this.addressesByResource.get(resourceOf(dep)) ?? [];
      const named = resourceOf(dep) === dep ? instances : this.known.has(dep) ? [dep] : [];
      if (named.length === 0) continue;
      let set = byResource.get(resourceOf(dep));
      if (!set) byResource.set(resourceOf(dep), (set = new Set()));
      for (const address of named) set.add(address);
    }
    const dependsOn: string[] = [];
    for (const [resource, set] of byResource) {
      const all = resource !== own && set.size >= 2 && set.size === this.addressesByResource.get(resource)!.length;
      if (all && !this.joined.includes(resource)) this.joined.push(resource);
      dependsOn.push(...(all ? [joinNode(resource)] : set));
    }
    return { dependencies: [...byResource.values()].flatMap((set) => [...set]).sort(), dependsOn };
  }
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
