/**
 * The `-json` event stream of `plan` and `apply`: one JSON object per line, in Terraform's machine-
 * readable UI shape (`@level`, `@message`, `@module`, `@timestamp`, `type`, payload) so tools written
 * for `terraform -json` parse it. Types: version, planned_change, resource_drift, change_summary,
 * apply_start, apply_progress, apply_complete, apply_errored, apply_skipped, health_check, outputs,
 * diagnostic. Documented in docs/plan-json.md.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { parseAddress } from '../plan/address.js';
import type { ApplyEvent } from '../plan/engine-types.js';
import type { Plan, PlanSummary, ResourceChange, ResourceDrift } from '../plan/model.js';
import type { OutputState } from '../state/model.js';
import { formatElapsed, renderApplyEvent } from './human.js';
import { jsonActions } from './json.js';

export const EVENT_UI_VERSION = '1.0';

export interface UiEvent {
  '@level': 'info' | 'warn' | 'error';
  '@message': string;
  '@module': 'phoenix.ui';
  '@timestamp': string;
  type: string;
  [payload: string]: unknown;
}

type Payload = { level?: UiEvent['@level']; message: string; type: string } & Record<string, unknown>;

/** Serialises events as lines, stamping each with the time it is written (`now` is injectable). */
export function createEventWriter(write: (line: string) => void, now: () => Date = () => new Date()) {
  const emit = ({ level = 'info', message, type, ...payload }: Payload): void => {
    const event: UiEvent = { '@level': level, '@message': message, '@module': 'phoenix.ui', '@timestamp': now().toISOString(), type, ...payload };
    write(`${JSON.stringify(event)}\n`);
  };
  return {
    version: (phoenixVersion: string) => emit(versionPayload(phoenixVersion)),
    plan: (plan: Plan) => planPayloads(plan).forEach(emit),
    apply: (event: ApplyEvent) => emit(applyPayload(event)),
    summary: (summary: PlanSummary, operation: Operation) => emit(summaryPayload(summary, operation)),
    outputs: (outputs: Record<string, OutputState>) => emit(outputsPayload(outputs)),
    diagnostic: (diagnostic: Diagnostic) => emit(diagnosticPayload(diagnostic)),
  };
}

export type EventWriter = ReturnType<typeof createEventWriter>;
export type Operation = 'plan' | 'apply' | 'destroy';

function versionPayload(phoenixVersion: string): Payload {
  return { message: `phoenix ${phoenixVersion}`, type: 'version', phoenix: phoenixVersion, ui: EVENT_UI_VERSION };
}

/** Drift, one planned_change per real change, the plan's change_summary, then its warnings. */
function planPayloads(plan: Plan): Payload[] {
  return [
    ...plan.drift.map(driftPayload),
    ...plan.changes.filter((c) => c.action !== 'no-op').map(plannedChangePayload),
    summaryPayload(plan.summary, 'plan'),
    // Plan-level warnings (e.g. -target) are part of the plan text; here they are diagnostics.
    ...plan.warnings.map((w) => diagnosticPayload({ severity: 'warning', summary: w })),
  ];
}

function resourceRef(address: string, type: string, name: string, index?: number | string) {
  return { addr: address, resource_type: type, resource_name: name, ...(index !== undefined ? { resource_key: index } : {}) };
}

const PLAN_VERBS: Record<ResourceChange['action'], string> = {
  create: 'Plan to create',
  update: 'Plan to update',
  replace: 'Plan to replace',
  delete: 'Plan to delete',
  'no-op': 'No changes',
};

function plannedChangePayload(change: ResourceChange): Payload {
  return {
    message: `${change.address}: ${PLAN_VERBS[change.action]}`,
    type: 'planned_change',
    change: {
      resource: resourceRef(change.address, change.type, change.name, change.index),
      action: change.action,
      actions: jsonActions(change),
      ...(change.reason ? { reason: change.reason } : {}),
      ...(change.node ? { node: change.node } : {}),
    },
  };
}

function driftPayload(drift: ResourceDrift): Payload {
  const parsed = parseAddress(drift.address);
  return {
    message: `${drift.address}: Drift detected (${drift.action})`,
    type: 'resource_drift',
    change: { resource: resourceRef(drift.address, drift.type, parsed?.name ?? drift.address, parsed?.index), action: drift.action },
  };
}

function summaryPayload(summary: PlanSummary, operation: Operation): Payload {
  const counts = `${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy.`;
  const message = operation === 'plan' ? `Plan: ${counts}` : `${operation === 'destroy' ? 'Destroy' : 'Apply'} complete! Resources: ${summary.add} added, ${summary.change} changed, ${summary.destroy} destroyed.`;
  return { message, type: 'change_summary', changes: { ...summary, operation } };
}

const APPLY_TYPES: Record<ApplyEvent['type'], string> = {
  apply_start: 'apply_start',
  apply_progress: 'apply_progress',
  apply_complete: 'apply_complete',
  apply_errored: 'apply_errored',
  skipped: 'apply_skipped',
  health_check: 'health_check',
};

function applyPayload(event: ApplyEvent): Payload {
  // The human line is the message, without its continuation lines (an error's host stderr).
  const message = renderApplyEvent(event, { color: false }).split('\n')[0]!;
  const level = event.type === 'apply_errored' || (event.type === 'health_check' && !event.ok) ? 'error' : 'info';
  const hook: Record<string, unknown> = { resource: { addr: event.address } };
  if ('action' in event) hook.action = event.action;
  if ('elapsedMs' in event) {
    hook.elapsed_seconds = Math.floor(event.elapsedMs / 1000);
    hook.elapsed = formatElapsed(event.elapsedMs);
  }
  if (event.type === 'apply_progress' && event.message) hook.message = event.message;
  if (event.type === 'apply_complete' && event.id) Object.assign(hook, { id_key: 'id', id_value: event.id });
  if (event.type === 'apply_errored') hook.error = event.error;
  if (event.type === 'skipped') hook.because = event.because;
  if (event.type === 'health_check') Object.assign(hook, { name: event.name, ok: event.ok, attempts: event.attempts, output: event.output });
  return { level, message, type: APPLY_TYPES[event.type], hook };
}

function outputsPayload(outputs: Record<string, OutputState>): Payload {
  const entries = Object.keys(outputs)
    .sort()
    .map((name) => {
      const o = outputs[name]!;
      return [name, o.sensitive ? { sensitive: true } : { sensitive: false, value: o.value }] as const;
    });
  return { message: `Outputs: ${entries.length}`, type: 'outputs', outputs: Object.fromEntries(entries) };
}

function diagnosticPayload(d: Diagnostic): Payload {
  return {
    level: d.severity === 'error' ? 'error' : 'warn',
    message: `${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}`,
    type: 'diagnostic',
    diagnostic: {
      severity: d.severity,
      summary: d.summary,
      detail: d.detail ?? '',
      ...(d.subject ? { address: d.subject } : {}),
      ...(d.range ? { range: { filename: d.range.file, start: d.range.start, end: d.range.end } } : {}),
    },
  };
}
