/**
 * Start-up: `phoenix version` as a user runs it (a fresh process), against bare `node -e 0` measured in
 * the same run — the two interleaved, best of several runs each, so both see the same load on a shared
 * machine. Judged on wall time as a ratio to that baseline: the issue's goal is 0.1 s (Terraform's
 * `version` takes about 50 ms; phoenix took 440 ms before commands were loaded lazily), and bare node
 * starts in about 40 ms on an idle machine, so `phoenix version` may take at most 2.5 times bare node.
 * CPU times are reported separately.
 */
import { fileURLToPath } from 'node:url';
import { timed, type Timed } from './timed.js';
import type { BenchResult } from './walker.js';

const RUNS = 9;
const GOAL_MS = 100;
const IDLE_NODE_START_MS = 40;
const MAX_RATIO = GOAL_MS / IDLE_NODE_START_MS;
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

type Best = Required<Timed>;

function better(best: Best, run: Timed): Best {
  return { wallMs: Math.min(best.wallMs, run.wallMs), cpuMs: Math.min(best.cpuMs, run.cpuMs ?? run.wallMs) };
}

export async function benchStartup(): Promise<BenchResult[]> {
  let version: Best = { wallMs: Infinity, cpuMs: Infinity };
  let bareNode: Best = { wallMs: Infinity, cpuMs: Infinity };
  for (let i = 0; i < RUNS; i++) {
    version = better(version, timed([process.execPath, CLI, 'version'], process.cwd()));
    bareNode = better(bareNode, timed([process.execPath, '-e', '0'], process.cwd()));
  }
  const ratio = version.wallMs / bareNode.wallMs;
  return [
    {
      name: `\`phoenix version\` start-up (best of ${RUNS} fresh processes, interleaved with bare node)`,
      figures: {
        wall_ms: round(version.wallMs),
        bare_node_wall_ms: round(bareNode.wallMs),
        ratio_wall_vs_bare_node: round(ratio, 2),
        max_ratio: MAX_RATIO,
        phoenix_own_wall_ms: round(version.wallMs - bareNode.wallMs),
        cpu_ms: round(version.cpuMs),
        bare_node_cpu_ms: round(bareNode.cpuMs),
        phoenix_own_cpu_ms: round(version.cpuMs - bareNode.cpuMs),
        goal_ms: GOAL_MS,
        issue_baseline_ms: 440,
      },
      ok: ratio <= MAX_RATIO,
    },
  ];
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
