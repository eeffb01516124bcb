/**
 * `npm run bench`: every benchmark, one after another (they would distort each other's timings), each
 * printed with its figures and its ratio against a baseline or target measured in the same run.
 * Exit code 1 when a benchmark misses its target.
 */
import { benchApply } from './apply.js';
import { benchApplyJoin } from './apply-join.js';
import { benchHcl } from './hcl.js';
import { benchHclFuzz } from './hcl-fuzz.js';
import { benchPlan } from './plan.js';
import { benchSimulator } from './sim.js';
import { benchStartup } from './startup.js';
import { benchTerraform } from './terraform.js';
import { benchWalker, type BenchResult } from './walker.js';

const suites: [string, () => Promise<BenchResult[]>][] = [
  ['startup', benchStartup],
  ['walker', benchWalker],
  ['hcl', benchHcl],
  ['hcl fuzz', benchHclFuzz],
  ['plan', benchPlan],
  ['apply', benchApply],
  ['apply joins', benchApplyJoin],
  ['simulator', benchSimulator],
  ['terraform', benchTerraform],
];

let failed = 0;
for (const [suite, run] of suites) {
  for (const result of await run()) {
    if (!result.ok) failed++;
    const figures = Object.entries(result.figures)
      .map(([k, v]) => `${k}=${v}`)
      .join('  ');
    console.log(`${result.ok ? 'ok  ' : 'MISS'} [${suite}] ${result.name}\n       ${figures}`);
  }
}
console.log(failed === 0 ? 'all benchmarks within target' : `${failed} benchmark(s) missed their target`);
process.exitCode = failed === 0 ? 0 : 1;
