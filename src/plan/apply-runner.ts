/**
 * Runs one apply task against its provider: pending record + persist before a create/delete, the
 * provider call with progress events, then the state record + persist after it. Throws (with a
 * Diagnostic attached) on failure; the walker then skips the task's dependents.
 */
import { randomUUID } from 'node:crypto';
import { DiagnosticError, error, type Diagnostic } from '../config/diagnostics.js';
import type { Attrs } from '../config/values.js';
import type { KeyGate } from '../graph/key-gate.js';
import type { ResourceProvider } from '../resources/provider.js';
import { CreateRefused, NotOwned } from '../resources/provider.js';
import type { PendingOperation, ResourceState } from '../state/model.js';
import { parseAddress } from './address.js';
import { finalAttributes } from './apply-config.js';
import type { ApplyTask, Phase } from './apply-tasks.js';
import type { ApplyClock, ApplyEvent, ApplyInput } from './engine-types.js';
import type { EvalContext } from './eval-context.js';
import type { ResourceInstance } from './expand.js';
import { errorText, providerContext } from './provider-context.js';
import type { StateRecorder } from './state-recorder.js';
import { isConnectionFailure } from '../exec/connection-failure.js';
import { newOwnerToken, splitOwner, withOwner } from './ownership.js';
import { readInBatches } from './read-batch.js';
import { describeObject } from './reconcile.js';

export const PROGRESS_INTERVAL_MS = 10_000;

/** A task failure carrying the diagnostics to report. */
export class TaskFailure extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.summary).join('; '));
  }
}

export interface TaskRunnerDeps {
  input: ApplyInput;
  clock: ApplyClock;
  recorder: StateRecorder;
  context: EvalContext;
  instances: ReadonlyMap<string, ResourceInstance>;
  /** Addresses removed by this apply (plain deletes): dropped from recorded dependencies. */
  removed: ReadonlySet<string>;
  /** Keys providers take for one step of an operation (ProviderContext.hold). */
  keyGate: KeyGate;
}

export class TaskRunner {
  /** Prior objects of create-before-destroy replacements, kept for their delete after the new one is recorded. */
  private readonly replacedObjects = new Map<string, ResourceState>();
  /** Attributes of objects created or updated successfully, for health checks. */
  readonly touched = new Map<string, { type: string; attrs: Attrs }>();

  constructor(private readonly deps: TaskRunnerDeps) {}

  private readonly hold = <T>(keys: readonly string[], work: () => Promise<T>): Promise<T> => this.deps.keyGate.hold(keys, work);

  async run(task: ApplyTask): Promise<void> {
    const { change, phase } = task;
    const { input, clock } = this.deps;
    const provider = input.registry.get(change.type);
    if (!provider) throw new TaskFailure([{ ...error(`Unknown resource type "${change.type}"`), subject: change.address }]);

    const started = clock.now();
    const { sensitive } = this.deps.context;
    const emit = (event: ApplyEvent): void => input.onEvent(event);
    emit({ type: 'apply_start', address: change.address, action: phase });
    const stopTicker = clock.every(PROGRESS_INTERVAL_MS, () =>
      emit({ type: 'apply_progress', address: change.address, action: phase, elapsedMs: clock.now() - started }),
    );
    try {
      const id = await this.runPhase(task, provider, (message) =>
        emit({ type: 'apply_progress', address: change.address, action: phase, elapsedMs: clock.now() - started, message }),
      );
      emit({ type: 'apply_complete', address: change.address, action: phase, elapsedMs: clock.now() - started, ...(id ? { id } : {}) });
    } catch (e) {
      // Whatever a provider threw may quote a value; the report never carries a sensitive one's text.
      const failure = new TaskFailure((e instanceof TaskFailure ? e.diagnostics : this.operationErrors(task, e)).map((d) => sensitive.redactDiagnostic(d)));
      emit({
        type: 'apply_errored',
        address: change.address,
        action: phase,
        elapsedMs: clock.now() - started,
        error: failure.diagnostics.map((d) => [d.summary, d.detail].filter(Boolean).join(': ')).join('\n'),
      });
      throw failure;
    } finally {
      stopTicker();
    }
  }

  private async runPhase(task: ApplyTask, provider: ResourceProvider, progress: (m: string) => void): Promise<string | undefined> {
    switch (task.phase) {
      case 'create':
        return this.create(task, provider, progress);
      case 'update':
        return this.update(task, provider, progress);
      case 'delete':
        await this.delete(task, provider, progress);
        return undefined;
    }
  }

