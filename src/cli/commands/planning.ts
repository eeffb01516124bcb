/** Steps shared by plan, apply and destroy: loading the working directory and computing a plan. */
import { hasErrors } from '../../config/diagnostics.js';
import type { PlanOptions } from '../../plan/engine-types.js';
import type { Plan } from '../../plan/model.js';
import { createPlan } from '../../plan/planner.js';
import type { LockInfo } from '../../state/backend.js';
import type { StateFile } from '../../state/model.js';
import type { CommandContext } from '../command.js';
import { COLOR_FLAGS, PLANNING_FLAGS, STATE_FLAGS, VARIABLE_FLAGS } from '../flags.js';
import { SourcedDiagnosticError } from '../errors.js';
import { loadWorkdir, type Workdir } from '../workdir.js';

export const PLAN_FLAGS = [...COLOR_FLAGS, ...VARIABLE_FLAGS, ...STATE_FLAGS, ...PLANNING_FLAGS];

export function openWorkdir(ctx: CommandContext): Promise<Workdir> {
  return loadWorkdir(
    ctx.cwd,
    { cliVars: ctx.args.flags.list('var'), varFiles: ctx.args.flags.list('var-file'), env: ctx.env },
    ctx.ui,
  );
}

export async function computePlan(
  ctx: CommandContext,
  workdir: Workdir,
  state: StateFile,
  options: PlanOptions,
  pendingRunning?: LockInfo,
): Promise<{ plan: Plan; refreshed: StateFile }> {
  const result = await createPlan({ ...workdir.engineInput(), state, options, ...(pendingRunning ? { pendingRunning } : {}) });
  if (hasErrors(result.diagnostics)) throw new SourcedDiagnosticError(result.diagnostics, workdir.sources);
  // Plan-level warnings (e.g. -target) are printed with the rendered plan; do not print them twice.
  const shownWithPlan = new Set(result.plan.warnings);
  ctx.ui.diagnostics(result.diagnostics.filter((d) => !(d.severity === 'warning' && shownWithPlan.has(d.summary))), workdir.sources);
  return { plan: result.plan, refreshed: result.refreshed };
}

/** Plan options from the planning flags (PLANNING_FLAGS). */
export function planOptionsFromFlags(ctx: CommandContext, mode: 'normal' | 'destroy'): PlanOptions {
  const { flags } = ctx.args;
  return {
    mode,
    refresh: flags.bool('refresh'),
    targets: flags.list('target'),
    replace: flags.list('replace'),
    parallelism: flags.int('parallelism'),
  };
}

/** Whether applying the plan would change anything (resources or outputs). */
export function planHasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'no-op') || plan.outputs.some((o) => o.action !== 'no-op');
}

export function resourceChangeCount(plan: Plan): number {
  return plan.changes.filter((c) => c.action !== 'no-op').length;
}
