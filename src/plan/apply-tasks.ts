/**
 * Walk tasks from plan changes. Ids are `create:ADDR`, `update:ADDR`, `delete:ADDR`; a replace has a
 * create and a delete task. Ordering:
 *  - creates/updates wait for the creates/updates of their dependencies;
 *  - deletes wait for the deletes of their dependents that are removed (reverse order);
 *  - delete-before-create: the create waits for its own delete;
 *  - create-before-destroy: the old object's delete waits for the new object.
 * These cannot form a cycle. Preferences, kept unless they would close one: a delete waits for the
 * old objects of replaced dependents, a plain delete for dependents' updates (they stop using it
 * first), a create-before-destroy delete for dependents' updates and creates (they switch first).
 * Waits on every instance of another resource go through one join task (apply-task-joins.ts), so
 * count-to-count references cost N + M entries, not N × M; the order is the same.
 */
import type { ResourceState } from '../state/model.js';
import { resourceOf } from './address.js';
import { DependencyGroups, JoinRegistry, push, upstreamOf, type JoinTask } from './apply-task-joins.js';
import type { ChangeAction, ResourceChange } from './model.js';

export type Phase = 'create' | 'update' | 'delete';

export interface ApplyTask {
  id: string;
  phase: Phase;
  change: ResourceChange;
  dependsOn: string[];
}

export const taskId = (phase: Phase, address: string): string => `${phase}:${address}`;

export function phasesOf(action: ChangeAction): Phase[] {
  switch (action) {
    case 'create':
      return ['create'];
    case 'update':
      return ['update'];
    case 'delete':
      return ['delete'];
    case 'replace':
      return ['create', 'delete'];
    case 'no-op':
      return [];
  }
}

/** Tasks with their dependencies; `joins` are walk join tasks some of them wait for (apply-task-joins.ts). */
export interface ApplyTasks {
  tasks: ApplyTask[];
  joins: JoinTask[];
}

const isCbd = (change: ResourceChange): boolean => change.action === 'replace' && change.replaceOrder === 'create-before-destroy';

/** The task a dependent's create/update waits for: the dependency's create or update, if it has one. */
function madeBy(change: ResourceChange): string | undefined {
  if (change.action === 'create' || change.action === 'replace') return taskId('create', change.address);
  if (change.action === 'update') return taskId('update', change.address);
  return undefined;
}

type Strength = 'hard' | 'preferred' | 'soft';

interface DependentRelation {
  name: string;
  strength: Strength;
  /** Whether the delete of this change waits for its dependents this way at all. */
  applies(deleted: ResourceChange): boolean;
  /** The dependent's task it waits for, if the dependent has one of this kind. */
  member(dependent: ResourceChange): string | undefined;
}

const taskIf = (phase: Phase, dependent: ResourceChange, when: boolean): string | undefined =>
  when ? taskId(phase, dependent.address) : undefined;

/** How the delete of an object waits for the tasks of its dependents. */
const DEPENDENT_RELATIONS: DependentRelation[] = [
  // Removed dependents go first.
  { name: 'deleted', strength: 'hard', applies: () => true, member: (d) => taskIf('delete', d, d.action === 'delete') },
  // A replaced dependent's old object should go first; the ones below are all preferences.
  { name: 'replaced', strength: 'preferred', applies: () => true, member: (d) => taskIf('delete', d, d.action === 'replace') },
  // Dependents stop using the object (or switch to its replacement) before it goes.
  {
    name: 'updated',
    strength: 'soft',
    applies: (c) => c.action === 'delete' || isCbd(c),
    member: (d) => taskIf('update', d, d.action === 'update'),
  },
  { name: 'created', strength: 'soft', applies: isCbd, member: (d) => taskIf('create', d, d.action === 'create' || isCbd(d)) },
];

/**
 * @param priorResources the state before apply: its recorded dependencies also order deletes (an
 *   instance removed from config is deleted after the instances that used it are updated).
 */