  private async create(task: ApplyTask, provider: ResourceProvider, progress: (m: string) => void): Promise<string | undefined> {
    const { change } = task;
    const { recorder } = this.deps;
    const planned = this.finalConfig(task, provider, true);
    // The proof token the create writes onto the object: only an object carrying it is ever adopted.
    const token = newOwnerToken(provider);
    const pending = this.pending(task, 'create', provider.identity(planned), planned, token);
    recorder.addPending(pending);
    await recorder.persist();

    let created: Attrs;
    try {
      created = await provider.create(this.ctx(planned, progress), withOwner(planned, token));
    } catch (e) {
      // The object may exist anyway (a clone made, then its start failed): then the record stays and the
      // next plan adopts it, proof in hand. A create the host refused, or that never reached it, leaves none.
      if (e instanceof CreateRefused || (await this.createLeftNothing(provider, planned, token, e))) {
        recorder.removePending(pending.id);
        await recorder.persist();
      }
      throw e;
    }
    const previous = recorder.resource(change.address);
    if (previous && change.replaceOrder === 'create-before-destroy') this.replacedObjects.set(change.address, previous);
    const { attrs, owner } = splitOwner(created);
    this.record(change.address, change.type, attrs, task, owner ?? undefined);
    recorder.removePending(pending.id);
    await recorder.persist();
    return typeof attrs.id === 'string' ? attrs.id : undefined;
  }

  /**
   * After a failed create: is there no object of ours at its identity? True when the node shows none, or
   * one without this create's proof (the "CT 105 already exists" of someone else), or when the command
   * never reached the node. False when ours exists or the node cannot be read (then the pending record
   * stays: the next plan reads again and adopts only with proof).
   */
  private async createLeftNothing(provider: ResourceProvider, planned: Attrs, token: string | undefined, failure: unknown): Promise<boolean> {
    const found = await this.readOne(provider, planned);
    if (found === 'unreadable') return isConnectionFailure(errorText(failure));
    if (found === null) return true;
    return token !== undefined && found.owner !== token;
  }

  /** Reads one object back from its node: null when absent, 'unreadable' when the read failed. */
  private async readOne(provider: ResourceProvider, prior: Attrs): Promise<{ owner: string | null | undefined } | null | 'unreadable'> {
    const { registry, nodes } = this.deps.input;
    try {
      const { results, owners } = await readInBatches([{ address: '', type: provider.type, prior }], { registry, nodes, parallelism: 1 });
      if (results[0] === undefined) return 'unreadable';
      return results[0] === null ? null : { owner: owners[0] };
    } catch {
      return 'unreadable';
    }
  }

  private async update(task: ApplyTask, provider: ResourceProvider, progress: (m: string) => void): Promise<string | undefined> {
    const { change } = task;
    const current = this.deps.recorder.resource(change.address);
    const prior = current?.attributes ?? change.before ?? {};
    const planned = this.finalConfig(task, provider, false);
    // The plan decided whether the guest restarts: apply does what the operator approved.
    const diff = { changed: change.changedPaths, replacePaths: [], restartPaths: change.restartPaths, ...(change.restart ? { restart: change.restart } : {}) };
    // The proof token rides along so writes that carry it (a guest's description) keep it.
    const owner = current?.owner;
    const updated = await provider.update(this.ctx(planned, progress), withOwner(prior, owner), withOwner(planned, owner), diff);
    const result = splitOwner(updated);
    this.record(change.address, change.type, result.attrs, task, result.owner ?? owner);
    await this.deps.recorder.persist();
    return typeof result.attrs.id === 'string' ? result.attrs.id : undefined;
  }

