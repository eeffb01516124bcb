/**
 * A plan is a plain, JSON-serialisable value (unknowns are encoded as {"$unknown": true}, see
 * config/values.ts). The planner produces it, renderers read it, apply executes it.
 */
import type { Attrs, Value } from '../config/values.js';
import type { GuestRestart } from '../resources/provider.js';

export const PLAN_FORMAT_VERSION = 1;

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

/** Why a change was planned the way it was, when it is not simply "config differs". */
export type ChangeReason =
  | 'not_in_config' // delete: the resource was removed from config
  | 'count_index' // delete: the count/for_each key no longer exists
  | 'replace_by_request' // -replace=ADDR
  | 'force_new' // an attribute forces replacement
  | 'replace_triggered_by' // lifecycle.replace_triggered_by: a referenced instance is replaced (see triggeredBy)
  | 'pending_create' // a crashed create is being reconciled
  | 'target'; // limited by -target

export interface ResourceChange {
  address: string;
  type: string;
  name: string;
  index?: number | string;
  /** The Proxmox node it concerns, if any. */
  node?: string;
  action: ChangeAction;
  /** For replace: the order (Terraform's -/+ vs +/-). */
  replaceOrder?: 'delete-before-create' | 'create-before-destroy';
  reason?: ChangeReason;
  /** For reason replace_triggered_by: what fired, e.g. `lxc.base` or `vm.k3s[0].vmid`. */
  triggeredBy?: string;
  /** Prior attributes (null for create). */
  before: Attrs | null;
  /** Planned attributes (null for delete); may contain unknowns. */
  after: Attrs | null;
  /** Attribute paths that differ between before and after. */
  changedPaths: string[][];
  /** Paths that force replacement (shown as "# forces replacement"). */
  replacePaths: string[][];
  /** Paths applied in place that need a guest restart (the plan says so). */
  restartPaths: string[][];
  /**
   * The guest apply restarts for this change (`restarts`), or that keeps changes pending until its next
   * start (`reboot_after_update = false`; also on a no-op when changes are already pending on the host).
   */
  restart?: GuestRestart;
  /** Paths whose values are sensitive (redacted by every renderer). */
  sensitivePaths: string[][];
  /** Instance addresses this change depends on (apply order); reversed for deletes. */
  dependencies: string[];
}

/** An out-of-band change found by refresh ("objects changed outside phoenix"). */
export interface ResourceDrift {
  address: string;
  type: string;
  /** 'update' when attributes changed, 'delete' when the object is gone from the host. */
  action: 'update' | 'delete';
  before: Attrs;
  after: Attrs | null;
  changedPaths: string[][];
  sensitivePaths: string[][];
}

export interface OutputChange {
  name: string;
  action: 'create' | 'update' | 'delete' | 'no-op';
  before: Value | null;
  after: Value | null;
  sensitive: boolean;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  /** Of `change`, how many need a guest restart. */
  restart: number;
}

export interface Plan {
  format_version: number;
  phoenix_version: string;
  created_at: string;
  /** `plan`, or `destroy` for a destroy plan. */
  mode: 'normal' | 'destroy';
  /** What the plan was computed against: apply refuses a stale plan. */
  prior_state: { lineage: string; serial: number };
  config_hash: string;
  variables_hash: string;
  /** Changes in deterministic order (by address). */
  changes: ResourceChange[];
  drift: ResourceDrift[];
  outputs: OutputChange[];
  summary: PlanSummary;
  /** Plan-level warnings (already rendered as text). */
  warnings: string[];
}