export function buildApplyTasks(changes: readonly ResourceChange[], priorResources: readonly ResourceState[]): ApplyTasks {
  const byAddress = new Map(changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c]));
  const made = new DependencyGroups(byAddress.values(), madeBy, (dependency) => {
    const change = byAddress.get(dependency);
    return change ? [change] : [];
  });
  const dependents = dependentsIndex(byAddress, priorResources);
  const joins = new JoinRegistry();
  const tasks = new Map<string, ApplyTask>();
  // Ordering preferences [task, should wait for], strongest first; each is kept unless it closes a cycle.
  const wishes: Record<Exclude<Strength, 'hard'>, [string, string][]> = { preferred: [], soft: [] };

  for (const change of byAddress.values()) {
    const own = resourceOf(change.address);
    for (const phase of phasesOf(change.action)) {
      const id = taskId(phase, change.address);
      const dependsOn = new Set<string>();
      const wait = (strength: Strength, on: string): void => {
        if (strength === 'hard') dependsOn.add(on);
        else wishes[strength].push([id, on]);
      };
      if (phase !== 'delete') {
        for (const [resource, upstream] of made.of(change.dependencies)) {
          if (made.coversAll(resource, upstream.length, own)) dependsOn.add(joins.join('made', resource, () => made.all.get(resource)!)!);
          else for (const task of upstream) dependsOn.add(task);
        }
        if (change.action === 'replace' && !isCbd(change)) dependsOn.add(taskId('delete', change.address));
      } else {
        if (isCbd(change)) dependsOn.add(taskId('create', change.address));
        const individual = dependents.of.get(change.address) ?? [];
        const whole = dependents.ofAll.get(own) ?? [];
        for (const relation of DEPENDENT_RELATIONS.filter((r) => r.applies(change))) {
          for (const dependent of individual) {
            const member = relation.member(dependent);
            if (member !== undefined) wait(relation.strength, member);
          }
          const join = whole.length > 0 ? joins.join(`${relation.name} dependents of`, own, () => membersOf(whole, relation.member)) : undefined;
          if (join !== undefined) wait(relation.strength, join);
        }
      }
      dependsOn.delete(id);
      tasks.set(id, { id, phase, change, dependsOn: [...dependsOn] });
    }
  }
  addPreferences(tasks, joins, [...wishes.preferred, ...wishes.soft]);
  return { tasks: [...tasks.values()], joins: joins.used(tasks.values()) };
}

function membersOf(dependents: readonly ResourceChange[], member: (d: ResourceChange) => string | undefined): string[] {
  return dependents.map(member).filter((m): m is string => m !== undefined);
}

/**
 * Adds each wish [task, target] in order unless the target already waits for the task. A join target is
 * taken for all its wishes at its first one: the tasks it already waits for are computed once (adding
 * these wishes cannot change them), and a task among them waits for the members it can, one by one.
 */
function addPreferences(tasks: ReadonlyMap<string, ApplyTask>, joins: JoinRegistry, wishes: readonly [string, string][]): void {
  const dependsOnOf = (id: string): readonly string[] | undefined => tasks.get(id)?.dependsOn ?? joins.get(id)?.dependsOn;
  const waitOnce = (id: string, target: string): void => {
    const task = tasks.get(id)!;
    if (!task.dependsOn.includes(target)) task.dependsOn.push(target);
  };
  const prefer = (id: string, target: string): void => {
    if (!upstreamOf(dependsOnOf, target, id).has(id)) waitOnce(id, target);
  };
  const joinWishes = new Map<string, string[]>();
  for (const [id, target] of wishes) if (joins.get(target)) push(joinWishes, target, id);
  for (const [id, target] of wishes) {
    const join = joins.get(target);
    const wishing = joinWishes.get(target);
    if (!join) prefer(id, target);
    else if (wishing) {
      joinWishes.delete(target);
      const upstream = upstreamOf(dependsOnOf, target);
      for (const wisher of wishing) {
        if (!upstream.has(wisher)) waitOnce(wisher, target);
        else for (const member of join.dependsOn) prefer(wisher, member);
      }
    }
  }
}

interface Dependents {
  /** Per address: the changes that depend on it but not on every deleted instance of its resource. */
  of: Map<string, ResourceChange[]>;
  /** Per resource: the changes that depend on every one of its instances that is deleted. */
  ofAll: Map<string, ResourceChange[]>;
}

const NONE: readonly string[] = [];

/** Who depends on each deleted instance, by plan dependencies or by prior state dependencies. */
function dependentsIndex(byAddress: ReadonlyMap<string, ResourceChange>, priorResources: readonly ResourceState[]): Dependents {
  const byResource = new Map<string, ResourceChange[]>();
  for (const change of byAddress.values()) push(byResource, resourceOf(change.address), change);
  const deleted = new DependencyGroups(
    byAddress.values(),
    (c) => (c.action === 'delete' || c.action === 'replace' ? c.address : undefined),
    // A recorded dependency may name a whole resource: it covers all of its instances.
    (dependency) => {
      const change = byAddress.get(dependency);
      return change ? [change] : (byResource.get(dependency) ?? []);
    },
  );
  const recorded = new Map(priorResources.map((r) => [r.address, r.dependencies]));
  const index: Dependents = { of: new Map(), ofAll: new Map() };
  for (const dependent of byAddress.values()) {
    const own = resourceOf(dependent.address);
    const fromPlan = deleted.of(dependent.dependencies);
    const fromState = deleted.of(recorded.get(dependent.address) ?? NONE);
    for (const resource of new Set([...fromPlan.keys(), ...fromState.keys()])) {
      const planned = fromPlan.get(resource) ?? NONE;
      const prior = fromState.get(resource) ?? NONE;
      const covers = (n: number): boolean => deleted.coversAll(resource, n, own);
      if (covers(planned.length) || covers(prior.length)) {
        push(index.ofAll, resource, dependent);
        continue;
      }
      const targets = prior.length === 0 ? planned : [...new Set([...planned, ...prior])];
      if (covers(targets.length)) push(index.ofAll, resource, dependent);
      else for (const target of targets) if (target !== dependent.address) push(index.of, target, dependent);
    }
  }
  return index;
}
