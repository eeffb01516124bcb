import { describe, expect, it } from 'vitest';
import { buildDag, dependenciesOf, dependentsOf, findCycles, topologicalOrder } from '../../src/graph/dag.js';

const nodes = (spec: Record<string, string[]>) => Object.entries(spec).map(([id, dependsOn]) => ({ id, dependsOn }));

describe('dag', () => {
  it('orders dependencies first, breaking ties by id whatever the input order', () => {
    const spec = { 'lxc.web': ['zfs.data', 'lxc.db'], 'lxc.db': ['zfs.data'], 'zfs.data': [], 'vm.b': [], 'vm.a': [] };
    const order = topologicalOrder(buildDag(nodes(spec)));
    expect(order).toEqual(['vm.a', 'vm.b', 'zfs.data', 'lxc.db', 'lxc.web']);
    const reversedInput = topologicalOrder(buildDag(nodes(spec).reverse()));
    expect(reversedInput).toEqual(order);
  });

  it('finds transitive dependencies and dependents', () => {
    const g = buildDag(nodes({ a: [], b: ['a'], c: ['b'], d: ['a'], e: [] }));
    expect(dependenciesOf(g, ['c'])).toEqual(new Set(['b', 'a']));
    expect(dependentsOf(g, ['a'])).toEqual(new Set(['b', 'c', 'd']));
    expect(dependentsOf(g, ['e'])).toEqual(new Set());
    expect(() => dependenciesOf(g, ['zz'])).toThrow(/unknown node "zz"/);
  });

  it('names every cycle with its members in dependency order', () => {
    // a → b → c → a is one cycle; s depends on itself; x and y form a second cycle; z only depends on a.
    const g = buildDag(nodes({ a: ['b'], b: ['c'], c: ['a'], s: ['s'], x: ['y'], y: ['x'], z: ['a'] }));
    expect(findCycles(g)).toEqual([['a', 'b', 'c'], ['s'], ['x', 'y']]);
  });

  it('names every member of a component made of several cycles', () => {
    // Two cycles sharing "hub": hub → p → hub and hub → q → r → hub.
    const g = buildDag(nodes({ hub: ['p', 'q'], p: ['hub'], q: ['r'], r: ['hub'] }));
    const cycles = findCycles(g);
    expect(new Set(cycles.flat())).toEqual(new Set(['hub', 'p', 'q', 'r']));
    expect(cycles).toContainEqual(['hub', 'p']);
    expect(cycles).toContainEqual(['hub', 'q', 'r']);
  });

  it('reports no cycles in an acyclic graph, and refuses to order a cyclic one', () => {
    expect(findCycles(buildDag(nodes({ a: [], b: ['a'] })))).toEqual([]);
    expect(() => topologicalOrder(buildDag(nodes({ a: ['b'], b: ['a'] })))).toThrow(/cycle/);
  });

  it('rejects duplicate ids and unknown dependencies', () => {
    expect(() => buildDag([{ id: 'a', dependsOn: [] }, { id: 'a', dependsOn: [] }])).toThrow(/duplicate/);
    expect(() => buildDag(nodes({ a: ['nope'] }))).toThrow(/unknown node "nope"/);
  });
});
