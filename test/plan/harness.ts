/**
 * In-process engine harness: HCL text → config, a registry with an isolated test_resource store, an
 * in-memory persist that keeps every written state, and plan/apply helpers.
 */
import { expect } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Diagnostic } from '../../src/config/diagnostics.js';
import type { Attrs, Value } from '../../src/config/values.js';
import { createPlan } from '../../src/plan/planner.js';
import { applyPlan } from '../../src/plan/apply.js';
import type { ApplyClock, ApplyEvent, PlanOptions } from '../../src/plan/engine-types.js';
import type { Plan, ResourceChange } from '../../src/plan/model.js';
import { ProviderRegistry } from '../../src/resources/registry.js';
import type { ResourceProvider } from '../../src/resources/provider.js';
import { createTestResourceProvider, memoryStore, type TestStore } from '../../src/resources/test_resource/index.js';
import { emptyState, type StateFile } from '../../src/state/model.js';

export interface Harness {
  store: TestStore;
  registry: ProviderRegistry;
  provider: ResourceProvider;
  /** Every state handed to persist, in order. */
  persisted: StateFile[];
  events: ApplyEvent[];
  files: Record<string, string>;
  plan(hcl: string, state: StateFile, options?: Partial<PlanOptions> & { variables?: Record<string, Value> }): Promise<{ plan: Plan; refreshed: StateFile; diagnostics: Diagnostic[] }>;
  apply(
    hcl: string,
    plan: Plan,
    state: StateFile,
    options?: { stop?: AbortSignal; clock?: ApplyClock; variables?: Record<string, Value>; parallelism?: number; persist?: (s: StateFile) => Promise<void> },
  ): ReturnType<typeof applyPlan>;
  /** plan + apply, expecting no error diagnostics from the plan. */
  converge(hcl: string, state: StateFile, options?: Partial<PlanOptions>): Promise<{ plan: Plan; state: StateFile; diagnostics: Diagnostic[] }>;
  objects(): Attrs[];
}

export function config(hcl: string) {
  const { config, diagnostics } = loadConfig([{ name: 'main.hcl', source: hcl }]);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return config;
}

export function newState(): StateFile {
  return emptyState('test-lineage', '0.1.0');
}

export function harness(options: { wrap?: (p: ResourceProvider) => ResourceProvider } = {}): Harness {
  const store = memoryStore();
  const base = createTestResourceProvider(store);
  const provider = options.wrap ? options.wrap(base) : base;
  const registry = new ProviderRegistry();
  registry.register(provider, 'builtin');
  const persisted: StateFile[] = [];
  const events: ApplyEvent[] = [];
  const files: Record<string, string> = {};
  const engineInput = (hcl: string, variables: Record<string, Value> = {}) => ({
    config: config(hcl),
    variables,
    registry,
    nodes: new Map(),
    workingDir: '/work',
    readFile: (path: string) => {
      const content = files[path];
      if (content === undefined) throw new Error(`no such file: ${path}`);
      return content;
    },
  });
  const h: Harness = {
    store,
    registry,
    provider,
    persisted,
    events,
    files,
    plan: (hcl, state, o = {}) =>
      createPlan({
        ...engineInput(hcl, o.variables),
        state,
        options: { mode: 'normal', refresh: true, targets: [], replace: [], parallelism: 4, ...o },
      }),
    apply: (hcl, plan, state, o = {}) =>
      applyPlan({
        ...engineInput(hcl, o.variables),
        plan,
        state,
        parallelism: o.parallelism ?? 4,
        persist:
          o.persist ??
          (async (s) => {
            persisted.push(s);
          }),
        stop: o.stop ?? new AbortController().signal,
        onEvent: (e) => events.push(e),
        ...(o.clock ? { clock: o.clock } : {}),
      }),
    converge: async (hcl, state, o = {}) => {
      const planned = await h.plan(hcl, state, o);
      expect(errors(planned.diagnostics)).toEqual([]);
      const applied = await h.apply(hcl, planned.plan, planned.refreshed);
      return { plan: planned.plan, state: applied.state, diagnostics: applied.diagnostics };
    },
    objects: () => Object.values(store.load()),
  };
  return h;
}

export function errors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.summary}: ${d.detail ?? ''}`);
}

export function actions(plan: Plan): Record<string, ResourceChange['action']> {
  return Object.fromEntries(plan.changes.map((c) => [c.address, c.action]));
}

export function change(plan: Plan, address: string): ResourceChange {
  const found = plan.changes.find((c) => c.address === address);
  if (!found) throw new Error(`no change for ${address}; have ${plan.changes.map((c) => c.address).join(', ')}`);
  return found;
}
