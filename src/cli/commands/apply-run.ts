/**
 * The apply flow shared by `apply` and `destroy`: plan (with refresh) → render → approve → applyPlan with
 * live progress, state persisted after every step → summary and outputs. Exit 1 when anything failed
 * or the run was interrupted.
 */
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { applyPlan } from '../../plan/apply.js';
import type { ApplyOutput, ResourceResult } from '../../plan/engine-types.js';
import type { Plan, PlanSummary } from '../../plan/model.js';
import type { EventWriter } from '../../render/events.js';
import type { StateFile } from '../../state/model.js';
import { renderOutputValues, renderPlanHuman } from '../../render/human.js';
import type { Style } from '../../render/style.js';
import type { CommandContext } from '../command.js';
import { askForApproval } from '../confirm.js';
import { guardInterrupts, type InterruptGuard } from '../interrupt.js';
import { createLiveView } from '../live.js';
import { jsonContext, reportingDiagnostics } from '../plan-output.js';
import { withStateSession, type StateSession } from '../session.js';
import type { Workdir } from '../workdir.js';
import { computePlan, openWorkdir, planHasChanges, planOptionsFromFlags, resourceChangeCount } from './planning.js';

type Mode = 'normal' | 'destroy';

export async function runApply(ctx: CommandContext, mode: Mode): Promise<number> {
  if (!ctx.args.flags.bool('json')) return planAndApplyWith(ctx, mode, undefined);
  if (!ctx.args.flags.bool('auto-approve')) {
    throw new DiagnosticError([
      error('Plan approval required', `-json cannot ask for approval: add -auto-approve, or apply a saved plan with "phoenix ${mode === 'destroy' ? 'destroy' : 'apply'} -json PLANFILE".`),
    ]);
  }
  const json = jsonContext(ctx);
  return reportingDiagnostics(json.events, () => planAndApplyWith(json.ctx, mode, json.events));
}

async function planAndApplyWith(ctx: CommandContext, mode: Mode, events: EventWriter | undefined): Promise<number> {
  const workdir = await openWorkdir(ctx);
  const interrupts = guardInterrupts(ctx.ui);
  try {
    return await withStateSession(
      ctx,
      workdir.config,
      { operation: mode === 'destroy' ? 'destroy' : 'apply', lock: true },
      (session) => planAndApply(ctx, workdir, session, mode, interrupts, events),
    );
  } finally {
    interrupts.dispose();
    await workdir.close();
  }
}

async function planAndApply(
  ctx: CommandContext,
  workdir: Workdir,
  session: StateSession,
  mode: Mode,
  interrupts: InterruptGuard,
  events: EventWriter | undefined,
): Promise<number> {
  const { ui } = ctx;
  const { plan, refreshed } = await computePlan(ctx, workdir, session.state, planOptionsFromFlags(ctx, mode), session.activeLock);
  if (events) events.plan(plan);
  else ui.out(renderPlanHuman(plan, { color: ui.color, compact: ctx.args.flags.bool('compact') }));
  if (interrupts.interrupted) return 1;

  if (planHasChanges(plan) && !ctx.args.flags.bool('auto-approve')) {
    const approved = await askForApproval(ui, ...approvalQuestion(mode), interrupts.signal);
    if (!approved || interrupts.interrupted) {
      ui.err(`${mode === 'destroy' ? 'Destroy' : 'Apply'} cancelled.`);
      return 1;
    }
    ui.out('');
  }
  return executePlan(ctx, { workdir, session, plan, priorState: refreshed, interrupts, events });
}

export interface Execution {
  workdir: Workdir;
  session: StateSession;
  plan: Plan;
  /** The (refreshed) state the plan starts from. */
  priorState: StateFile;
  interrupts: InterruptGuard;
  /** With -json: events instead of the live view and text summary. */
  events?: EventWriter;
}

/** Apply an approved plan (computed now, or read from a saved plan file): progress, summary, outputs. */
export async function executePlan(ctx: CommandContext, run: Execution): Promise<number> {
  const { ui } = ctx;
  const { workdir, session, plan, interrupts, events } = run;
  const mode: Mode = plan.mode;
  const live = events ? { onEvent: events.apply, close: () => undefined } : createLiveView(ui, resourceChangeCount(plan));
  let output: ApplyOutput;
  try {
    output = await applyPlan({
      ...workdir.engineInput(),
      plan,
      state: run.priorState,
      parallelism: ctx.args.flags.int('parallelism'),
      persist: session.persist,
      stop: interrupts.signal,
      onEvent: live.onEvent,
    });
  } finally {
    live.close();
  }

  ui.diagnostics(output.diagnostics, workdir.sources);
  const failed = output.results.some((r) => r.status === 'failed' || r.status === 'cancelled') || interrupts.interrupted;
  const showOutputs = mode === 'normal' && Object.keys(output.state.outputs).length > 0;
  if (events) {
    events.summary(appliedCounts(output.results), mode === 'destroy' ? 'destroy' : 'apply');
    if (showOutputs) events.outputs(output.state.outputs);
  } else {
    ui.out('');
    ui.out(summaryLine(mode, output.results, failed, ui.style));
    if (showOutputs) ui.out(`\n${ui.style.bold(ui.style.create('Outputs:'))}\n\n${renderOutputValues(output.state.outputs)}`);
  }
  return failed ? 1 : 0;
}

function approvalQuestion(mode: Mode): [string, string[]] {
  if (mode === 'destroy') {
    return [
      'Do you really want to destroy all resources?',
      ['phoenix will destroy all your managed infrastructure, as shown above.', 'There is no undo. Only \'yes\' will be accepted to confirm.'],
    ];
  }
  return [
    'Do you want to perform these actions?',
    ['phoenix will perform the actions described above.', "Only 'yes' will be accepted to approve."],
  ];
}

/** Succeeded changes counted like the plan summary: a replacement is one added and one destroyed. */
function appliedCounts(results: ResourceResult[]): PlanSummary {
  const done = results.filter((r) => r.status === 'succeeded');
  const count = (actions: string[]): number => done.filter((r) => actions.includes(r.action)).length;
  return { add: count(['create', 'replace']), change: count(['update']), destroy: count(['delete', 'replace']), restart: 0 };
}

function summaryLine(mode: Mode, results: ResourceResult[], failed: boolean, style: Style): string {
  const { add, change, destroy } = appliedCounts(results);
  const counts = mode === 'destroy' ? `Resources: ${destroy} destroyed.` : `Resources: ${add} added, ${change} changed, ${destroy} destroyed.`;
  const verb = mode === 'destroy' ? 'Destroy' : 'Apply';
  if (!failed) return style.bold(style.create(`${verb} complete! ${counts}`));
  const problems = (['failed', 'skipped', 'cancelled'] as const)
    .map((status) => [status, results.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return style.bold(style.error(`${verb} failed. ${counts.replace(/\.$/, '')}; ${problems.join(', ') || 'interrupted'}.`));
}
