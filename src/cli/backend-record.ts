/**
 * `.phoenix/backend.json`: the backend `phoenix init` last set up in this working directory, so a later
 * `init -migrate-state` knows where to copy the state from when the configuration changes backend, and
 * so no run silently starts a new, empty estate in a remote backend while the real one is still in the
 * local file.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DiagnosticError, error } from '../config/diagnostics.js';
import { writeFileAtomic } from '../state/atomic.js';
import type { BackendSelection } from './backend.js';

export const BACKEND_RECORD_FILE = '.phoenix/backend.json';
const LOCAL_STATE_FILE = 'phoenix.state.json';

export function readRecordedBackend(workingDir: string): BackendSelection | undefined {
  const path = resolve(workingDir, BACKEND_RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as BackendSelection;
    if (typeof parsed.type === 'string' && typeof parsed.settings === 'object' && parsed.settings !== null) return parsed;
  } catch {
    // reported below
  }
  throw new DiagnosticError([
    error('Cannot read the recorded backend', `${path} is damaged. Run "phoenix init -reconfigure" to record the configured backend again.`),
  ]);
}

/** Written by `phoenix init`; the connection string is there only if the configuration itself holds it. */
export async function recordBackend(workingDir: string, selection: BackendSelection): Promise<void> {
  const path = resolve(workingDir, BACKEND_RECORD_FILE);
  mkdirSync(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(selection, null, 2)}\n`, 0o600);
}

/**
 * Refuses a run whose configured backend is not the one the state was last set up in: planning against
 * the other (empty) backend would create everything a second time. Directories never initialised are
 * fine as long as no local state file would be left behind by a remote backend.
 */
export function assertMigrated(type: string, workingDir: string): void {
  const recorded = readRecordedBackend(workingDir);
  if (recorded !== undefined) {
    if (recorded.type === type) return;
    throw initRequired(
      `The configuration now uses backend "${type}", but this directory was initialised with backend "${recorded.type}", ` +
        'which may hold the state.',
    );
  }
  if (type === 'local' || !existsSync(resolve(workingDir, LOCAL_STATE_FILE))) return;
  throw initRequired(`The configuration uses backend "${type}", but the state is still in the local file ${LOCAL_STATE_FILE}.`);
}

function initRequired(reason: string): DiagnosticError {
  return new DiagnosticError([
    error(
      'Backend initialization required',
      `${reason} Copy the state across with:\n  phoenix init -migrate-state\n` +
        '(or "phoenix init -reconfigure" to use the configured backend without copying anything).',
    ),
  ]);
}
