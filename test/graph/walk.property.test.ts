import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag, dependenciesOf } from '../../src/graph/dag.js';
import { walk, type WalkTask } from '../../src/graph/walk.js';

const KEYS = ['node-a', 'node-b', 'node-c'];

interface Scenario {
  tasks: (WalkTask & { keys: string[]; fails: boolean; hops: number; join: boolean })[];
  parallelism: number;
  limits: Record<string, number>;
}

/**
 * Random DAGs: each task depends on a random subset of earlier ones, so every scenario is acyclic. About
 * one in five is a join (no work, no keys), which must behave as if its dependents waited for its
 * dependencies themselves.
 */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    specs: fc.array(
      fc.record({
        deps: fc.array(fc.nat(), { maxLength: 4 }),
        keys: fc.subarray(KEYS),
        fails: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
        hops: fc.nat({ max: 3 }),
        join: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      }),
      { minLength: 1, maxLength: 60 },
    ),
    parallelism: fc.integer({ min: 1, max: 8 }),
    limits: fc.record({ 'node-a': fc.integer({ min: 1, max: 3 }), 'node-b': fc.integer({ min: 1, max: 3 }), 'node-c': fc.integer({ min: 1, max: 3 }) }),
  })
  .map(({ specs, parallelism, limits }) => ({
    parallelism,
    limits,
    tasks: specs.map((spec, i) => ({
      id: `t${i}`,
      dependsOn: i === 0 ? [] : spec.deps.map((d) => `t${d % i}`),
      keys: spec.join ? [] : spec.keys,
      fails: spec.fails && !spec.join,
      hops: spec.hops,
      join: spec.join,
    })),
  }));

/** A random number of event-loop turns, so runs finish in shuffled orders without real sleeping. */
async function hop(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs the scenario, checking the concurrency invariants from inside `run`. */
async function walkScenario(s: Scenario, stopAfterStarts?: number) {
  const byId = new Map(s.tasks.map((t) => [t.id, t]));
  const succeeded = new Set<string>();
  const started: string[] = [];
  const live = { total: 0, perKey: new Map<string, number>() };
  const violations: string[] = [];
  const stop = new AbortController();
  let startsAfterStop = 0;
  /** A join is passed once everything it stands for succeeded. */
  const passed = (id: string): boolean => (byId.get(id)!.join ? byId.get(id)!.dependsOn.every(passed) : succeeded.has(id));

  const report = await walk(s.tasks, {
    parallelism: s.parallelism,
    keyLimit: (key) => s.limits[key]!,
    stop: stop.signal,
    run: async (id) => {
      const t = byId.get(id)!;
      if (stop.signal.aborted) startsAfterStop++;
      if (started.includes(id)) violations.push(`${id} ran twice`);
      if (t.join) violations.push(`join ${id} was run`);
      started.push(id);
      for (const dep of t.dependsOn) if (!passed(dep)) violations.push(`${id} started before ${dep} succeeded`);
      live.total++;
      if (live.total > s.parallelism) violations.push(`${live.total} running > parallelism ${s.parallelism}`);
      for (const key of t.keys) {
        const n = (live.perKey.get(key) ?? 0) + 1;
        live.perKey.set(key, n);
        if (n > s.limits[key]!) violations.push(`${n} running on ${key} > limit ${s.limits[key]}`);
      }
      if (started.length === stopAfterStarts) stop.abort();
      await hop(t.hops);
      live.total--;
      for (const key of t.keys) live.perKey.set(key, live.perKey.get(key)! - 1);
      if (t.fails) throw new Error(`${id} failed`);
      succeeded.add(id);
    },
  });
  return { report, started, violations, startsAfterStop };
}

describe('walk (properties)', () => {
  it('respects dependencies and limits, and skips exactly the dependents of failures', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { report, violations } = await walkScenario(s);
        expect(violations).toEqual([]);
        const g = buildDag(s.tasks);
        for (const t of s.tasks) {
          if (t.join) {
            expect(report.has(t.id)).toBe(false);
            continue;
          }
          const failedAncestors = [...dependenciesOf(g, [t.id])].filter((id) => s.tasks[Number(id.slice(1))]!.fails);
          const result = report.get(t.id)!;
          if (failedAncestors.length > 0) {
            expect(result.status).toBe('skipped');
            expect(failedAncestors).toContain(result.skippedBecause);
          } else {
            // Failures elsewhere never keep an independent task from running to its own outcome.
            expect(result.status).toBe(t.fails ? 'failed' : 'succeeded');
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('after stop, starts nothing new and cancels exactly the tasks that never started or were skipped', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.integer({ min: 1, max: 30 }), async (s, stopAfterStarts) => {
        const { report, started, violations, startsAfterStop } = await walkScenario(s, stopAfterStarts);
        expect(violations).toEqual([]);
        expect(startsAfterStop).toBe(0);
        expect(started.length).toBeLessThanOrEqual(stopAfterStarts);
        for (const t of s.tasks.filter((task) => !task.join)) {
          const status = report.get(t.id)!.status;
          if (started.includes(t.id)) expect(['succeeded', 'failed']).toContain(status);
          else expect(['skipped', 'cancelled']).toContain(status);
        }
      }),
      { numRuns: 100 },
    );
  });
});
