/**
 * Join tasks for apply: when an instance depends on every instance of another resource (a count-to-count
 * reference: the plan makes each b-instance depend on all a-instances), its task waits for one join that
 * stands for all of them, as the plan's instance graph does (graph.ts). N dependents of a resource of M
 * instances then cost N + M dependency entries instead of N × M. A dependency on only some instances
 * keeps one entry per instance. Joins are walk `join` tasks: no work, no slot, never reported.
 */
import { resourceOf } from './address.js';
import type { ResourceChange } from './model.js';

/** No address starts with NUL, so join ids never collide with task ids (`create:ADDR`, …). */
const JOIN_PREFIX = '\u0000';

export interface JoinTask {
  id: string;
  dependsOn: string[];
}

export class JoinRegistry {
  /** null: the join would have no members (remembered, so members are listed once per join). */
  private readonly made = new Map<string, JoinTask | null>();

  /** The join `what` of `resource`, made from `members()` on first use; undefined when it has no members. */
  join(what: string, resource: string, members: () => string[]): string | undefined {
    const id = `${JOIN_PREFIX}${what} ${resource}`;
    let join = this.made.get(id);
    if (join === undefined) {
      const dependsOn = members();
      join = dependsOn.length === 0 ? null : { id, dependsOn };
      this.made.set(id, join);
    }
    return join ? id : undefined;
  }

  get(id: string): JoinTask | undefined {
    return this.made.get(id) ?? undefined;
  }

  /** The joins some task waits for; a join whose every use fell back to its members is dropped. */
  used(tasks: Iterable<{ dependsOn: readonly string[] }>): JoinTask[] {
    const waitedFor = new Set<string>();
    for (const task of tasks) for (const id of task.dependsOn) if (id.startsWith(JOIN_PREFIX)) waitedFor.add(id);
    return [...this.made.values()].filter((j): j is JoinTask => j !== null && waitedFor.has(j.id));
  }
}

/**
 * Dependency lists grouped by the resource they name: per resource, what `pick` gives for each listed
 * instance that has it (a task id, or the address itself), deduplicated. The plan hands every instance of
 * a resource the same list, and instances only in state record equal lists (read from the state, so not
 * the same array): grouping is cached by list identity, then by content, so it is done once per list.
 */
export class DependencyGroups {
  private readonly cache = new WeakMap<readonly string[], Map<string, string[]>>();
  private readonly byContent = new Map<string, Map<string, string[]>>();
  /** Per resource: what `pick` gives for all of its changed instances. */
  readonly all = new Map<string, string[]>();

  constructor(
    changes: Iterable<ResourceChange>,
    private readonly pick: (change: ResourceChange) => string | undefined,
    /** The changed instances a listed dependency names (a whole resource names all of them). */
    private readonly instancesOf: (dependency: string) => readonly ResourceChange[],
  ) {
    for (const change of changes) {
      const picked = pick(change);
      if (picked !== undefined) push(this.all, resourceOf(change.address), picked);
    }
  }

  of(list: readonly string[]): Map<string, string[]> {
    let grouped = this.cache.get(list);
    if (grouped) return grouped;
    const content = list.join('\u0000');
    grouped = this.byContent.get(content);
    if (grouped) {
      this.cache.set(list, grouped);
      return grouped;
    }
    const sets = new Map<string, Set<string>>();
    for (const dependency of list) {
      for (const change of this.instancesOf(dependency)) {
        const picked = this.pick(change);
        if (picked === undefined) continue;
        const resource = resourceOf(change.address);
        let set = sets.get(resource);
        if (!set) sets.set(resource, (set = new Set()));
        set.add(picked);
      }
    }
    grouped = new Map([...sets].map(([resource, set]) => [resource, [...set]]));
    this.cache.set(list, grouped);
    this.byContent.set(content, grouped);
    return grouped;
  }

  /**
   * Does a dependent of resource `own` need all of `resource` (so a join can stand for it)? Not its own
   * resource (the join would wait for the dependent itself), and only where a join saves entries.
   */
  coversAll(resource: string, picked: number, own: string): boolean {
    return resource !== own && picked >= 2 && picked === this.all.get(resource)?.length;
  }
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Every task `from` (transitively) waits for, joins included; with `until`, the walk stops once it is
 * found (the set then has it, and is incomplete).
 */
export function upstreamOf(dependsOnOf: (id: string) => readonly string[] | undefined, from: string, until?: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (id === until) break;
    stack.push(...(dependsOnOf(id) ?? []));
  }
  return seen;
}