  /**
   * Gone means gone: the object leaves state only when a read of its node shows it absent (or holding
   * an object that is not the one phoenix created). Any other outcome keeps it and fails the delete.
   */
  private async delete(task: ApplyTask, provider: ResourceProvider, progress: (m: string) => void): Promise<void> {
    const { change } = task;
    const { recorder } = this.deps;
    const replacedOld = this.replacedObjects.get(change.address);
    const recorded = replacedOld ?? recorder.resource(change.address);
    const prior = recorded?.attributes ?? change.before ?? {};
    const pending = this.pending(task, 'delete', provider.identity(prior), prior);
    recorder.addPending(pending);
    await recorder.persist();
    let failure: unknown;
    try {
      await provider.delete(this.ctx(prior, progress), withOwner(prior, recorded?.owner));
    } catch (e) {
      failure = e;
    }
    const found = await this.readOne(provider, prior);
    // The object there now is not the one phoenix created (or the provider found it replaced): ours is gone.
    const replaced = failure instanceof NotOwned || (found !== null && found !== 'unreadable' && recorded?.owner !== undefined && found.owner !== undefined && found.owner !== recorded.owner);
    const gone = found === null || replaced;
    if (!gone) {
      recorder.removePending(pending.id);
      await recorder.persist();
      failure ??= new TaskFailure([
        {
          ...error(
            `Error deleting ${change.address}`,
            found === 'unreadable'
              ? `The node could not be read after the delete, so phoenix cannot tell whether ${describeObject({ type: change.type, identity: provider.identity(prior) })} is gone; it stays in state.`
              : `${describeObject({ type: change.type, identity: provider.identity(prior) })} still exists after the delete; it stays in state.`,
          ),
          subject: change.address,
        },
      ]);
      if (!replacedOld) throw failure;
      // The new object is recorded; the old one is no longer tracked anywhere, so name it.
      throw new TaskFailure([
        {
          ...error(
            `Error deleting the replaced object of ${change.address}`,
            `${errorText(failure)}\nThe replacement was created and is recorded in state; the old object ` +
              `${JSON.stringify(provider.identity(prior))} still exists and must be removed by hand.`,
          ),
          subject: change.address,
        },
      ]);
    }
    // A create-before-destroy delete removes the old object; the slot already holds the new one.
    if (replacedOld) this.replacedObjects.delete(change.address);
    else {
      recorder.removeResource(change.address);
      const parsed = parseAddress(change.address);
      if (parsed && change.action === 'delete') this.deps.context.values.delete(parsed.resource, parsed.index);
    }
    recorder.removePending(pending.id);
    await recorder.persist();
    // Left alone and no longer recorded: the operator must hear why nothing was deleted.
    if (failure instanceof NotOwned) throw new TaskFailure(failure.diagnostics.map((d) => ({ ...d, subject: d.subject ?? change.address })));
  }

  private finalConfig(task: ApplyTask, provider: ResourceProvider, newObject: boolean): Attrs {
    const result = finalAttributes(task.change, this.deps.instances.get(task.change.address), provider, this.deps.context, newObject);
    if ('diagnostics' in result) throw new TaskFailure(result.diagnostics);
    this.deps.context.sensitive.addPaths(result.attrs, task.change.sensitivePaths);
    return result.attrs;
  }

  private record(address: string, type: string, attrs: Attrs, task: ApplyTask, owner: string | undefined): void {
    const { input, recorder, context, instances, removed } = this.deps;
    const parsed = parseAddress(address);
    const instance = instances.get(address);
    const resource: ResourceState = {
      address,
      type,
      name: parsed?.name ?? address,
      ...(parsed?.index !== undefined ? { index: parsed.index } : {}),
      provider: input.registry.sourceOf(type) ?? 'builtin',
      attributes: attrs,
      sensitive_attributes: task.change.sensitivePaths,
      dependencies: task.change.dependencies.filter((d) => !removed.has(d)),
      ...(instance?.decl.lifecycle.createBeforeDestroy ? { create_before_destroy: true } : {}),
      ...(owner !== undefined ? { owner } : {}),
    };
    recorder.putResource(resource);
    if (parsed) context.values.set(parsed.resource, parsed.index, attrs, task.change.sensitivePaths);
    this.touched.set(address, { type, attrs });
  }

  private pending(task: ApplyTask, action: 'create' | 'delete', identity: Attrs, planned?: Attrs, owner?: string): PendingOperation {
    return {
      id: randomUUID(),
      address: task.change.address,
      type: task.change.type,
      action,
      identity,
      ...(planned ? { planned } : {}),
      ...(owner !== undefined ? { owner } : {}),
      dependencies: task.change.dependencies,
      started_at: new Date(this.deps.clock.now()).toISOString(),
    };
  }

  private ctx(attrs: Attrs, progress: (m: string) => void) {
    // Running operations are never aborted by a stop request: they finish and are recorded.
    return { ...providerContext(attrs, this.deps.input.nodes, { progress, sensitive: this.deps.context.sensitive }), hold: this.hold };
  }

  /** The provider's own diagnostics when it threw a DiagnosticError, else one naming the operation. */
  private operationErrors(task: ApplyTask, e: unknown): Diagnostic[] {
    const range = this.deps.instances.get(task.change.address)?.decl.range;
    const subject = task.change.address;
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => ({ ...d, subject: d.subject ?? subject, range: d.range ?? range }));
    const verb: Record<Phase, string> = { create: 'creating', update: 'updating', delete: 'deleting' };
    return [{ ...error(`Error ${verb[task.phase]} ${subject}`, errorText(e), range), subject }];
  }
}
