/** `phoenix apply [PLANFILE]`: plan, ask for approval, then make the changes; or apply a saved plan. */
import { usageError } from '../args.js';
import type { Command } from '../command.js';
import { AUTO_APPROVE_FLAG } from '../flags.js';
import { JSON_EVENTS_FLAG } from '../plan-output.js';
import { applySavedPlan } from './apply-saved.js';
import { runApply } from './apply-run.js';
import { PLAN_FLAGS } from './planning.js';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Create or update infrastructure',
  usage: 'phoenix [global options] apply [options] [PLANFILE]',
  description:
    'Plans like "phoenix plan", shows the plan and asks for approval (only "yes" proceeds), then applies\n' +
    'the changes in dependency order, saving the state after every step. A failed resource skips its\n' +
    'dependents; independent resources carry on.\n\n' +
    'With PLANFILE (from "phoenix plan -out=PLANFILE"), applies exactly that plan without asking, and\n' +
    'refuses it if the state, the configuration or the variable values changed since it was made.',
  flags: [...PLAN_FLAGS, AUTO_APPROVE_FLAG, JSON_EVENTS_FLAG],
  run(ctx) {
    const [file, ...extra] = ctx.args.positionals;
    if (extra.length > 0) throw usageError('apply', 'Too many arguments: apply takes at most one saved plan file.');
    return file === undefined ? runApply(ctx, 'normal') : applySavedPlan(ctx, file);
  },
};
