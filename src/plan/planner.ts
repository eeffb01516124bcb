/**
 * The planner: config + state → Plan.
 *
 *  1. locals, count/for_each expansion, one DAG node per instance (cycles are errors);
 *  2. pending records reconciled, then (unless -refresh=false) every object read back, batched;
 *  3. each instance planned in dependency order, references resolving to upstream planned values
 *     (unknown where apply will decide them); instances only in state are deleted;
 *  4. outputs, summary, hashes.
 */
import { didYouMean, error, hasErrors, warning, type Diagnostic } from '../config/diagnostics.js';
import { attributes, blocks, type Body, type Range } from '../config/ast.js';
import type { Config, ResourceDecl } from '../config/model.js';
import { parseHcl } from '../config/parser.js';
import type { LockInfo } from '../state/backend.js';
import { AttributeError } from '../resources/provider.js';
import type { ResourceState, StateFile } from '../state/model.js';
import type { Attrs } from '../config/values.js';
import { addressMatches, resourceOf } from './address.js';
import { makeChange, summarize } from './changes.js';
import { changedAttributes, proposeDiff } from './diff.js';
import type { PlanInput } from './engine-types.js';
import { EvalContext } from './eval-context.js';
import { expandInstances, type ResourceInstance } from './expand.js';
import { buildInstanceGraph } from './graph.js';
import { configHash, variablesHash } from './hash.js';
import { crossCheckPlan } from './cross-checks.js';
import { attributeRange as attributePathRange } from './attribute-range.js';
import { decodeInstance, notYetCreated, plannedAttributes, validateConfigured } from './instance-config.js';
import { nodeDiagnostics } from './node-check.js';
import { hostChecks } from './host-checks.js';
import { PLAN_FORMAT_VERSION, type Plan, type ResourceChange, type ResourceDrift } from './model.js';
import { applyMoveStatements } from './moves.js';
import { evaluateOutputs, outputChanges } from './outputs.js';
import { reconcilePending, type ReconcileResult } from './reconcile.js';
import { duplicateIdentities, occupiedIdentities, renamesAsReplacement } from './identity-checks.js';
import { firedReplaceTrigger } from './replace-triggers.js';
import { createReadMemo, errorText } from './provider-context.js';
import { compare, refreshState } from './refresh.js';
import { selectTargets, TARGETING_WARNING } from './targets.js';

export interface PlanResult {
  plan: Plan;
  /** The state the plan was computed against: pending records reconciled, refreshed attributes. */
  refreshed: StateFile;
  diagnostics: Diagnostic[];
}

