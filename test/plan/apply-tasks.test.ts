import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag, findCycles, topologicalOrder } from '../../src/graph/dag.js';
import { buildApplyTasks } from '../../src/plan/apply-tasks.js';
import type { ChangeAction, ResourceChange } from '../../src/plan/model.js';

function change(address: string, action: ChangeAction, dependencies: string[], cbd = false): ResourceChange {
  return {
    address,
    type: 'test_resource',
    name: address.split('.')[1]!,
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
