/**
 * Count-to-count references in apply and destroy: `b` (count N) refers to `a` (count N), so every
 * b-instance waits for every a-instance. Measured: building the apply tasks plus walking them with free
 * work (apply), and the destroy plan plus its tasks and walk (destroy), against a baseline in the same
 * run: the same 2N instances without the cross reference. With one join per referenced resource the
 * dependency entries are 2N and the apply ratio stays flat as N grows (1.5–2 at N = 250 and 1,000). One
 * entry per pair (N × N), before the joins, gave apply ratios of 11–39 / 190–540 and destroy ratios of
 * 50–80 / 490–5,600 (40 s) at N = 250 / 1,000. Destroy still reads what the state recorded, one
 * dependency per pair (N × N strings), so its ratio grows with N (3–4 / 3–7 at 250 / 1,000), hence its
 * looser target.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/load.js';
import { resolveVariables } from '../config/variables.js';
import { walk } from '../graph/walk.js';
import { applyPlan } from '../plan/apply.js';
import { buildApplyTasks } from '../plan/apply-tasks.js';
import type { Plan } from '../plan/model.js';
import { createPlan } from '../plan/planner.js';
import { ProviderRegistry } from '../resources/registry.js';
import { createTestResourceProvider, memoryStore } from '../resources/test_resource/index.js';
import { emptyState, type StateFile } from '../state/model.js';
import type { BenchResult } from './walker.js';

const SIZES = [250, 1_000];
const RUNS = 7;
const APPLY_REPEATS = 5;
/** Cross-referenced against unrelated instances, at the largest size. */
const MAX_APPLY_RATIO = 3;
const MAX_DESTROY_RATIO = 15;

function countToCount(count: number, cross: boolean): string {
  return [
    `resource "test_resource" "a" {\n  count = ${count}\n  name  = "a-\${count.index}"\n}`,
    `resource "test_resource" "b" {\n  count = ${count}\n  name  = "b-\${count.index}"`,
    cross ? `  value = test_resource.a[count.index].id\n}` : `  value = "b"\n}`,
  ].join('\n');
}

function engineFor(source: string) {
  const { config, diagnostics } = loadConfig([{ name: 'bench.hcl', source }]);
  const variables = resolveVariables(config, { cliVars: [], varFiles: [], autoVarFiles: [], env: {} });
  const registry = new ProviderRegistry();
  registry.register(createTestResourceProvider(memoryStore()), 'builtin');
  const errors = [...diagnostics, ...variables.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`bench apply-join: ${errors[0]!.summary}`);
  return { config, variables: variables.values, registry, nodes: new Map(), workingDir: process.cwd(), readFile: () => '' };
}

type Engine = ReturnType<typeof engineFor>;

async function plan(engine: Engine, state: StateFile, mode: 'normal' | 'destroy'): Promise<Plan> {
  const planned = await createPlan({ ...engine, state, options: { mode, refresh: false, targets: [], replace: [], parallelism: 10 } });
  const error = planned.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new Error(`bench apply-join: ${error.summary}`);
  return planned.plan;
}

/** Tasks plus a walk with free work; returns the dependency entries the walker was given. */
async function tasksAndWalk(plan: Plan, prior: StateFile): Promise<number> {
  const { tasks, joins } = buildApplyTasks(plan.changes, prior.resources);
  const report = await walk([...tasks, ...joins.map((j) => ({ ...j, join: true }))], { parallelism: 10, keyLimit: () => 1, run: async () => {} });
  if ([...report.values()].some((r) => r.status !== 'succeeded')) throw new Error('bench apply-join: a task did not succeed');
  return [...tasks, ...joins].reduce((sum, t) => sum + t.dependsOn.length, 0);
}

interface Prepared {
  engine: Engine;
  created: Plan;
  applied: StateFile;
}

async function prepare(count: number, cross: boolean): Promise<Prepared> {
  const engine = engineFor(countToCount(count, cross));
  const empty = emptyState('bench', '0.0.0');
  const created = await plan(engine, empty, 'normal');
  const stop = new AbortController().signal;
  const applied = await applyPlan({ ...engine, plan: created, state: empty, parallelism: 10, persist: async () => {}, stop, onEvent: () => {} });
  if (applied.state.resources.length !== 2 * count) throw new Error('bench apply-join: the apply did not record every instance');
  return { engine, created, applied: applied.state };
}

interface Measured {
  applyMs: number;
  destroyMs: number;
  applyEntries: number;
  destroyEntries: number;
}

/** One sample of each: apply tasks + walk (repeated, as it takes only milliseconds), destroy plan + tasks + walk. */
async function sample({ engine, created, applied }: Prepared): Promise<Measured> {
  let began = performance.now();
  let applyEntries = 0;
  for (let i = 0; i < APPLY_REPEATS; i++) applyEntries = await tasksAndWalk(created, emptyState('bench', '0.0.0'));
  const applyMs = (performance.now() - began) / APPLY_REPEATS;
  began = performance.now();
  const destroyEntries = await tasksAndWalk(await plan(engine, applied, 'destroy'), applied);
  return { applyMs, destroyMs: performance.now() - began, applyEntries, destroyEntries };
}

/**
 * Best of several samples, the two shapes taken in turn so load and warm-up weigh on both alike: on a
 * shared machine the minimum is the figure least distorted by other load.
 */
async function measure(count: number): Promise<{ baseline: Measured; crossed: Measured }> {
  const shapes = [await prepare(count, false), await prepare(count, true)];
  const best = shapes.map(() => ({ applyMs: Infinity, destroyMs: Infinity, applyEntries: 0, destroyEntries: 0 }));
  for (let run = 0; run < RUNS; run++) {
    for (const [i, shape] of shapes.entries()) {
      const measured = await sample(shape);
      best[i] = { ...measured, applyMs: Math.min(best[i]!.applyMs, measured.applyMs), destroyMs: Math.min(best[i]!.destroyMs, measured.destroyMs) };
    }
  }
  return { baseline: best[0]!, crossed: best[1]! };
}

export async function benchApplyJoin(): Promise<BenchResult[]> {
  const figures: Record<string, number> = {};
  let ok = true;
  for (const count of SIZES) {
    const { baseline, crossed } = await measure(count);
    const applyRatio = crossed.applyMs / baseline.applyMs;
    const destroyRatio = crossed.destroyMs / baseline.destroyMs;
    Object.assign(figures, {
      [`apply_ms_${count}`]: round(crossed.applyMs),
      [`apply_baseline_ms_${count}`]: round(baseline.applyMs),
      [`apply_ratio_${count}`]: round(applyRatio, 2),
      [`apply_entries_${count}`]: crossed.applyEntries,
      [`destroy_ms_${count}`]: round(crossed.destroyMs),
      [`destroy_baseline_ms_${count}`]: round(baseline.destroyMs),
      [`destroy_ratio_${count}`]: round(destroyRatio, 2),
      [`destroy_entries_${count}`]: crossed.destroyEntries,
    });
    if (count === SIZES.at(-1)) ok = applyRatio <= MAX_APPLY_RATIO && destroyRatio <= MAX_DESTROY_RATIO;
  }
  return [
    {
      name: `count-to-count reference (${SIZES.join(' / ')} → as many): apply tasks + walk, destroy plan + tasks + walk, vs no reference`,
      figures: {
        ...figures,
        target_apply_ratio: MAX_APPLY_RATIO,
        target_destroy_ratio: MAX_DESTROY_RATIO,
        pairwise_apply_ratio_1000_before_joins: 192,
        pairwise_destroy_ratio_1000_before_joins: 5640,
      },
      ok,
    },
  ];
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
