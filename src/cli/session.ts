/**
 * A run against the state: open the backend, take the lock (every state-touching run does, plan
 * included, like Terraform), read the state, and release everything however the run ends.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Config } from '../config/model.js';
import type { LockHandle, LockInfo, StateBackend } from '../state/backend.js';
import { emptyState, type StateFile } from '../state/model.js';
import { openBackend } from './backend.js';
import type { CommandContext } from './command.js';
import { PHOENIX_VERSION } from './version.js';

export interface StateSession {
  backend: StateBackend;
  /** The stored state, or a fresh empty one (new lineage) when none was ever written. */
  state: StateFile;
  /** Whether a state had been written before this run. */
  exists: boolean;
  persist(state: StateFile): Promise<void>;
  /** When this run did not lock (-lock=false): the lock a still-running run holds, if any. */
  activeLock?: LockInfo;
}

export interface SessionOptions {
  /** `plan`, `apply`, `destroy`, `import`, `state mv`... recorded in the lock. */
  operation: string;
  lock: boolean;
}

export async function withStateSession<T>(
  ctx: CommandContext,
  config: Config | undefined,
  options: SessionOptions,
  run: (session: StateSession) => Promise<T>,
): Promise<T> {
  const backend = await openBackend(config, {
    workingDir: ctx.cwd,
    env: ctx.env,
    statePath: ctx.args.flags.string('state'),
    onWarning: (w) => ctx.ui.diagnostics([w]),
  });
  let lock: LockHandle | undefined;
  try {
    if (options.lock && ctx.args.flags.bool('lock')) {
      lock = await backend.lock(lockInfo(options.operation), ctx.args.flags.durationMs('lock-timeout'));
    }
    const activeLock = lock === undefined ? await backend.activeLock?.() : undefined;
    const stored = await backend.read();
    const state = stored ?? emptyState(randomUUID(), PHOENIX_VERSION);
    return await run({ backend, state, exists: stored !== null, persist: (next) => backend.write(next), ...(activeLock ? { activeLock } : {}) });
  } finally {
    await lock?.release();
    await backend.close();
  }
}

/** What this run records in the lock it takes: operation, user, host, pid, version, time. */
export function lockInfo(operation: string) {
  let who: string;
  try {
    who = `${userInfo().username}@${hostname()}`;
  } catch {
    who = `unknown@${hostname()}`;
  }
  return {
    operation,
    who,
    host: hostname(),
    pid: process.pid,
    version: PHOENIX_VERSION,
    created: new Date().toISOString(),
  };
}

/** The next version of a state edited outside apply (state rm/mv, import): same lineage, next serial. */
export function nextState(state: StateFile, changes: Partial<StateFile>): StateFile {
  return { ...state, ...changes, serial: state.serial + 1, phoenix_version: PHOENIX_VERSION };
}