export async function createPlan(input: PlanInput): Promise<PlanResult> {
  const { options } = input;
  const diagnostics: Diagnostic[] = [];
  const destroying = options.mode === 'destroy';
  const context = new EvalContext(input);
  const expansion = expandInstances(context);
  // A destroy plan works from state alone, so a config that no longer evaluates does not block it.
  if (!destroying) diagnostics.push(...context.localDiagnostics, ...unknownTypes(input), ...expansion.diagnostics);

  const readInput = { registry: input.registry, nodes: input.nodes, parallelism: Math.max(1, options.parallelism), memo: createReadMemo() };
  const moves = applyMoveStatements(input.config, input.state, expansion);
  diagnostics.push(...moves.diagnostics);
  const reconciled = input.pendingRunning
    ? pendingInProgress(moves.state, input.pendingRunning)
    : await reconcilePending(moves.state, readInput);
  diagnostics.push(...reconciled.diagnostics);
  let refreshed = reconciled.state;
  let drift: ResourceDrift[] = [];
  if (options.refresh) {
    const result = await refreshState(refreshed, readInput);
    refreshed = result.state;
    drift = result.drift;
    diagnostics.push(...result.diagnostics);
  }

  for (const r of refreshed.resources) context.sensitive.addPaths(r.attributes, r.sensitive_attributes);
  const plan = emptyPlan(input, drift);
  if (hasErrors(diagnostics)) return { plan, refreshed, diagnostics };

  const stateByAddress = new Map(refreshed.resources.map((r) => [r.address, r]));
  const instances = destroying ? [] : expansion.instances;
  const stateOnly = destroying ? refreshed.resources : refreshed.resources.filter((r) => !expansion.byAddress.has(r.address));
  const graph = buildInstanceGraph(input.config, instances, stateOnly);
  diagnostics.push(...graph.diagnostics);
  if (hasErrors(diagnostics)) return { plan, refreshed, diagnostics };

  const targeted = selectTargets(graph.graph, options.targets, options.mode);
  if (targeted) {
    diagnostics.push(warning(TARGETING_WARNING.summary, TARGETING_WARNING.detail));
    plan.warnings.push(TARGETING_WARNING.summary);
  }
  diagnostics.push(...unmatchedReplaceTargets(options.replace, graph.order));

  const planner = new InstancePlanner(input, context, reconciled.abandonedCreates, diagnostics);
  for (const address of graph.order) {
    const prior = stateByAddress.get(address);
    const instance = expansion.byAddress.get(address);
    const dependencies = graph.dependencies.get(address) ?? [];
    if (targeted && !targeted.has(address)) {
      // Untargeted instances keep their recorded values, so outputs still see them; one not yet
      // created is known only after a later apply.
      if (prior && instance) context.values.set(instance.decl.address, instance.index, prior.attributes, prior.sensitive_attributes);
      else if (instance) {
        const unknown = notYetCreated(input.registry.get(instance.decl.type)!);
        context.values.set(instance.decl.address, instance.index, unknown.attrs, unknown.sensitivePaths);
      }
      continue;
    }
    try {
      if (instance && !destroying) plan.changes.push(planner.planInstance(instance, prior, dependencies));
      else if (prior) plan.changes.push(planner.planDelete(prior, dependencies));
    } catch (e) {
      // A provider hook (normalize, diff, validate, identity) threw: report it, keep planning the rest.
      const at = e instanceof AttributeError && instance ? attributeRange(instance.decl.body, e.attribute) : undefined;
      diagnostics.push({ ...error(`Error planning ${address}`, errorText(e), at ?? instance?.decl.range), subject: address });
    }
  }
  const movedFrom = new Map([...moves.moved].map(([from, to]) => [to, from]));
  for (const change of plan.changes) {
    const from = movedFrom.get(change.address);
    if (from !== undefined) change.previousAddress = from;
  }
  plan.changes.sort((a, b) => compare(a.address, b.address));
  plan.summary = summarize(plan.changes);
  if (!destroying) {
    diagnostics.push(...duplicateIdentities(plan.changes, input.registry, expansion.byAddress));
    diagnostics.push(...renamesAsReplacement(plan.changes, input.registry, expansion.byAddress));
    // Only against a refreshed node: validate and -refresh=false do not read hosts.
    if (options.refresh && !hasErrors(diagnostics)) {
      diagnostics.push(...(await occupiedIdentities(plan.changes, refreshed.resources, expansion.byAddress, readInput)));
    }
    const rangeOf = (address: string, attribute?: readonly string[]) => {
      const decl = expansion.byAddress.get(address)?.decl;
      return decl && ((attribute ? attributePathRange(decl.body, attribute) : undefined) ?? decl.range);
    };
    diagnostics.push(...crossCheckPlan(plan.changes, (type) => input.registry.get(type), rangeOf));
  }
  // Only a plan that reads the hosts anyway asks them about new objects (validate contacts none).
  if (options.refresh && !destroying && !hasErrors(diagnostics)) diagnostics.push(...(await hostChecks(plan.changes, planner.configured, readInput)));

  if (destroying) {
    plan.outputs = outputChanges([], refreshed.outputs);
  } else {
    const outputs = evaluateOutputs(context);
    diagnostics.push(...outputs.diagnostics);
    plan.outputs = outputChanges(outputs.outputs, refreshed.outputs);
  }
  return { plan, refreshed, diagnostics };
}

/** Plans one instance at a time, in dependency order, recording planned values for downstream references. */
class InstancePlanner {
  /** Changes planned so far for config instances (replace_triggered_by looks at them). */
  private readonly planned = new Map<string, ResourceChange>();
  /** Each planned instance's configured values, for the host checks of the objects it creates. */
  readonly configured = new Map<string, { instance: ResourceInstance; attrs: Attrs; sensitivePaths: string[][] }>();

  constructor(
    private readonly input: PlanInput,
    private readonly context: EvalContext,
    private readonly abandonedCreates: ReadonlySet<string>,
    private readonly diagnostics: Diagnostic[],
  ) {}

