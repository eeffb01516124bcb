/**
 * Inputs and outputs of the engine (planner, apply, import, checks). The CLI assembles these from the
 * working directory; the engine itself does no I/O beyond calling providers and `persist`.
 */
import type { Config } from '../config/model.js';
import type { Diagnostic } from '../config/diagnostics.js';
import type { Value } from '../config/values.js';
import type { NodeHandle } from '../resources/provider.js';
import type { ProviderRegistry } from '../resources/registry.js';
import type { LockInfo } from '../state/backend.js';
import type { StateFile } from '../state/model.js';
import type { ChangeAction, Plan } from './model.js';
import type { SensitiveTexts } from './redaction.js';

export interface EngineInput {
  config: Config;
  variables: Record<string, Value>;
  registry: ProviderRegistry;
  nodes: ReadonlyMap<string, NodeHandle>;
  /** Absolute working directory (path.root for expressions, base of relative file paths). */
  workingDir: string;
  /** Injected file reader for file()/templatefile() and feature scripts. */
  readFile(path: string): string;
  /** The running phoenix version, stamped on plans and on the state apply writes. Default: the prior state's. */
  phoenixVersion?: string;
  /**
   * Where the engine registers the text of every sensitive value it sees, to redact it from host errors,
   * progress and health output (redaction.ts). The CLI passes its own to redact what it prints too.
   */
  sensitive?: SensitiveTexts;
}

export interface PlanOptions {
  mode: 'normal' | 'destroy';
  refresh: boolean;
  targets: string[];
  replace: string[];
  parallelism: number;
}

export interface PlanInput extends EngineInput {
  state: StateFile;
  options: PlanOptions;
  /**
   * The lock of a run still running (this plan runs with -lock=false): the state's pending records are
   * that run's operations in progress, so they are reported as such and left alone, not reconciled as
   * interrupted.
   */
  pendingRunning?: LockInfo;
}

export type ApplyEvent =
  | { type: 'apply_start'; address: string; action: ChangeAction }
  | { type: 'apply_progress'; address: string; action: ChangeAction; elapsedMs: number; message?: string }
  | { type: 'apply_complete'; address: string; action: ChangeAction; elapsedMs: number; id?: string }
  | { type: 'apply_errored'; address: string; action: ChangeAction; elapsedMs: number; error: string }
  | { type: 'skipped'; address: string; action: ChangeAction; because: string }
  | { type: 'health_check'; address: string; name: string; ok: boolean; attempts: number; output: string };

export interface ApplyInput extends EngineInput {
  plan: Plan;
  state: StateFile;
  parallelism: number;
  /** Persist state: called before each create/delete starts (pending record) and after each completes. */
  persist(state: StateFile): Promise<void>;
  /** Aborted on the first SIGINT: start nothing new, let running operations finish. */
  stop: AbortSignal;
  onEvent(event: ApplyEvent): void;
  /** Time source and progress ticker; tests inject a fake one. Default: Date.now and setInterval. */
  clock?: ApplyClock;
}

export interface ApplyClock {
  now(): number;
  /** Call `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

/** `phoenix import ADDR ID`. */
export interface ImportInput extends EngineInput {
  state: StateFile;
  address: string;
  id: string;
}

export interface ResourceResult {
  address: string;
  action: ChangeAction;
  status: 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  error?: Diagnostic;
  skippedBecause?: string;
}

export interface ApplyOutput {
  state: StateFile;
  results: ResourceResult[];
  diagnostics: Diagnostic[];
}
