/** Shared by `state rm` / `state mv`: validating addresses and saving an edited state under the lock. */
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { parseAddress, type InstanceAddress } from '../../plan/address.js';
import type { StateFile } from '../../state/model.js';
import type { CommandContext } from '../command.js';
import { nextState, withStateSession } from '../session.js';
import { configForBackend } from '../state-read.js';

export function requireAddress(text: string): InstanceAddress {
  const parsed = parseAddress(text);
  if (!parsed) {
    throw new DiagnosticError([
      error('Invalid address', `"${text}" is not a resource address. Addresses look like lxc.web, lxc.web[0] or lxc.web["key"].`),
    ]);
  }
  return parsed;
}

/** Run an edit of the state under the lock and persist the result as the next serial. */
export async function editState(
  ctx: CommandContext,
  operation: string,
  edit: (state: StateFile) => Partial<StateFile>,
): Promise<void> {
  await withStateSession(ctx, configForBackend(ctx), { operation, lock: true }, async (session) => {
    if (!session.exists) throw new DiagnosticError([error('No state file was found', 'There is no state to edit yet: run apply first.')]);
    const changes = edit(session.state);
    await session.persist(nextState(session.state, changes));
  });
}
