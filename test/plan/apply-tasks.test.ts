import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag, findCycles, topologicalOrder } from '../../src/graph/dag.js';
import { buildApplyTasks } from '../../src/plan/apply-tasks.js';
import type { ChangeAction, ResourceChange } from '../../src/plan/model.js';
import type { ResourceState } from '../../src/state/model.js';

function change(address: string, action: ChangeAction, dependencies: string[], cbd = false): ResourceChange {
  return {
    address,
    type: 'test_resource',
    name: address.slice(address.indexOf('.') + 1).split('[')[0]!,
    action,
    ...(action === 'replace' ? { replaceOrder: cbd ? 'create-before-destroy' : 'delete-before-create' } : {}),
    before: action === 'create' ? null : {},
    after: action === 'delete' ? null : {},
    changedPaths: [],
    replacePaths: [],
    restartPaths: [],
    sensitivePaths: [],
    dependencies,
  } as ResourceChange;
}

function dagOf(changes: ResourceChange[], prior: ResourceState[] = []) {
  const { tasks, joins } = buildApplyTasks(changes, prior);
  return buildDag([...tasks, ...joins].map((t) => ({ id: t.id, dependsOn: t.dependsOn })));
}

function order(changes: ResourceChange[]): string[] {
  return topologicalOrder(dagOf(changes)).filter((id) => id.includes(':'));
}

