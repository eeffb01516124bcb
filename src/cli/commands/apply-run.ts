/**
 * The apply flow shared by `apply` and `destroy`: plan (with refresh) → render → approve → applyPlan with
 * live progress, state persisted after every step → summary and outputs. Exit 1 when anything failed
 * or the run was interrupted.
 */
import { applyPlan } from '../../plan/apply.js';
import type { ApplyOutput, ResourceResult } from '../../plan/engine-types.js';
import { renderOutputValues, renderPlanHuman } from '../../render/human.js';
import type { Style } from '../../render/style.js';
import type { CommandContext } from '../command.js';
import { askForApproval } from '../confirm.js';
import { guardInterrupts, type InterruptGuard } from '../interrupt.js';
import { createLiveView } from '../live.js';
import { withStateSession, type StateSession } from '../session.js';
import type { Workdir } from '../workdir.js';
import { computePlan, openWorkdir, planHasChanges, planOptionsFromFlags, resourceChangeCount } from './planning.js';

type Mode = 'normal' | 'destroy';

export async function runApply(ctx: CommandContext, mode: Mode): Promise<number> {
  const workdir = await openWorkdir(ctx);
  const interrupts = guardInterrupts(ctx.ui);
  try {
    return await withStateSession(
      ctx,
      workdir.config,
      { operation: mode === 'destroy' ? 'destroy' : 'apply', lock: true },
      (session) => planAndApply(ctx, workdir, session, mode, interrupts),
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
): Promise<number> {
  const { ui } = ctx;
  const { plan, refreshed } = await computePlan(ctx, workdir, session.state, planOptionsFromFlags(ctx, mode));
  ui.out(renderPlanHuman(plan, { color: ui.color, compact: ctx.args.flags.bool('compact') }));
  if (interrupts.interrupted) return 1;

  if (planHasChanges(plan) && !ctx.args.flags.bool('auto-approve')) {
    const approved = await askForApproval(ui, ...approvalQuestion(mode), interrupts.signal);
    if (!approved || interrupts.interrupted) {
      ui.err(`${mode === 'destroy' ? 'Destroy' : 'Apply'} cancelled.`);
      return 1;
    }
    ui.out('');
  }

  const live = createLiveView(ui, resourceChangeCount(plan));
  let output: ApplyOutput;
  try {
    output = await applyPlan({
      ...workdir.engineInput(),
      plan,
      state: refreshed,
      parallelism: ctx.args.flags.int('parallelism'),
      persist: session.persist,
      stop: interrupts.signal,
      onEvent: live.onEvent,
    });
  } finally {
    live.close();
  }

  ui.diagnostics(output.diagnostics, workdir.sources);
  const failed = output.results.some((r) => r.status === 'failed' || r.status === 'cancelled');
  ui.out('');
  ui.out(summaryLine(mode, output.results, failed || interrupts.interrupted, ui.style));
  if (mode === 'normal' && Object.keys(output.state.outputs).length > 0) {
    ui.out(`\n${ui.style.bold(ui.style.create('Outputs:'))}\n\n${renderOutputValues(output.state.outputs)}`);
  }
  return failed || interrupts.interrupted ? 1 : 0;
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

function summaryLine(
  mode: Mode,
  results: ResourceResult[],
  failed: boolean,
  style: Style,
): string {
  const done = results.filter((r) => r.status === 'succeeded');
  const count = (actions: string[]): number => done.filter((r) => actions.includes(r.action)).length;
  const added = count(['create', 'replace']);
  const changed = count(['update']);
  const destroyed = count(['delete', 'replace']);
  const counts =
    mode === 'destroy'
      ? `Resources: ${destroyed} destroyed.`
      : `Resources: ${added} added, ${changed} changed, ${destroyed} destroyed.`;
  const verb = mode === 'destroy' ? 'Destroy' : 'Apply';
  if (!failed) return style.bold(style.create(`${verb} complete! ${counts}`));
  const problems = (['failed', 'skipped', 'cancelled'] as const)
    .map((status) => [status, results.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return style.bold(style.error(`${verb} failed. ${counts.replace(/\.$/, '')}; ${problems.join(', ') || 'interrupted'}.`));
}

