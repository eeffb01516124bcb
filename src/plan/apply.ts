/**
 * Apply: executes a plan's changes with the parallel walker, recording state after every resource.
 * A failed resource skips its dependents while independent ones go on; a stop request lets running
 * operations finish and starts nothing new. Afterwards: outputs into state, then health checks.
 */
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { NodeHandle } from '../resources/provider.js';
import { KeyGate } from '../graph/key-gate.js';
import { walk, type WalkReport } from '../graph/walk.js';
import { TaskRunner, TaskFailure } from './apply-runner.js';
import { buildApplyTasks, type ApplyTask } from './apply-tasks.js';
import type { ApplyClock, ApplyInput, ApplyOutput, ResourceResult } from './engine-types.js';
import { EvalContext } from './eval-context.js';
import { expandInstances, type ResourceInstance } from './expand.js';
import { checkHealth } from './health.js';
import { errorText, nodeFor } from './provider-context.js';
import { evaluateOutputs, outputState } from './outputs.js';
import { StateRecorder } from './state-recorder.js';

const systemClock: ApplyClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const handle = setInterval(tick, ms);
    handle.unref?.();
    return () => clearInterval(handle);
  },
};

export async function applyPlan(input: ApplyInput): Promise<ApplyOutput> {
  const stale = stalePlan(input);
  if (stale) return { state: input.state, results: [], diagnostics: [stale] };

  const diagnostics: Diagnostic[] = [];
  const context = new EvalContext(input);
  const destroying = input.plan.mode === 'destroy';
  for (const r of input.state.resources) context.sensitive.addPaths(r.attributes, r.sensitive_attributes);
  let instances = new Map<string, ResourceInstance>();
  if (!destroying) {
    const expansion = expandInstances(context);
    if (expansion.diagnostics.some((d) => d.severity === 'error')) {
      return { state: input.state, results: [], diagnostics: expansion.diagnostics };
    }
    instances = expansion.byAddress;
    for (const resource of input.state.resources) {
      const instance = instances.get(resource.address);
      if (instance) context.values.set(instance.decl.address, instance.index, resource.attributes, resource.sensitive_attributes);
    }
  }

  // Every state apply writes says which phoenix wrote it.
  const initial = input.phoenixVersion ? { ...input.state, phoenix_version: input.phoenixVersion } : input.state;
  const recorder = new StateRecorder(initial, { write: input.persist, openJournal: input.openJournal });
  const removed = new Set(input.plan.changes.filter((c) => c.action === 'delete').map((c) => c.address));
  const keyGate = new KeyGate((key) => keyLimit(key, input.nodes));
  const runner = new TaskRunner({ input, clock: input.clock ?? systemClock, recorder, context, instances, removed, keyGate });
  const { tasks, joins } = buildApplyTasks(input.plan.changes, input.state.resources);
  const taskById = new Map(tasks.map((t) => [t.id, t]));

  let report: WalkReport;
  try {
    report = await walk(
      [
        ...tasks.map((t) => ({ id: t.id, dependsOn: t.dependsOn, keys: concurrencyKeys(t, input) })),
        ...joins.map((j) => ({ ...j, join: true })),
      ],
      {
        parallelism: Math.max(1, input.parallelism),
        keyLimit: (key) => keyLimit(key, input.nodes),
        run: (id) => runner.run(taskById.get(id)!),
        stop: input.stop,
      },
    );
  } catch (e) {
    diagnostics.push(error('Internal error ordering the apply', errorText(e)));
    return { state: recorder.state, results: [], diagnostics };
  }

  const results = resultsOf(input, tasks, report, diagnostics);

  if (destroying) recorder.setOutputs({});
  else {
    const outputs = evaluateOutputs(context);
    recorder.setOutputs(outputState(outputs.outputs));
  }
  try {
    await recorder.persist({ full: true });
  } catch (e) {
    diagnostics.push(error('Failed to save state', errorText(e)));
  }

  if (!input.stop.aborted) {
    const health = await checkHealth(
      [...runner.touched].map(([address, { type, attrs }]) => ({ address, type, attrs })),
      {
        registry: input.registry,
        nodes: input.nodes,
        parallelism: input.parallelism,
        sensitive: context.sensitive,
        onResult: (r) => input.onEvent({ type: 'health_check', address: r.address, name: r.name, ok: r.ok, attempts: r.attempts, output: r.output }),
      },
    );
    diagnostics.push(...health.diagnostics);
  }
  return { state: recorder.state, results, diagnostics };
}

function stalePlan(input: ApplyInput): Diagnostic | undefined {
  const { lineage, serial } = input.plan.prior_state;
  if (lineage === input.state.lineage && serial === input.state.serial) return undefined;
  return error(
    'Saved plan is stale',
    `The plan was made against state serial ${serial} (lineage ${lineage}), but the state is now at serial ` +
      `${input.state.serial} (lineage ${input.state.lineage}). Create a new plan.`,
  );
}

/** One result per planned change; walk failures become diagnostics, skips become events. */
function resultsOf(input: ApplyInput, tasks: readonly ApplyTask[], report: WalkReport, diagnostics: Diagnostic[]): ResourceResult[] {
  const severity = { succeeded: 0, cancelled: 1, skipped: 2, failed: 3 } as const;
  const byAddress = new Map<string, ResourceResult>();
  for (const task of tasks) {
    const outcome = report.get(task.id)!;
    const { address, action } = task.change;
    let result: ResourceResult = { address, action, status: outcome.status };
    if (outcome.status === 'failed') {
      const failure = outcome.error instanceof TaskFailure ? outcome.error : new TaskFailure([error(`Error applying ${address}`, errorText(outcome.error))]);
      diagnostics.push(...failure.diagnostics);
      result = { ...result, error: failure.diagnostics[0] };
    }
    if (outcome.status === 'skipped') {
      const because = outcome.skippedBecause ? outcome.skippedBecause.slice(outcome.skippedBecause.indexOf(':') + 1) : 'a dependency failed';
      input.onEvent({ type: 'skipped', address, action: task.phase, because });
      result = { ...result, skippedBecause: because };
    }
    const previous = byAddress.get(address);
    if (!previous || severity[result.status] > severity[previous.status]) byAddress.set(address, result);
  }
  return [...byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

function concurrencyKeys(task: ApplyTask, input: ApplyInput): string[] {
  const attrs = task.change.after ?? task.change.before ?? {};
  const keys: string[] = [];
  const provider = input.registry.get(task.change.type);
  // Only objects that live on a node count against its limit: a host-less type (test_resource, a
  // plugin's DNS record) is bound by -parallelism alone.
  const node = provider?.schema.attributes.node ? nodeFor(attrs, input.nodes) : undefined;
  if (node) keys.push(`node:${node.name}`);
  if (provider?.concurrencyKeys) keys.push(...provider.concurrencyKeys(attrs, task.phase));
  return [...new Set(keys)];
}

/** `node:NAME` → the node's maxParallel; `storage:NODE/STORAGE` → its storageParallel; others 1. */
function keyLimit(key: string, nodes: ReadonlyMap<string, NodeHandle>): number {
  const [kind, rest = ''] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'node') return Math.max(1, nodes.get(rest)?.maxParallel ?? 4);
  if (kind === 'storage') return Math.max(1, nodes.get(rest.split('/')[0]!)?.storageParallel ?? 1);
  return 1;
}