describe('apply task ordering', () => {
  it('orders a replaced dependency around its dependents', () => {
    // b depends on a; a is replaced.
    const dbc = order([change('t.a', 'replace', []), change('t.b', 'update', ['t.a'])]);
    expect(dbc).toEqual(['delete:t.a', 'create:t.a', 'update:t.b']);
    const cbd = order([change('t.a', 'replace', [], true), change('t.b', 'update', ['t.a'])]);
    expect(cbd).toEqual(['create:t.a', 'update:t.b', 'delete:t.a']);
    const both = order([change('t.a', 'replace', []), change('t.b', 'replace', ['t.a'])]);
    expect(both).toEqual(['delete:t.b', 'delete:t.a', 'create:t.a', 'create:t.b']);
  });

  it('never produces a cycle for any mix of actions over an acyclic dependency chain', () => {
    const actions: ChangeAction[] = ['create', 'update', 'replace', 'delete', 'no-op'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ action: fc.constantFrom(...actions), cbd: fc.boolean(), deps: fc.array(fc.nat(), { maxLength: 3 }) }), { minLength: 1, maxLength: 12 }),
        (specs) => {
          // Instance i may only depend on instances before it, so the dependency graph is acyclic.
          const changes = specs.map((s, i) =>
            change(`t.r${i}`, s.action, i === 0 ? [] : [...new Set(s.deps.map((d) => `t.r${d % i}`))], s.cbd),
          );
          expect(findCycles(dagOf(changes))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const prior = (address: string, dependencies: string[]): ResourceState => ({ address, dependencies }) as unknown as ResourceState;

const instances = (resource: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${resource}[${i}]`);

/** All dependency entries the walker is handed, join tasks included. */
function entries(changes: ResourceChange[], priorResources: ResourceState[] = []): number {
  const { tasks, joins } = buildApplyTasks(changes, priorResources);
  return [...tasks, ...joins].reduce((sum, t) => sum + t.dependsOn.length, 0);
}

/** `from`'s transitive dependencies, over a map of direct ones. */
function upstream(edges: ReadonlyMap<string, readonly string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(edges.get(from) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(edges.get(id) ?? []));
  }
  return seen;
}

/**
 * Waits on every instance of another resource go through joins: entries linear in the instances, and
 * exactly the ordering one entry per pair gives (every required wait kept, none added beyond the pairs).
 */
describe('apply task joins', () => {
  const N = 1000;
  const a = instances('t.a', N);

  it('makes count=1000 → count=1000 cost linear entries when creating, destroying and replacing', () => {
    // Every b-instance depends on every a-instance, as the plan hands them (one shared list).
    const create = [...a.map((x) => change(x, 'create', [])), ...instances('t.b', N).map((x) => change(x, 'create', a))];
    expect(entries(create)).toBe(2 * N);
    // Destroy: the lists come from the state, one array per instance.
    const destroy = [...a.map((x) => change(x, 'delete', [])), ...instances('t.b', N).map((x) => change(x, 'delete', [...a]))];
    const recorded = instances('t.b', N).map((x) => prior(x, [...a]));
    expect(entries(destroy, recorded)).toBe(2 * N);
    // Replacing both: each create waits for its own delete and on a join; each a-delete prefers the join
    // of the replaced b's deletes.
    const replace = [...a.map((x) => change(x, 'replace', [])), ...instances('t.b', N).map((x) => change(x, 'replace', a))];
    expect(entries(replace)).toBe(6 * N);
    // Pairwise, the first shape alone was N × N entries.
    expect(N * N).toBeGreaterThan(100 * entries(create));
  });

  it('keeps one entry per instance for a dependency on some instances of a resource', () => {
    const changes = [...a.slice(0, 3).map((x) => change(x, 'create', [])), change('t.b[0]', 'create', ['t.a[1]'])];
    const { tasks, joins } = buildApplyTasks(changes, []);
    expect(joins).toEqual([]);
    expect(tasks.find((t) => t.id === 'create:t.b[0]')!.dependsOn).toEqual(['create:t.a[1]']);
  });

  it('orders exactly as one entry per pair would, for any mix of actions over count resources', () => {
    const actions: ChangeAction[] = ['create', 'update', 'replace', 'delete', 'no-op'];
    const instanceSpec = fc.record({ action: fc.constantFrom(...actions), cbd: fc.boolean(), priorAll: fc.boolean() });
    const resourceSpec = fc.record({
      instances: fc.array(instanceSpec, { minLength: 1, maxLength: 3 }),
      // Per earlier resource: not referenced, all of it, or only its first instance.
      refs: fc.array(fc.constantFrom('none', 'all', 'first'), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(resourceSpec, { minLength: 1, maxLength: 4 }), (specs) => {
        const addresses = specs.map((s, r) => instances(`t.r${r}`, s.instances.length));
        const changes: ResourceChange[] = [];
        const recorded: ResourceState[] = [];
        specs.forEach((spec, r) => {
          // The state may have recorded less than the plan now has ('first': the first instance of each).
          const refs = (mode: 'all' | 'first') =>
            addresses.slice(0, r).flatMap((list, i) => {
              const ref = spec.refs[i] ?? 'none';
              return ref === 'none' ? [] : ref === 'all' && mode === 'all' ? list : list.slice(0, 1);
            });
          const dependencies = refs('all');
          spec.instances.forEach((inst, i) => {
            const address = addresses[r]![i]!;
            changes.push(change(address, inst.action, dependencies, inst.cbd));
            if (inst.action !== 'create') recorded.push(prior(address, inst.priorAll ? [...dependencies] : refs('first')));
          });
        });
        const { required, allowed } = pairwise(changes, recorded);
        const { tasks, joins } = buildApplyTasks(changes, recorded);
        const joined = new Map([...tasks, ...joins].map((t) => [t.id, t.dependsOn]));
        expect(findCycles(buildDag([...joined].map(([id, dependsOn]) => ({ id, dependsOn }))))).toEqual([]);
        const allowedClosure = new Map(tasks.map((t) => [t.id, upstream(allowed, t.id)]));
        const taskIds = new Set(tasks.map((t) => t.id));
        for (const task of tasks) {
          const waits = upstream(joined, task.id);
          for (const must of required.get(task.id) ?? []) expect(waits, `${task.id} waits for ${must}`).toContain(must);
          for (const id of waits) {
            if (taskIds.has(id)) expect(allowedClosure.get(task.id)!.has(id), `${task.id} must not wait for ${id}`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * One entry per pair: `required` are the waits that must hold (dependencies made first, removed
 * dependents deleted first, a replace's own order), `allowed` adds every ordering preference.
 */
function pairwise(changes: ResourceChange[], recorded: ResourceState[]) {
  const byAddress = new Map(changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c]));
  const cbd = (c: ResourceChange) => c.action === 'replace' && c.replaceOrder === 'create-before-destroy';
  const made = (c: ResourceChange) => (c.action === 'update' ? `update:${c.address}` : c.action === 'delete' ? undefined : `create:${c.address}`);
  const required = new Map<string, string[]>();
  const allowed = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, task: string, on: string | undefined) => {
    if (on !== undefined && on !== task) map.set(task, [...(map.get(task) ?? []), on]);
  };
  const must = (task: string, on: string | undefined) => (add(required, task, on), add(allowed, task, on));
  const recordedOf = new Map(recorded.map((r) => [r.address, r.dependencies]));
  for (const c of byAddress.values()) {
    const forward = c.action === 'update' ? `update:${c.address}` : `create:${c.address}`;
    if (c.action !== 'delete') for (const d of c.dependencies) must(forward, byAddress.get(d) && made(byAddress.get(d)!));
    if (c.action === 'replace') (cbd(c) ? must(`delete:${c.address}`, forward) : must(forward, `delete:${c.address}`));
    for (const target of new Set([...c.dependencies, ...(recordedOf.get(c.address) ?? [])])) {
      const x = byAddress.get(target);
      if (!x || (x.action !== 'delete' && x.action !== 'replace') || target === c.address) continue;
      const deletion = `delete:${target}`;
      if (c.action === 'delete') must(deletion, `delete:${c.address}`);
      if (c.action === 'replace') add(allowed, deletion, `delete:${c.address}`);
      if (c.action === 'update' && (x.action === 'delete' || cbd(x))) add(allowed, deletion, `update:${c.address}`);
      if (cbd(x) && (c.action === 'create' || cbd(c))) add(allowed, deletion, `create:${c.address}`);
    }
  }
  return { required, allowed };
}