  planInstance(instance: ResourceInstance, prior: ResourceState | undefined, dependencies: string[]): ResourceChange {
    const { decl } = instance;
    const provider = this.input.registry.get(decl.type)!;
    const decoded = decodeInstance(instance, provider, this.context);
    this.diagnostics.push(...decoded.diagnostics);
    const lifecycle = decl.lifecycle;
    const base = { address: instance.address, type: decl.type, dependencies, sensitivePaths: decoded.sensitivePaths };

    let change: ResourceChange;
    if (!prior) {
      const after = plannedAttributes(provider, decoded.attrs, undefined, true, lifecycle);
      change = makeChange({
        ...base,
        action: 'create',
        before: null,
        after,
        changedPaths: Object.keys(after).filter((k) => after[k] !== null).sort().map((k) => [k]),
        ...(this.abandonedCreates.has(instance.address) ? { reason: 'pending_create' as const } : {}),
      });
    } else {
      const inPlace = plannedAttributes(provider, decoded.attrs, prior.attributes, false, lifecycle);
      const diff = proposeDiff(provider, prior.attributes, inPlace);
      const requested = this.input.options.replace.some((t) => addressMatches(t, instance.address));
      const forced = requested || diff.replacePaths.length > 0;
      const firedBy = forced ? undefined : this.firedReplaceTrigger(instance);
      if (forced || firedBy) {
        const after = plannedAttributes(provider, decoded.attrs, prior.attributes, true, lifecycle);
        change = makeChange({
          ...base,
          action: 'replace',
          replaceOrder: lifecycle.createBeforeDestroy ? 'create-before-destroy' : 'delete-before-create',
          reason: requested ? 'replace_by_request' : firedBy ? 'replace_triggered_by' : 'force_new',
          ...(firedBy ? { triggeredBy: firedBy } : {}),
          before: prior.attributes,
          after,
          changedPaths: changedAttributes(prior.attributes, after).map((name) => [name]),
          replacePaths: diff.replacePaths,
        });
        this.checkPreventDestroy(decl, instance.address, 'replaced');
        this.checkDeletionRefusal(prior.type, prior.attributes, instance.address, decl.range);
      } else {
        change = makeChange({
          ...base,
          action: diff.changed.length > 0 ? 'update' : 'no-op',
          before: prior.attributes,
          after: inPlace,
          changedPaths: diff.changed,
          restartPaths: diff.restartPaths,
          ...(diff.restart ? { restart: diff.restart } : {}),
        });
      }
    }
    this.configured.set(instance.address, { instance, attrs: decoded.attrs, sensitivePaths: decoded.sensitivePaths });
    this.diagnostics.push(...validateConfigured(provider, decoded, instance), ...nodeDiagnostics(provider, decoded.attrs, instance, this.input.nodes));
    this.context.values.set(decl.address, instance.index, change.after!, decoded.sensitivePaths);
    this.planned.set(instance.address, change);
    return change;
  }

  /** What fired the instance's replace_triggered_by, judged on the changes of instances planned before it. */
  private firedReplaceTrigger(instance: ResourceInstance): string | undefined {
    if (!instance.decl.lifecycle.replaceTriggeredBy) return undefined;
    const result = firedReplaceTrigger(instance, this.context, this.planned);
    this.diagnostics.push(...result.diagnostics.map((d) => ({ ...d, subject: d.subject ?? instance.address })));
    return result.firedBy;
  }

  planDelete(prior: ResourceState, dependencies: string[]): ResourceChange {
    const decl = this.input.config.resources.get(resourceOf(prior.address));
    const destroying = this.input.options.mode === 'destroy';
    if (decl && (destroying || decl.count || decl.forEach)) this.checkPreventDestroy(decl, prior.address, 'destroyed');
    this.checkDeletionRefusal(prior.type, prior.attributes, prior.address, decl?.range);
    return makeChange({
      address: prior.address,
      type: prior.type,
      action: 'delete',
      ...(destroying ? {} : { reason: decl ? ('count_index' as const) : ('not_in_config' as const) }),
      before: prior.attributes,
      after: null,
      dependencies,
      sensitivePaths: prior.sensitive_attributes,
    });
  }

