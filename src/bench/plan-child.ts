/**
 * Runs in its own process (spawned by plan.ts) so the peak RSS it reports belongs to parsing and planning
 * alone. Prints one JSON line: parse and plan timings (wall and CPU), the hcl2json baseline, and the peak RSS.
 */
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { parseHcl } from '../config/parser.js';
import { loadConfig } from '../config/load.js';
import { resolveVariables } from '../config/variables.js';
import { createPlan } from '../plan/planner.js';
import { ProviderRegistry } from '../resources/registry.js';
import { builtinProviders } from '../resources/builtin.js';
import { emptyState } from '../state/model.js';
import { testResourceConfig } from './generate.js';

const count = Number(process.argv[2] ?? 10_000);
const source = testResourceConfig(count);

const { parseMs, parseCpuMs } = timeParse();

const planStart = performance.now();
const planCpuStart = process.cpuUsage();
const { config, diagnostics } = loadConfig([{ name: 'bench.hcl', source }]);
const variables = resolveVariables(config, { cliVars: [], varFiles: [], autoVarFiles: [], env: {} });
const registry = new ProviderRegistry();
for (const provider of builtinProviders()) registry.register(provider, 'builtin');
const result = await createPlan({
  config,
  variables: variables.values,
  registry,
  nodes: new Map(),
  workingDir: process.cwd(),
  readFile: () => '',
  state: emptyState('bench', '0.0.0'),
  options: { mode: 'normal', refresh: false, targets: [], replace: [], parallelism: 10 },
});
const planMs = performance.now() - planStart;
const planCpuMs = cpuMsSince(planCpuStart);
// Read before the baseline runs: its WASM heap would otherwise set the high-water mark.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const errors = [...diagnostics, ...variables.diagnostics, ...result.diagnostics].filter((d) => d.severity === 'error');
if (errors.length > 0) throw new Error(`bench plan failed: ${errors[0]!.summary}`);

// Baseline measured in the same run: HashiCorp's own parser (compiled to WASM) on the same text.
const require = createRequire(import.meta.url);
const hcl2json = require('@cdktn/hcl2json') as { parse(file: string, text: string): Promise<unknown> };
await hcl2json.parse('warmup.hcl', 'a = 1');
const oracleStart = performance.now();
await hcl2json.parse('bench.hcl', source);
const oracleParseMs = performance.now() - oracleStart;

console.log(
  JSON.stringify({
    count,
    lines: source.split('\n').length,
    parseMs,
    parseCpuMs,
    oracleParseMs,
    planMs,
    planCpuMs,
    creates: result.plan.summary.add,
    peakRssMb,
  }),
);

/** Parsing alone, timed; its tree is dropped here so it does not inflate the plan's peak RSS. */
function timeParse(): { parseMs: number; parseCpuMs: number } {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const parsed = parseHcl(source, 'bench.hcl');
  const parseCpuMs = cpuMsSince(cpuStart);
  const parseMs = performance.now() - start;
  if (parsed.diagnostics.length > 0) throw new Error(`bench config has syntax errors: ${parsed.diagnostics[0]!.summary}`);
  return { parseMs, parseCpuMs };
}

/**
 * CPU time of this process (all threads, so parallel GC counts) since `start`. On a shared machine it
 * varies far less than wall time, which stretches with everyone else's load.
 */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
