/**
 * `phoenix init [-migrate-state | -reconfigure]`: set up the configured backend (the pg backend creates
 * its tables) and record it in .phoenix/backend.json. When the configuration has changed backend since
 * the last init — or names a remote backend while the state is still in phoenix.state.json — the state
 * must be copied across (-migrate-state) or knowingly left behind (-reconfigure).
 */
import { isDeepStrictEqual } from 'node:util';
import { DiagnosticError, error } from '../../config/diagnostics.js';
import type { StateBackend } from '../../state/backend.js';
import { readStateText } from '../../state/factory.js';
import { migrateState } from '../../state/pg/transfer.js';
import { usageError } from '../args.js';
import { configuredBackend, openSelectedBackend, type BackendSelection } from '../backend.js';
import { readRecordedBackend, recordBackend } from '../backend-record.js';
import type { Command, CommandContext } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';
import { lockInfo } from '../session.js';
import { configForBackend } from '../state-read.js';

const LOCAL_DEFAULT: BackendSelection = { type: 'local', settings: {} };

export const initCommand: Command = {
  name: 'init',
  summary: 'Prepare the working directory and its state backend',
  usage: 'phoenix [global options] init [options]',
  description:
    'Sets up the configured state backend (the pg backend creates its tables) and records it in\n' +
    '.phoenix/backend.json. After changing the backend block, run it with -migrate-state to copy the\n' +
    'current state from the previous backend (phoenix.state.json the first time) to the new one; a\n' +
    'newer or unrelated state in the new backend is never overwritten.',
  flags: [
    ...COLOR_FLAGS,
    { name: 'migrate-state', kind: 'bool', description: 'Copy the state from the previously initialised backend into the configured one.' },
    { name: 'reconfigure', kind: 'bool', description: 'Use the configured backend without copying any state into it.' },
    { name: 'lock', kind: 'bool', default: true, description: 'Lock both backends while migrating (default true).' },
    { name: 'lock-timeout', kind: 'duration', default: '0s', metavar: 'DURATION', description: 'How long to retry taking the locks (default 0s).' },
  ],
  async run(ctx) {
    if (ctx.args.positionals.length > 0) throw usageError('init', 'Unexpected argument: init takes none.');
    const migrate = ctx.args.flags.bool('migrate-state');
    const reconfigure = ctx.args.flags.bool('reconfigure');
    if (migrate && reconfigure) throw usageError('init', 'Use either -migrate-state or -reconfigure, not both.');

    const configured = configuredBackend(configForBackend(ctx), ctx.cwd);
    const previous = readRecordedBackend(ctx.cwd) ?? LOCAL_DEFAULT;
    const changed = !isDeepStrictEqual(previous, configured);

    await withOpened(ctx, configured, async (target) => {
      await readStateText(target); // connects, creates the tables, checks the workspace exists
      if (!changed || reconfigure) return;
      await withOpened(ctx, previous, async (source) => {
        if (migrate) return copyState(ctx, source, target);
        if ((await readStateText(source)) === null) return;
        throw new DiagnosticError([
          error(
            'Backend configuration changed',
            `The state is in ${source.description}, but the configuration now uses ${target.description}.\n` +
              'Copy the state across with "phoenix init -migrate-state", or use the new backend without it with ' +
              '"phoenix init -reconfigure".',
          ),
        ]);
      });
    });
    await recordBackend(ctx.cwd, configured);
    ctx.ui.out(ctx.ui.style.bold(ctx.ui.style.create('phoenix has been successfully initialized!')));
    return 0;
  },
};

async function copyState(ctx: CommandContext, source: StateBackend, target: StateBackend): Promise<void> {
  const lock = ctx.args.flags.bool('lock')
    ? { info: lockInfo('init -migrate-state'), timeoutMs: ctx.args.flags.durationMs('lock-timeout') }
    : undefined;
  const result = await migrateState(source, target, lock);
  const message =
    result.outcome === 'copied'
      ? `Copied the state (serial ${result.serial}) from ${source.description} to ${target.description}.`
      : result.outcome === 'already-there'
        ? `${target.description} already holds the state of ${source.description} (serial ${result.serial}); nothing to copy.`
        : `${source.description} holds no state; nothing to copy.`;
  ctx.ui.out(message);
}

async function withOpened(ctx: CommandContext, selection: BackendSelection, work: (backend: StateBackend) => Promise<void>): Promise<void> {
  const backend = await openSelectedBackend(selection, { workingDir: ctx.cwd, env: ctx.env, onWarning: (w) => ctx.ui.diagnostics([w]) });
  try {
    await work(backend);
  } finally {
    await backend.close();
  }
}
