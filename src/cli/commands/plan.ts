/** `phoenix plan`: show what apply would do. With -detailed-exitcode: 0 no changes, 1 error, 2 changes. */
import type { EventWriter } from '../../render/events.js';
import type { Command, CommandContext } from '../command.js';
import { guardInterrupts } from '../interrupt.js';
import { FORMAT_FLAG, JSON_EVENTS_FLAG, jsonContext, OUT_FLAG, planFormat, renderPlanAs, reportingDiagnostics, writePlanFile } from '../plan-output.js';
import { withStateSession } from '../session.js';
import { computePlan, openWorkdir, PLAN_FLAGS, planHasChanges, planOptionsFromFlags } from './planning.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show changes required by the current configuration',
  usage: 'phoenix [global options] plan [options]',
  description:
    'Compares the configuration with the current state (refreshed from the hosts unless -refresh=false)\n' +
    'and shows the actions apply would take. Changes nothing. -out=FILE saves the plan for\n' +
    '"phoenix apply FILE"; -format=markdown renders it as a pull-request comment.',
  flags: [
    ...PLAN_FLAGS,
    { name: 'destroy', kind: 'bool', description: 'Plan to destroy every object instead.' },
    {
      name: 'detailed-exitcode',
      kind: 'bool',
      description: 'Exit 0 when there are no changes, 1 on error, 2 when there are changes.',
    },
    OUT_FLAG,
    FORMAT_FLAG,
    JSON_EVENTS_FLAG,
  ],
  run(ctx) {
    if (!ctx.args.flags.bool('json')) return runPlan(ctx, undefined);
    const json = jsonContext(ctx);
    return reportingDiagnostics(json.events, () => runPlan(json.ctx, json.events));
  },
};

async function runPlan(ctx: CommandContext, events: EventWriter | undefined): Promise<number> {
  const { flags } = ctx.args;
  const format = planFormat(ctx);
  const out = flags.string('out');
  const workdir = await openWorkdir(ctx);
  const interrupts = guardInterrupts(ctx.ui);
  try {
    const plan = await withStateSession(ctx, workdir.config, { operation: 'plan', lock: true }, async (session) => {
      const { plan, refreshed } = await computePlan(ctx, workdir, session.state, planOptionsFromFlags(ctx, flags.bool('destroy') ? 'destroy' : 'normal'), session.activeLock);
      if (out !== undefined) writePlanFile(ctx, out, plan, refreshed);
      return plan;
    });
    if (events) events.plan(plan);
    else {
      const fullPlanCommand = out === undefined ? undefined : `phoenix show ${out}`;
      ctx.ui.out(renderPlanAs(plan, format, { color: ctx.ui.color, compact: flags.bool('compact'), fullPlanCommand }));
    }
    if (out !== undefined) {
      // Markdown goes to a PR comment as it is: the note goes to stderr there.
      const note = `Saved the plan to: ${out}\n\nTo perform exactly these actions, run:\n  phoenix apply ${out}`;
      if (format === 'markdown') ctx.ui.err(note);
      else ctx.ui.out(`${'─'.repeat(77)}\n\n${note}`);
    }
    if (interrupts.interrupted) return 1;
    return flags.bool('detailed-exitcode') && planHasChanges(plan) ? 2 : 0;
  } finally {
    interrupts.dispose();
    await workdir.close();
  }
}
