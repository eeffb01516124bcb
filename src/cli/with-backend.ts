/** Commands that talk to the backend without a state session (no lock, no read): open, use, always close. */
import type { StateBackend } from '../state/backend.js';
import { PgBackend } from '../state/factory.js';
import { DiagnosticError, error } from '../config/diagnostics.js';
import { openBackend } from './backend.js';
import type { CommandContext } from './command.js';
import { configForBackend } from './state-read.js';

export async function withBackend<T>(ctx: CommandContext, work: (backend: StateBackend) => Promise<T>): Promise<T> {
  const backend = await openBackend(configForBackend(ctx), {
    workingDir: ctx.cwd,
    env: ctx.env,
    statePath: ctx.args.flags.has('state') ? ctx.args.flags.string('state') : undefined,
    onWarning: (w) => ctx.ui.diagnostics([w]),
  });
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

/** For features only the pg backend has (history, workspaces): the backend, or a clear refusal. */
export function requirePg(backend: StateBackend, feature: string): PgBackend {
  if (backend instanceof PgBackend) return backend;
  throw new DiagnosticError([
    error(
      `${feature} requires the pg backend`,
      `The state is in ${backend.description}, which keeps only the current state and one backup. ` +
        'Configure backend "pg" (see docs/team-state.md) to keep every version and several workspaces.',
    ),
  ]);
}
