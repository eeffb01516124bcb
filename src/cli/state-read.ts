/** Read-only access to the state for commands that show it (show, output, state list/show). */
import { existsSync, readdirSync } from 'node:fs';
import type { Config } from '../config/model.js';
import type { StateFile } from '../state/model.js';
import type { CommandContext } from './command.js';
import { withStateSession } from './session.js';
import { loadConfigOnly } from './workdir.js';

/** The configuration, only to find the backend; a directory without .hcl files uses the local default. */
export function configForBackend(ctx: CommandContext): Config | undefined {
  const hasConfig = existsSync(ctx.cwd) && readdirSync(ctx.cwd).some((n) => n.endsWith('.hcl') && !n.endsWith('.auto.hcl'));
  return hasConfig ? loadConfigOnly(ctx.cwd, ctx.ui).config : undefined;
}

/** The stored state, or null when none was ever written. Takes no lock (Terraform's read commands don't). */
export async function readStoredState(ctx: CommandContext): Promise<StateFile | null> {
  return withStateSession(ctx, configForBackend(ctx), { operation: 'read', lock: false }, async (session) =>
    session.exists ? session.state : null,
  );
}
