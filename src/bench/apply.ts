/**
 * Apply engine cost with the state persisted as the CLI persists it (local backend, temporary
 * directory), each size in its own process: CPU and wall time reported separately, CPU per resource
 * judged against the target (≤ 1 ms per resource at 10,000, flat from 1,000 to 20,000). Baseline in
 * the same run: the whole state written per record (what every apply did before the journal, and what a
 * backend without a journal still does), at 1,000 resources. Issue #17's figures before the journal:
 * 10 / 16 / 32 / 70 ms CPU per resource at 1k / 2k / 5k / 10k.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './walker.js';

const SIZES = [1_000, 10_000, 20_000];
const TARGET_CPU_MS_PER_RESOURCE = 1;
/** "Flat": CPU per resource at the largest size at most this many times that at the smallest. */
const MAX_GROWTH = 1.5;

interface ApplyRun {
  count: number;
  wallMs: number;
  cpuMs: number;
}

function runApply(count: number, mode: 'journal' | 'whole'): ApplyRun {
  const child = fileURLToPath(new URL('./apply-child.js', import.meta.url));
  const output = execFileSync(process.execPath, [child, String(count), mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').pop()!) as ApplyRun;
}

export async function benchApply(): Promise<BenchResult[]> {
  const runs = SIZES.map((count) => runApply(count, 'journal'));
  const baseline = runApply(SIZES[0]!, 'whole');
  const perResource = (run: ApplyRun) => run.cpuMs / run.count;
  const at10k = runs.find((r) => r.count === 10_000)!;
  const growth = perResource(runs.at(-1)!) / perResource(runs[0]!);
  const figures: Record<string, number> = {};
  for (const run of runs) {
    const k = `${run.count / 1000}k`;
    figures[`cpu_ms_per_resource_${k}`] = round(perResource(run), 3);
    figures[`cpu_ms_${k}`] = round(run.cpuMs);
    figures[`wall_ms_${k}`] = round(run.wallMs);
  }
  return [
    {
      name: `apply of ${SIZES.map((s) => s.toLocaleString('en')).join(' / ')} test_resources, state persisted (journal)`,
      figures: {
        ...figures,
        growth_20k_vs_1k: round(growth, 2),
        target_cpu_ms_per_resource_10k: TARGET_CPU_MS_PER_RESOURCE,
        baseline_whole_state_per_record_cpu_ms_per_resource_1k: round(perResource(baseline), 3),
        ratio_vs_baseline_1k: round(perResource(runs[0]!) / perResource(baseline), 3),
        issue_baseline_cpu_ms_per_resource_10k: 70,
      },
      ok: perResource(at10k) <= TARGET_CPU_MS_PER_RESOURCE && growth <= MAX_GROWTH,
    },
  ];
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
