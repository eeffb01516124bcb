/**
 * The machine-readable plan (`phoenix show -json FILE`, `phoenix plan -json` ends with it in spirit):
 * Terraform's jsonplan shape where it has one (resource_changes[].change.actions arrays, before/after,
 * after_unknown, *_sensitive mirrors, resource_drift, output_changes) so existing tooling reads it.
 * Published as schemas/plan.schema.json and documented in docs/plan-json.md.
 *
 * Sensitive values are never printed: they become null and are marked true in before_sensitive /
 * after_sensitive. Unknown values become null and are marked true in after_unknown.
 */
import { isUnknown, type Attrs, type Value } from '../config/values.js';
import { parseAddress } from '../plan/address.js';
import type { ChangeReason, OutputChange, Plan, ResourceChange, ResourceDrift } from '../plan/model.js';
import { isSensitivePath, mapMarked, mirrorMarks } from './value-marks.js';

/** Bumped in the minor for additive changes, in the major when a consumer could break. */
export const JSON_PLAN_FORMAT_VERSION = '1.0';

export type JsonAction = 'create' | 'update' | 'delete' | 'no-op';

export interface JsonChange {
  actions: JsonAction[];
  before: Value | null;
  after: Value | null;
  after_unknown: unknown;
  before_sensitive: unknown;
  after_sensitive: unknown;
  replace_paths: string[][];
  restart_paths: string[][];
  /** The guest apply restarts (`restarts: true`) or leaves with changes pending, and the attributes why. */
  restart?: { guest: string; attributes: string[]; restarts: boolean };
}

export interface JsonResourceChange {
  address: string;
  mode: 'managed';
  type: string;
  name: string;
  index?: number | string;
  node?: string;
  action_reason?: string;
  depends_on: string[];
  change: JsonChange;
}

export interface JsonPlan {
  format_version: string;
  phoenix_version: string;
  created_at: string;
  mode: 'normal' | 'destroy';
  prior_state: { lineage: string; serial: number };
  config_hash: string;
  variables_hash: string;
  resource_changes: JsonResourceChange[];
  resource_drift: JsonResourceChange[];
  output_changes: Record<string, Omit<JsonChange, 'replace_paths' | 'restart_paths' | 'restart'>>;
  summary: { add: number; change: number; destroy: number; restart: number; no_op: number };
  warnings: string[];
}

export function planAsJson(plan: Plan): JsonPlan {
  return {
    format_version: JSON_PLAN_FORMAT_VERSION,
    phoenix_version: plan.phoenix_version,
    created_at: plan.created_at,
    mode: plan.mode,
    prior_state: { lineage: plan.prior_state.lineage, serial: plan.prior_state.serial },
    config_hash: plan.config_hash,
    variables_hash: plan.variables_hash,
    resource_changes: plan.changes.map(resourceChangeJson),
    resource_drift: plan.drift.map(driftJson),
    output_changes: Object.fromEntries(plan.outputs.map((o) => [o.name, outputChangeJson(o)])),
    summary: { ...plan.summary, no_op: plan.changes.filter((c) => c.action === 'no-op').length },
    warnings: [...plan.warnings],
  };
}

/** The document `show -json` prints: two-space indentation, trailing newline. */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(planAsJson(plan), null, 2)}\n`;
}

/** Terraform's action lists: a replacement is a delete and a create, in the order they happen. */
export function jsonActions(change: Pick<ResourceChange, 'action' | 'replaceOrder'>): JsonAction[] {
  if (change.action === 'replace') return change.replaceOrder === 'create-before-destroy' ? ['create', 'delete'] : ['delete', 'create'];
  return [change.action];
}

function resourceChangeJson(change: ResourceChange): JsonResourceChange {
  const reason = actionReason(change);
  return {
    address: change.address,
    mode: 'managed',
    type: change.type,
    name: change.name,
    ...(change.index !== undefined ? { index: change.index } : {}),
    ...(change.node !== undefined ? { node: change.node } : {}),
    ...(reason ? { action_reason: reason } : {}),
    depends_on: [...change.dependencies],
    change: {
      actions: jsonActions(change),
      ...valuePair(change.before, change.after, change.sensitivePaths),
      replace_paths: change.replacePaths,
      restart_paths: change.restartPaths,
      ...(change.restart ? { restart: { ...change.restart, attributes: [...change.restart.attributes] } } : {}),
    },
  };
}

function driftJson(drift: ResourceDrift): JsonResourceChange {
  const parsed = parseAddress(drift.address);
  return {
    address: drift.address,
    mode: 'managed',
    type: drift.type,
    name: parsed?.name ?? drift.address,
    ...(parsed?.index !== undefined ? { index: parsed.index } : {}),
    depends_on: [],
    change: {
      actions: [drift.action],
      ...valuePair(drift.before, drift.after, drift.sensitivePaths),
      replace_paths: [],
      restart_paths: [],
    },
  };
}

function outputChangeJson(output: OutputChange): Omit<JsonChange, 'replace_paths' | 'restart_paths' | 'restart'> {
  // A sensitive output is sensitive as a whole: the empty path covers every member.
  return { actions: [output.action], ...valuePair(output.before, output.after, output.sensitive ? [[]] : []) };
}

function valuePair(before: Attrs | Value | null, after: Attrs | Value | null, sensitivePaths: string[][]) {
  const redact = (value: Value | null): Value | null => (value === null ? null : mapMarked(value, sensitivePaths, () => null));
  const sensitive = (value: Value | null): unknown =>
    value === null ? false : mirrorMarks(value, (_v, path) => isSensitivePath(sensitivePaths, path));
  return {
    before: redact(before),
    after: redact(after),
    after_unknown: after === null ? false : mirrorMarks(after, (v) => isUnknown(v)),
    before_sensitive: sensitive(before),
    after_sensitive: sensitive(after),
  };
}

const ACTION_REASONS: Record<ChangeReason, string> = {
  not_in_config: 'delete_because_no_resource_config',
  count_index: 'delete_because_count_index',
  replace_by_request: 'replace_by_request',
  force_new: 'replace_because_cannot_update',
  replace_triggered_by: 'replace_by_triggers',
  pending_create: 'create_because_pending',
  target: 'limited_by_target',
};

function actionReason(change: ResourceChange): string | undefined {
  if (!change.reason) return undefined;
  // Terraform tells a vanished count index from a vanished for_each key.
  if (change.reason === 'count_index' && typeof change.index === 'string') return 'delete_because_each_key';
  return ACTION_REASONS[change.reason];
}
