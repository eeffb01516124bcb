/** `phoenix plan`: show what apply would do. With -detailed-exitcode: 0 no changes, 1 error, 2 changes. */
import { renderPlanHuman } from '../../render/human.js';
import type { Command } from '../command.js';
import { guardInterrupts } from '../interrupt.js';
import { withStateSession } from '../session.js';
import { computePlan, openWorkdir, PLAN_FLAGS, planHasChanges, planOptionsFromFlags } from './planning.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show changes required by the current configuration',
  usage: 'phoenix [global options] plan [options]',
  description:
    'Compares the configuration with the current state (refreshed from the hosts unless -refresh=false)\n' +
    'and shows the actions apply would take. Changes nothing.',
  flags: [
    ...PLAN_FLAGS,
    { name: 'destroy', kind: 'bool', description: 'Plan to destroy every object instead.' },
    {
      name: 'detailed-exitcode',
      kind: 'bool',
      description: 'Exit 0 when there are no changes, 1 on error, 2 when there are changes.',
    },
  ],
  async run(ctx) {
    const { flags } = ctx.args;
    const workdir = await openWorkdir(ctx);
    const interrupts = guardInterrupts(ctx.ui);
    try {
      const plan = await withStateSession(ctx, workdir.config, { operation: 'plan', lock: true }, async (session) => {
        const { plan } = await computePlan(ctx, workdir, session.state, planOptionsFromFlags(ctx, flags.bool('destroy') ? 'destroy' : 'normal'));
        return plan;
      });
      ctx.ui.out(renderPlanHuman(plan, { color: ctx.ui.color, compact: flags.bool('compact') }));
      if (interrupts.interrupted) return 1;
      return flags.bool('detailed-exitcode') && planHasChanges(plan) ? 2 : 0;
    } finally {
      interrupts.dispose();
      await workdir.close();
    }
  },
};
