/** `phoenix apply`: plan, ask for approval, then make the changes. */
import type { Command } from '../command.js';
import { AUTO_APPROVE_FLAG } from '../flags.js';
import { runApply } from './apply-run.js';
import { PLAN_FLAGS } from './planning.js';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Create or update infrastructure',
  usage: 'phoenix [global options] apply [options]',
  description:
    'Plans like "phoenix plan", shows the plan and asks for approval (only "yes" proceeds), then applies\n' +
    'the changes in dependency order, saving the state after every step. A failed resource skips its\n' +
    'dependents; independent resources carry on.',
  flags: [...PLAN_FLAGS, AUTO_APPROVE_FLAG],
  run: (ctx) => runApply(ctx, 'normal'),
};
