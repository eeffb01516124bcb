/** `phoenix force-unlock LOCK_ID [-force]`: remove a state lock left behind by a crashed run. */
import type { Command } from '../command.js';
import { usageError } from '../args.js';
import { askForApproval } from '../confirm.js';
import { COLOR_FLAGS } from '../flags.js';
import { openBackend } from '../backend.js';
import { configForBackend } from '../state-read.js';

export const forceUnlockCommand: Command = {
  name: 'force-unlock',
  summary: 'Release a stuck lock on the current state',
  usage: 'phoenix [global options] force-unlock [options] LOCK_ID',
  description:
    'Removes the state lock with the given id (shown in the error of the run that could not take it).\n' +
    'Only do this when the run holding it is certainly gone: two runs writing the state corrupt it.\n' +
    'With the pg backend a run that died has already lost its lock; force-unlock is for a run that hangs\n' +
    'while connected: it also ends that run\'s database session, so the run stops without writing.',
  flags: [
    ...COLOR_FLAGS,
    { name: 'force', kind: 'bool', description: "Don't ask for confirmation." },
    { name: 'state', kind: 'string', metavar: 'PATH', description: 'Path of the local state file (default phoenix.state.json).' },
  ],
  async run(ctx) {
    if (ctx.args.positionals.length !== 1) throw usageError('force-unlock', 'Exactly one argument expected: the lock id.');
    const id = ctx.args.positionals[0]!;
    const backend = await openBackend(configForBackend(ctx), {
      workingDir: ctx.cwd,
      env: ctx.env,
      statePath: ctx.args.flags.string('state'),
      onWarning: (w) => ctx.ui.diagnostics([w]),
    });
    try {
      if (!ctx.args.flags.bool('force')) {
        const approved = await askForApproval(ctx.ui, 'Do you really want to force-unlock?', [
          'phoenix will remove the lock on the remote state.',
          'This will allow local phoenix commands to modify this state, even though it',
          "may still be in use. Only 'yes' will be accepted to confirm.",
        ]);
        if (!approved) {
          ctx.ui.err('force-unlock cancelled.');
          return 1;
        }
      }
      await backend.forceUnlock(id);
      ctx.ui.out(ctx.ui.style.bold(ctx.ui.style.create('phoenix state has been successfully unlocked!')));
      ctx.ui.out('\nThe state has been unlocked, and phoenix commands should now be able to obtain a new lock on the state.');
      return 0;
    } finally {
      await backend.close();
    }
  },
};
