/** `phoenix destroy`: plan the removal of every managed object, ask for approval, remove them in reverse order. */
import type { Command } from '../command.js';
import { AUTO_APPROVE_FLAG } from '../flags.js';
import { JSON_EVENTS_FLAG } from '../plan-output.js';
import { runApply } from './apply-run.js';
import { PLAN_FLAGS } from './planning.js';

export const destroyCommand: Command = {
  name: 'destroy',
  summary: 'Destroy previously-created infrastructure',
  usage: 'phoenix [global options] destroy [options]',
  description:
    'Destroys every object recorded in the state (or the -target ones), dependents first. Asks for\n' +
    'approval unless -auto-approve.',
  flags: [...PLAN_FLAGS, AUTO_APPROVE_FLAG, JSON_EVENTS_FLAG],
  run: (ctx) => runApply(ctx, 'destroy'),
};
