/**
 * Saved plan files (`phoenix plan -out=FILE`, `phoenix apply FILE`, `phoenix show FILE`): the full plan
 * plus the refreshed state it was computed against, as one JSON document. Pure encode/decode and the
 * staleness check; the CLI reads and writes the file.
 *
 * The plan records what it was computed from (state lineage + serial, config and variables hashes);
 * apply refuses the file when any of them no longer matches, naming what changed.
 */
import { DiagnosticError, error, type Diagnostic } from '../config/diagnostics.js';
import { reviveUnknowns, type Attrs, type Value } from '../config/values.js';
import type { StateFile } from '../state/model.js';
import { PLAN_FORMAT_VERSION, type Plan } from './model.js';

/** Identifies the file kind, so a state file or a JSON plan passed by mistake is named as such. */
export const PLAN_FILE_KIND = 'phoenix-saved-plan';
export const PLAN_FILE_VERSION = 1;

export interface PlanFile {
  kind: typeof PLAN_FILE_KIND;
  file_version: number;
  plan: Plan;
  /** The state after refresh that the plan's changes start from (apply continues from it). */
  prior_state: StateFile;
}

/** What the working directory looks like now, to compare with what the plan was made against. */
export interface CurrentSources {
  state: { lineage: string; serial: number };
  configHash: string;
  variablesHash: string;
}

export function encodePlanFile(plan: Plan, priorState: StateFile): string {
  const file: PlanFile = { kind: PLAN_FILE_KIND, file_version: PLAN_FILE_VERSION, plan, prior_state: priorState };
  // Unknown values serialise themselves as {"$unknown": true} (config/values.ts).
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses a saved plan; every problem is a DiagnosticError naming the file. */
export function decodePlanFile(text: string, path: string): PlanFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(path, 'it is not a saved plan (not JSON). Create one with "phoenix plan -out=FILE".');
  }
  if (!isRecord(parsed) || parsed.kind !== PLAN_FILE_KIND) {
    const looksLikeState = isRecord(parsed) && 'lineage' in parsed && 'resources' in parsed;
    throw invalid(
      path,
      looksLikeState
        ? 'it is a state file, not a saved plan. Create a plan file with "phoenix plan -out=FILE".'
        : 'it is not a saved plan. Create one with "phoenix plan -out=FILE".',
    );
  }
  if (parsed.file_version !== PLAN_FILE_VERSION || !isRecord(parsed.plan) || parsed.plan.format_version !== PLAN_FORMAT_VERSION) {
    throw invalid(path, `it was written by an incompatible phoenix version (plan file version ${String(parsed.file_version)}). Plan again with this version.`);
  }
  if (!isRecord(parsed.prior_state) || !Array.isArray(parsed.plan.changes)) throw invalid(path, 'the file is incomplete.');
  return { kind: PLAN_FILE_KIND, file_version: PLAN_FILE_VERSION, plan: revivePlan(parsed.plan as unknown as Plan), prior_state: parsed.prior_state as unknown as StateFile };
}

/**
 * Why the saved plan no longer describes what apply would do, one error per reason; empty when it is
 * current. The state check comes first: a newer state makes every planned change suspect.
 */
export function planStaleness(plan: Plan, current: CurrentSources): Diagnostic[] {
  const reasons: string[] = [];
  const prior = plan.prior_state;
  if (prior.lineage !== current.state.lineage) {
    reasons.push(`the state is a different one than the plan was made for: lineage ${prior.lineage} → ${current.state.lineage}`);
  } else if (prior.serial !== current.state.serial) {
    reasons.push(`the state changed since the plan was made: serial ${prior.serial} → ${current.state.serial}`);
  }
  if (plan.config_hash !== current.configHash) reasons.push('the configuration changed since the plan was made');
  if (plan.variables_hash !== current.variablesHash) {
    reasons.push('the variable values changed since the plan was made (pass the same -var, -var-file and PHOENIX_VAR_ values as to plan)');
  }
  return reasons.map((reason) =>
    error('Saved plan is stale', `Cannot apply this plan: ${reason}. Run "phoenix plan -out=FILE" again and review the new plan.`),
  );
}

function revivePlan(plan: Plan): Plan {
  const attrs = (a: Attrs | null): Attrs | null => (a === null ? null : (reviveUnknowns(a) as Attrs));
  return {
    ...plan,
    changes: plan.changes.map((c) => ({ ...c, before: attrs(c.before), after: attrs(c.after) })),
    drift: plan.drift.map((d) => ({ ...d, after: attrs(d.after) })),
    outputs: plan.outputs.map((o) => ({ ...o, after: o.after === null ? null : reviveUnknowns(o.after as Value) })),
  };
}

function invalid(path: string, why: string): DiagnosticError {
  return new DiagnosticError([error('Invalid plan file', `Cannot read ${path}: ${why}`)]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