  /** A provider's own refusal (a ZFS pool without allow_destroy): an error in the plan, before anything runs. */
  private checkDeletionRefusal(type: string, prior: Attrs, address: string, range: Range | undefined): void {
    const refusal = this.input.registry.get(type)?.deletionRefusal?.(prior);
    if (refusal) this.diagnostics.push({ ...error(refusal.summary, refusal.detail, range), subject: address });
  }

  private checkPreventDestroy(decl: ResourceDecl, address: string, verb: 'destroyed' | 'replaced'): void {
    if (!decl.lifecycle.preventDestroy) return;
    this.diagnostics.push({
      ...error(
        'Instance cannot be destroyed',
        `Resource ${address} has lifecycle.prevent_destroy set, but the plan calls for it to be ${verb}. ` +
          'To continue, either disable lifecycle.prevent_destroy or reduce the scope of the plan with -target.',
        lifecycleRange(this.input.config, decl) ?? decl.range,
      ),
      subject: address,
    });
  }
}

/**
 * Where the resource's `lifecycle` block is. The loader keeps meta-arguments out of ResourceDecl.body,
 * so the file is parsed again; this runs only when reporting an error.
 */
function lifecycleRange(config: Config, decl: ResourceDecl): Range | undefined {
  const source = config.sources.get(decl.range.file);
  if (source === undefined) return undefined;
  const resource = blocks(parseHcl(source, decl.range.file).file.body, 'resource').find(
    (b) => b.labels[0] === decl.type && b.labels[1] === decl.name,
  );
  return resource && blocks(resource.body, 'lifecycle')[0]?.range;
}

/** Where an attribute (`name = ...`) or its block (`name { ... }`) is written in a resource body. */
function attributeRange(body: Body, name: string): Range | undefined {
  return attributes(body).find((a) => a.name === name)?.nameRange ?? blocks(body, name)[0]?.typeRange;
}

function unknownTypes(input: PlanInput): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const decl of input.config.resources.values()) {
    if (input.registry.get(decl.type)) continue;
    const suggestion = didYouMean(decl.type, input.registry.types());
    diagnostics.push(
      error(
        `Unknown resource type "${decl.type}"`,
        (suggestion ? `Did you mean "${suggestion}"? ` : '') +
          `Known types: ${input.registry.types().join(', ')}. Plugins are loaded from ./plugins and phoenix { plugins = [...] }.`,
        decl.typeRange,
      ),
    );
  }
  return diagnostics;
}

function unmatchedReplaceTargets(replace: readonly string[], addresses: readonly string[]): Diagnostic[] {
  return replace
    .filter((target) => !addresses.some((a) => addressMatches(target, a)))
    .map((target) =>
      warning('Replace target not found', `-replace=${target} matches no resource instance in the configuration or state; nothing is replaced for it.`),
    );
}

function emptyPlan(input: PlanInput, drift: ResourceDrift[]): Plan {
  return {
    format_version: PLAN_FORMAT_VERSION,
    phoenix_version: input.phoenixVersion ?? input.state.phoenix_version,
    created_at: new Date().toISOString(),
    mode: input.options.mode,
    prior_state: { lineage: input.state.lineage, serial: input.state.serial },
    config_hash: configHash(input.config),
    variables_hash: variablesHash(input.variables),
    changes: [],
    drift,
    outputs: [],
    summary: { add: 0, change: 0, destroy: 0, restart: 0 },
    warnings: [],
  };
}

/**
 * A plan run with -lock=false while another run holds the lock: the state's pending records are that
 * run's creates and deletes still going on. They are neither adopted nor dropped (the holder records
 * them when they finish); the plan shows the state as that run has recorded it so far, and says so.
 */
function pendingInProgress(state: StateFile, holder: LockInfo): ReconcileResult {
  if (state.pending.length === 0) return { state, abandonedCreates: new Set(), diagnostics: [] };
  const operations = state.pending.map((p) => `${p.action} ${p.address} (since ${p.started_at})`).join('\n  ');
  return {
    state,
    abandonedCreates: new Set(),
    diagnostics: [
      warning(
        'Operations in progress in another run',
        `The state is locked by a run that is still running (${holder.operation} by ${holder.who}, PID ${holder.pid}, lock ${holder.id}). ` +
          `These operations are in progress in that run, not interrupted:\n  ${operations}\n` +
          'This plan (-lock=false) shows the state as that run has recorded it so far; plan again when it has finished.',
      ),
    ],
  };
}
