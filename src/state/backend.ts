/**
 * State backends: where the state lives (a local JSON file, PostgreSQL) and how runs exclude each other.
 */
import type { StateFile } from './model.js';

export interface LockInfo {
  id: string;
  /** `plan`, `apply`, `destroy`, `import`, `state mv`... */
  operation: string;
  who: string;
  host: string;
  pid: number;
  version: string;
  created: string;
}

export interface LockHandle {
  info: LockInfo;
  release(): Promise<void>;
}

export interface StateBackend {
  /** For messages: `local (phoenix.state.json)`, `pg (schema phoenix, workspace default)`. */
  readonly description: string;
  /** The current state, or null if none was ever written. Throws DiagnosticError on corrupt/newer files. */
  read(): Promise<StateFile | null>;
  /**
   * Persist a new state. Atomic; keeps the previous version (backup / history). Rejects a state whose
   * lineage differs from the stored one or whose serial does not follow it.
   */
  write(state: StateFile): Promise<void>;
  /** Take the lock, waiting up to timeoutMs; throws DiagnosticError naming the holder on failure. */
  lock(info: Omit<LockInfo, 'id'>, timeoutMs: number): Promise<LockHandle>;
  /** Remove a lock left behind, by its id. */
  forceUnlock(id: string): Promise<void>;
  /**
   * For a run that does not lock (-lock=false): the lock another run holds while it is still running,
   * if the backend can tell. Its pending operations are in progress, not interrupted.
   */
  activeLock?(): Promise<LockInfo | undefined>;
  close(): Promise<void>;
}
