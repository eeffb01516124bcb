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
 */
import type { WalkTask } from '../graph/walk.js';
import type { ResourceState } from '../state/model.js';
import { resourceOf } from './address.js';
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

/**
 * @param priorResources the state before apply: its recorded dependencies also order deletes (an
 *   instance removed from config is deleted after the instances that used it are updated).
 */
export function buildApplyTasks(changes: readonly ResourceChange[], priorResources: readonly ResourceState[]): ApplyTask[] {
  const byAddress = new Map(changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c]));
  const dependents = dependentsIndex(priorResources, byAddress);
  const tasks = new Map<string, ApplyTask>();
  // Ordering preferences [task, should wait for], strongest first; each is kept unless it closes a cycle.
  const preferred: [string, string][] = [];
  const soft: [string, string][] = [];

  for (const change of byAddress.values()) {
    const cbd = change.action === 'replace' && change.replaceOrder === 'create-before-destroy';
    for (const phase of phasesOf(change.action)) {
      const id = taskId(phase, change.address);
      const dependsOn = new Set<string>();
      if (phase !== 'delete') {
        for (const dep of change.dependencies) {
          const upstream = byAddress.get(dep);
          if (upstream?.action === 'create' || upstream?.action === 'replace') dependsOn.add(taskId('create', dep));
          if (upstream?.action === 'update') dependsOn.add(taskId('update', dep));
        }
        if (change.action === 'replace' && !cbd) dependsOn.add(taskId('delete', change.address));
      } else {
        if (cbd) dependsOn.add(taskId('create', change.address));
        for (const dependent of dependents.get(change.address) ?? []) {
          const dependentCbd = dependent.action === 'replace' && dependent.replaceOrder === 'create-before-destroy';
          if (dependent.action === 'delete') dependsOn.add(taskId('delete', dependent.address));
          // A replaced dependent's old object should go first; the ones below are all preferences.
          if (dependent.action === 'replace') preferred.push([id, taskId('delete', dependent.address)]);
          // Dependents stop using the object (or switch to its replacement) before it goes.
          if (dependent.action === 'update' && (change.action === 'delete' || cbd)) soft.push([id, taskId('update', dependent.address)]);
          if (cbd && (dependent.action === 'create' || dependentCbd)) soft.push([id, taskId('create', dependent.address)]);
        }
      }
      dependsOn.delete(id);
      tasks.set(id, { id, phase, change, dependsOn: [...dependsOn] });
    }
  }
  for (const [id, dependency] of [...preferred, ...soft]) {
    const task = tasks.get(id)!;
    if (!task.dependsOn.includes(dependency) && !dependsTransitively(tasks, dependency, id)) task.dependsOn.push(dependency);
  }
  return [...tasks.values()];
}

/** Does task `from` (transitively) depend on task `target`? Used to add ordering preferences without cycles. */
function dependsTransitively(tasks: ReadonlyMap<string, ApplyTask>, from: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(tasks.get(id)?.dependsOn ?? []));
  }
  return false;
}

/** For each address: the changes that depend on it, by plan dependencies or by prior state dependencies. */
function dependentsIndex(
  priorResources: readonly ResourceState[],
  byAddress: ReadonlyMap<string, ResourceChange>,
): Map<string, ResourceChange[]> {
  const addressesByResource = new Map<string, string[]>();
  for (const address of byAddress.keys()) {
    const resource = resourceOf(address);
    const list = addressesByResource.get(resource);
    if (list) list.push(address);
    else addressesByResource.set(resource, [address]);
  }
  const index = new Map<string, Set<ResourceChange>>();
  const link = (dependencyAddress: string, dependent: ResourceChange | undefined): void => {
    if (!dependent) return;
    // A recorded dependency may name a whole resource: it covers all of its instances.
    const targets = byAddress.has(dependencyAddress) ? [dependencyAddress] : (addressesByResource.get(dependencyAddress) ?? []);
    for (const target of targets) {
      if (target === dependent.address) continue;
      let set = index.get(target);
      if (!set) index.set(target, (set = new Set()));
      set.add(dependent);
    }
  };
  for (const change of byAddress.values()) for (const dep of change.dependencies) link(dep, change);
  for (const resource of priorResources) for (const dep of resource.dependencies) link(dep, byAddress.get(resource.address));
  return new Map([...index].map(([address, set]) => [address, [...set]]));
}
