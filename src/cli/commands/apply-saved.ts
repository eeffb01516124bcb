/**
 * `phoenix apply PLANFILE`: apply exactly the actions of a saved plan, without asking again (the plan
 * was the review). Refused, with what changed, when the state, the configuration or the variable
 * values differ from what the plan was computed against.
 */
import { DiagnosticError } from '../../config/diagnostics.js';
import { configHash, variablesHash } from '../../plan/hash.js';
import { planStaleness, type PlanFile } from '../../plan/planfile.js';
import type { EventWriter } from '../../render/events.js';
import type { CommandContext } from '../command.js';
import { guardInterrupts } from '../interrupt.js';
import { jsonContext, readPlanFile, reportingDiagnostics } from '../plan-output.js';
import { withStateSession, type StateSession } from '../session.js';
import type { Workdir } from '../workdir.js';
import { executePlan } from './apply-run.js';
import { openWorkdir } from './planning.js';

export async function applySavedPlan(ctx: CommandContext, path: string): Promise<number> {
  if (!ctx.args.flags.bool('json')) return applyFile(ctx, path, undefined);
  const json = jsonContext(ctx);
  return reportingDiagnostics(json.events, () => applyFile(json.ctx, path, json.events));
}

async function applyFile(ctx: CommandContext, path: string, events: EventWriter | undefined): Promise<number> {
  const file = readPlanFile(ctx, path);
  const workdir = await openWorkdir(ctx);
  const interrupts = guardInterrupts(ctx.ui);
  try {
    const operation = file.plan.mode === 'destroy' ? 'destroy' : 'apply';
    return await withStateSession(ctx, workdir.config, { operation, lock: true }, async (session) => {
      refuseIfStale(file, workdir, session);
      return executePlan(ctx, { workdir, session, plan: file.plan, priorState: file.prior_state, interrupts, events });
    });
  } finally {
    interrupts.dispose();
    await workdir.close();
  }
}

function refuseIfStale(file: PlanFile, workdir: Workdir, session: StateSession): void {
  // With no state written yet, the plan's own empty state (and its lineage) is the starting point.
  const state = session.exists ? session.state : { lineage: file.plan.prior_state.lineage, serial: 0 };
  const stale = planStaleness(file.plan, {
    state: { lineage: state.lineage, serial: state.serial },
    configHash: configHash(workdir.config),
    variablesHash: variablesHash(workdir.variables),
  });
  if (stale.length > 0) throw new DiagnosticError(stale);
}
