/**
 * Start-up: `phoenix version` as a user runs it (a fresh process), against bare `node -e 0` measured in
 * the same run, best of several runs (a shared machine only ever adds time). Target: phoenix's own part
 * ≤ 100 ms (Terraform's `version` takes about 50 ms; phoenix took 440 ms before commands were loaded
 * lazily). Judged on CPU time, reported next to wall time: the wall time of a process this short on a
 * shared 2-core machine mostly measures the scheduler.
 */
import { fileURLToPath } from 'node:url';
import { timed, type Timed } from './timed.js';
import type { BenchResult } from './walker.js';

const RUNS = 7;
const TARGET_MS = 100;
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function bestOf(argv: string[]): Required<Timed> {
  let best = { wallMs: Infinity, cpuMs: Infinity };
  for (let i = 0; i < RUNS; i++) {
    const run = timed([process.execPath, ...argv], process.cwd());
    best = { wallMs: Math.min(best.wallMs, run.wallMs), cpuMs: Math.min(best.cpuMs, run.cpuMs ?? run.wallMs) };
  }
  return best;
}

export async function benchStartup(): Promise<BenchResult[]> {
  const version = bestOf([CLI, 'version']);
  const bareNode = bestOf(['-e', '0']);
  const ownCpu = version.cpuMs - bareNode.cpuMs;
  return [
    {
      name: `\`phoenix version\` start-up (best of ${RUNS} fresh processes)`,
      figures: {
        wall_ms: round(version.wallMs),
        cpu_ms: round(version.cpuMs),
        bare_node_wall_ms: round(bareNode.wallMs),
        bare_node_cpu_ms: round(bareNode.cpuMs),
        phoenix_own_wall_ms: round(version.wallMs - bareNode.wallMs),
        phoenix_own_cpu_ms: round(ownCpu),
        target_ms: TARGET_MS,
        issue_baseline_ms: 440,
      },
      ok: ownCpu <= TARGET_MS,
    },
  ];
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
