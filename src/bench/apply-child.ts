/**
 * Runs in its own process (spawned by apply.ts): plan and apply N generated `test_resource`s with the
 * state persisted by the local backend in a temporary directory, as the CLI does (`journal`: pending and
 * result records appended, the whole state written once; `whole`: the whole state written per record,
 * what backends without a journal do). Prints one JSON line with the apply's wall and CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/load.js';
import { resolveVariables } from '../config/variables.js';
import { applyPlan } from '../plan/apply.js';
import { createPlan } from '../plan/planner.js';
import { ProviderRegistry } from '../resources/registry.js';
import { createTestResourceProvider, memoryStore } from '../resources/test_resource/index.js';
import { LocalBackend } from '../state/local.js';
import { emptyState } from '../state/model.js';
import { testResourceConfig } from './generate.js';

const count = Number(process.argv[2] ?? 1000);
const mode = process.argv[3] === 'whole' ? 'whole' : 'journal';

const { config, diagnostics } = loadConfig([{ name: 'bench.hcl', source: testResourceConfig(count) }]);
const variables = resolveVariables(config, { cliVars: [], varFiles: [], autoVarFiles: [], env: {} });
const registry = new ProviderRegistry();
registry.register(createTestResourceProvider(memoryStore()), 'builtin');
const engine = { config, variables: variables.values, registry, nodes: new Map(), workingDir: process.cwd(), readFile: () => '' };
const state = emptyState('bench', '0.0.0');
const planned = await createPlan({ ...engine, state, options: { mode: 'normal', refresh: false, targets: [], replace: [], parallelism: 10 } });
const errors = [...diagnostics, ...variables.diagnostics, ...planned.diagnostics].filter((d) => d.severity === 'error');
if (errors.length > 0) throw new Error(`bench apply: ${errors[0]!.summary}`);

const dir = mkdtempSync(join(tmpdir(), 'phoenix-bench-apply-'));
const backend = new LocalBackend(join(dir, 'phoenix.state.json'));
try {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const applied = await applyPlan({
    ...engine,
    plan: planned.plan,
    state,
    parallelism: 10,
    persist: (next) => backend.write(next),
    ...(mode === 'journal' ? { openJournal: (base) => backend.openJournal(base) } : {}),
    stop: new AbortController().signal,
    onEvent: () => {},
  });
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  const stored = await backend.read();
  if (applied.diagnostics.some((d) => d.severity === 'error') || stored?.resources.length !== count) {
    throw new Error(`bench apply: ${stored?.resources.length ?? 0} of ${count} recorded`);
  }
  console.log(JSON.stringify({ count, mode, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
