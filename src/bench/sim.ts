/**
 * Simulator benchmarks (issue 3), run in-process through the CLI's own working-directory loader and
 * the engine, with every host command counted:
 *  - plan (with refresh) of 2,000 running containers and 200 running VMs with a feature each at 20 ms per simulator
 *    command: the number of host commands must not grow with the number of guests (compared with the
 *    same plan of 200 guests). Issue #17's baseline: 100 featured guests took 103 host commands;
 *  - apply of examples/homelab at 200 ms per simulator command, state persisted (local backend with its
 *    journal, as the CLI does): wall time against the sum of the
 *    latencies of the commands issued (commands × 200 ms), and against the sum of the commands'
 *    measured durations (latency plus process start-up: what a one-at-a-time apply would take).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadWorkdir, type Workdir } from '../cli/workdir.js';
import { SensitiveTexts } from '../plan/redaction.js';
import type { Ui } from '../cli/ui.js';
import type { Diagnostic } from '../config/diagnostics.js';
import { SIMULATED_TOOLS } from '../exec/simulator.js';
import { applyPlan } from '../plan/apply.js';
import type { Plan } from '../plan/model.js';
import { createPlan } from '../plan/planner.js';
import { createStyle } from '../render/style.js';
import { LocalBackend } from '../state/local.js';
import { emptyState, type StateFile } from '../state/model.js';
import { countingNodes, seedEstate } from './sim-estate.js';
import type { BenchResult } from './walker.js';

const LARGE_ESTATE = 2000;
const SMALL_ESTATE = 200;
const PLAN_LATENCY_MS = 20;
const APPLY_LATENCY_MS = 200;
const HOMELAB = fileURLToPath(new URL('../../examples/homelab', import.meta.url));

export async function benchSimulator(): Promise<BenchResult[]> {
  return [await benchLargePlan(), await benchHomelabApply()];
}

export async function benchLargePlan(): Promise<BenchResult> {
  const small = await planSeededEstate(SMALL_ESTATE);
  const large = await planSeededEstate(LARGE_ESTATE);
  return {
    name: `plan of ${LARGE_ESTATE.toLocaleString('en')} running containers and ${LARGE_ESTATE / 10} VMs with a feature each on the simulator, ${PLAN_LATENCY_MS} ms per command (refresh included)`,
    figures: {
      host_commands: large.commands,
      [`host_commands_for_${SMALL_ESTATE}_guests`]: small.commands,
      wall_ms: round(large.wallMs),
      [`wall_ms_for_${SMALL_ESTATE}_guests`]: round(small.wallMs),
      planned_changes: large.changes,
      seed_ms: round(large.seedMs),
    },
    // Constant per node: the same command count whatever the number of guests, and nothing to change.
    ok: large.commands === small.commands && large.changes === 0,
  };
}

async function planSeededEstate(count: number): Promise<{ commands: number; wallMs: number; changes: number; seedMs: number }> {
  const seedStart = performance.now();
  const estate = await seedEstate(count);
  const seedMs = performance.now() - seedStart;
  try {
    writeFileSync(join(estate.simDir, 'sim.json'), JSON.stringify({ latency_ms: PLAN_LATENCY_MS }));
    return await withWorkdir(estate.dir, async (workdir, counter) => {
      const began = performance.now();
      const plan = await planOrThrow(workdir, counter.nodes, estate.state);
      if (process.env.PHOENIX_BENCH_TRACE) for (const c of counter.commands) console.error(Math.round(c.ms), c.argv.slice(0, 4).join(' '));
      return { commands: counter.commands.length, wallMs: performance.now() - began, changes: changeCount(plan), seedMs };
    });
  } finally {
    rmSync(estate.dir, { recursive: true, force: true });
  }
}

async function benchHomelabApply(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-bench-homelab-'));
  // The state is persisted as the CLI persists it: the local backend's journal, one whole write at the end.
  const backend = new LocalBackend(join(dir, 'phoenix.state.json'));
  try {
    cpSync(HOMELAB, dir, { recursive: true });
    mkdirSync(join(dir, '.phoenix-sim'), { recursive: true });
    writeFileSync(join(dir, '.phoenix-sim/sim.json'), JSON.stringify({ latency_ms: APPLY_LATENCY_MS }));
    return await withWorkdir(dir, async (workdir, counter) => {
      const state = emptyState('bench-homelab', '0.0.0');
      const plan = await planOrThrow(workdir, counter.nodes, state);
      counter.commands.length = 0; // count the apply alone
      const began = performance.now();
      const applied = await applyPlan({
        ...workdir.engineInput(),
        nodes: counter.nodes,
        plan,
        state,
        parallelism: 10,
        persist: (next) => backend.write(next),
        openJournal: (base) => backend.openJournal(base),
        stop: new AbortController().signal,
        onEvent: () => {},
      });
      const wallMs = performance.now() - began;
      const failed = applied.results.filter((r) => r.status !== 'succeeded');
      // Only the simulated Proxmox tools sleep; cat/grep/flock on the node cost no latency.
      const simulated = counter.commands.filter((c) => SIMULATED_TOOLS.has(c.argv[0]!)).length;
      const sequentialMs = simulated * APPLY_LATENCY_MS;
      const measuredSequentialMs = counter.commands.reduce((sum, c) => sum + c.ms, 0);
      return {
        name: `apply of examples/homelab on the simulator, ${APPLY_LATENCY_MS} ms per command`,
        figures: {
          resources: applied.results.length,
          failed: failed.length,
          host_commands: counter.commands.length,
          proxmox_commands: simulated,
          sequential_latency_ms: sequentialMs,
          wall_ms: round(wallMs),
          ratio_wall_vs_sequential: round(wallMs / sequentialMs, 3),
          measured_sequential_ms: round(measuredSequentialMs),
          ratio_wall_vs_measured_sequential: round(wallMs / measuredSequentialMs, 3),
          ...(failed.length > 0 ? { first_failure: `${failed[0]!.address}: ${failed[0]!.error ? describe(failed[0]!.error) : failed[0]!.status}` } : {}),
        },
        // Parallelism must pay: faster than running the same commands one after another.
        ok: failed.length === 0 && wallMs < measuredSequentialMs,
      };
    });
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loads a working directory like the CLI does, with its nodes wrapped to count commands. */
async function withWorkdir<T>(dir: string, run: (workdir: Workdir, counter: ReturnType<typeof countingNodes>) => Promise<T>): Promise<T> {
  const workdir = await loadWorkdir(dir, { cliVars: [], varFiles: [], env: {} }, SILENT_UI);
  try {
    return await run(workdir, countingNodes(workdir.nodes));
  } finally {
    await workdir.close();
  }
}

async function planOrThrow(workdir: Workdir, nodes: Workdir['nodes'], state: StateFile): Promise<Plan> {
  const result = await createPlan({
    ...workdir.engineInput(),
    nodes,
    state,
    options: { mode: 'normal', refresh: true, targets: [], replace: [], parallelism: 10 },
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`benchmark plan failed: ${describe(errors[0]!)}`);
  return result.plan;
}

function changeCount(plan: Plan): number {
  return plan.changes.filter((c) => c.action !== 'no-op').length;
}

function describe(diagnostic: Diagnostic): string {
  return `${diagnostic.summary}${diagnostic.detail ? `: ${diagnostic.detail}` : ''}`;
}

const SILENT_UI: Ui = {
  sensitive: new SensitiveTexts(),
  color: false,
  style: createStyle(false),
  interactive: false,
  out: () => {},
  err: () => {},
  diagnostics: () => {},
};

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
