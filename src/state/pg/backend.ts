/**
 * The PostgreSQL state backend: `backend "pg" { conn_str = ..., schema_name = ... }`. One dedicated
 * connection per run carries everything (see connection.ts); tables are created on first use
 * (schema.ts); the lock is a session advisory lock plus a descriptive record (lock.ts); every write
 * appends a version, so any earlier state can be read back (versions.ts); workspaces keep several
 * estates apart in one schema (workspaces.ts).
 */
import { hostname, userInfo } from 'node:os';
import type pg from 'pg';
import { DiagnosticError, error, warning, type Diagnostic } from '../../config/diagnostics.js';
import type { LockHandle, LockInfo, StateBackend } from '../backend.js';
import { parseState, serializeState } from '../codec.js';
import { replayJournal, type StateJournal } from '../journal.js';
import { STATE_FORMAT_VERSION, type StateFile } from '../model.js';
import { stateShapeProblem } from '../shape.js';
import { connect } from './connection.js';
import { pgError, stateWriteError, workspaceMissingError } from './errors.js';
import { DEFAULT_WORKSPACE } from './keys.js';
import { acquireWorkspaceLock, forceUnlockWorkspace, releaseWorkspaceLock, type LockScope } from './lock.js';
import { ensureSchema } from './schema.js';
import { appendJournal, appendVersion, clearJournal, currentText, history, journalEntries, textAtSerial, type StateVersion } from './versions.js';
import { createWorkspace, deleteWorkspace, listWorkspaces, workspaceExists, type WorkspaceSummary } from './workspaces.js';

export const DEFAULT_SCHEMA_NAME = 'phoenix';

export interface PgBackendOptions {
  connectionString: string;
  schemaName?: string;
  workspace?: string;
  /** Called with each warning as it happens (stale lock records replaced, a lock lost); also kept in `warnings`. */
  onWarning?: (warning: Diagnostic) => void;
}

export class PgBackend implements StateBackend {
  readonly description: string;
  readonly schema: string;
  readonly workspace: string;
  readonly warnings: Diagnostic[] = [];
  private connection?: Promise<pg.Client>;
  /** Why the server closed our connection, once it has. */
  private lostReason?: string;
  private heldLock?: LockInfo;
  /** Calls run one at a time: they share one connection, and two interleaved transactions on it would merge. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PgBackendOptions) {
    this.schema = options.schemaName ?? DEFAULT_SCHEMA_NAME;
    this.workspace = options.workspace ?? DEFAULT_WORKSPACE;
    this.description = `pg (schema ${this.schema}, workspace ${this.workspace})`;
  }

  /** The current version with the journal of an unfinished apply replayed; a locked load compacts it. */
  async read(): Promise<StateFile | null> {
    const text = await this.readText();
    if (text === null) return null;
    const snapshot = parseState(text, this.description);
    const entries = await this.run('read the state journal', (client) => journalEntries(this.scope(client), snapshot));
    if (entries.length === 0) return snapshot;
    const state = replayJournal(snapshot, entries);
    const problem = stateShapeProblem(state);
    if (problem !== undefined) throw new DiagnosticError([error('Failed to load state: invalid journal', `The journal of ${this.description}: ${problem}.`)]);
    if (this.heldLock !== undefined) await this.write(state);
    return state;
  }

  async openJournal(base: StateFile): Promise<StateJournal> {
    // The journal needs its version stored: a first state is written whole, a leftover journal folded in.
    const stored = await this.read();
    if (stored === null || base.serial > stored.serial) await this.write(base);
    else if (stored.serial > base.serial || stored.lineage !== base.lineage) {
      throw stateWriteError('stale serial', `${this.description} is at serial ${stored.serial}, newer than the serial ${base.serial} this run started from.`);
    } else await this.run('clear the state journal', (client) => clearJournal(this.scope(client)));
    return {
      append: (entries) => this.run('append to the state journal', (client) => appendJournal(this.scope(client), base, entries)),
    };
  }

  /** The current state's stored text, byte for byte, or null if none was ever written. */
  async readText(): Promise<string | null> {
    return this.run('read the state', async (client) => {
      await this.assertWorkspaceExists(client);
      return currentText(this.scope(client));
    });
  }

  /** The text of an earlier version (`phoenix state pull -serial=N`), or null if there is none. */
  readVersionText(serial: number): Promise<string | null> {
    return this.run('read the state history', (client) => textAtSerial(this.scope(client), serial));
  }

  history(): Promise<StateVersion[]> {
    return this.run('read the state history', (client) => history(this.scope(client)));
  }

  async write(state: StateFile): Promise<void> {
    const problem = stateShapeProblem(state);
    if (problem !== undefined || state.format_version !== STATE_FORMAT_VERSION) {
      throw stateWriteError('invalid state', `This is a bug in phoenix: ${problem ?? `format_version ${state.format_version}`}.`);
    }
    return this.writeText(serializeState(state));
  }

  /** Stores `text` exactly as given (after checking it is a state phoenix can read): push and migration. */
  async writeText(text: string): Promise<void> {
    const state = parseState(text, 'the state being written');
    await this.run('write the state', (client) =>
      appendVersion(this.scope(client), { text, serial: state.serial, lineage: state.lineage, writtenBy: this.writer() }),
    );
  }

  async lock(info: Omit<LockInfo, 'id'>, timeoutMs: number): Promise<LockHandle> {
    const held = await this.run('take the state lock', (client) =>
      acquireWorkspaceLock(this.scope(client), info, timeoutMs, (w) => this.warn(w)),
    );
    this.heldLock = held;
    let released = false;
    return {
      info: held,
      release: async () => {
        if (released) return;
        released = true;
        this.heldLock = undefined;
        if (this.lostReason !== undefined) return; // the session, and with it the lock, is already gone
        await this.run('release the state lock', (client) => releaseWorkspaceLock(this.scope(client), held.id, (w) => this.warn(w)));
      },
    };
  }

  forceUnlock(id: string): Promise<void> {
    return this.run('unlock the state', (client) => forceUnlockWorkspace(this.scope(client), id));
  }

  listWorkspaces(): Promise<WorkspaceSummary[]> {
    return this.run('list the workspaces', (client) => listWorkspaces(client, this.schema));
  }

  createWorkspace(name: string): Promise<void> {
    return this.run('create the workspace', (client) => createWorkspace(client, this.schema, name));
  }

  /** Deletes this backend's workspace and its history; the caller holds its lock. */
  deleteWorkspace(): Promise<void> {
    return this.run('delete the workspace', (client) => deleteWorkspace(client, this.schema, this.workspace));
  }

  async close(): Promise<void> {
    await this.queue;
    const connection = this.connection;
    this.connection = undefined;
    if (connection === undefined) return;
    const client = await connection.catch(() => undefined);
    // Ending the session releases any advisory lock still held.
    await client?.end().catch(() => undefined);
  }

  private scope(client: pg.Client): LockScope {
    return { client, schema: this.schema, workspace: this.workspace, description: this.description };
  }

  private async assertWorkspaceExists(client: pg.Client): Promise<void> {
    if (!(await workspaceExists(client, this.schema, this.workspace))) throw workspaceMissingError(this.description, this.workspace);
  }

  /** Runs a database action on the run's connection, turning every failure into a Diagnostic. */
  private run<T>(action: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.runNow(action, work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow<T>(action: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = await this.client();
    try {
      return await work(client);
    } catch (e) {
      if (e instanceof DiagnosticError) throw e;
      // The failed query may be how we learn of the disconnect, before the client's 'error' event.
      if (isConnectionLoss(e)) this.connectionLost((e as Error).message);
      if (this.lostReason !== undefined) throw this.connectionLostError(action);
      throw pgError(this.description, action, e);
    }
  }

  private client(): Promise<pg.Client> {
    this.connection ??= (async () => {
      const client = await connect({
        connectionString: this.options.connectionString,
        description: this.description,
        onLost: (reason) => this.connectionLost(reason),
      });
      try {
        await ensureSchema(client, this.schema);
      } catch (e) {
        await client.end().catch(() => undefined);
        throw pgError(this.description, 'create the backend tables', e);
      }
      return client;
    })();
    return this.connection;
  }

  private connectionLost(reason: string): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    if (this.heldLock !== undefined) {
      this.warn(
        warning(
          'Lost the state lock',
          `The connection to ${this.description} was closed (${reason}), and with it the state lock ${this.heldLock.id}. ` +
            'This run can no longer write the state.',
        ),
      );
    }
  }

  private connectionLostError(action: string): DiagnosticError {
    return new DiagnosticError([
      error(
        `pg backend: failed to ${action}`,
        `The connection to ${this.description} was closed (${this.lostReason}); a run that loses its connection also ` +
          'loses its state lock, so it stops instead of writing. If someone ran "phoenix force-unlock", that is why.',
      ),
    ]);
  }

  private writer(): string {
    const who = this.heldLock?.who ?? currentUser();
    const version = this.heldLock?.version;
    return version === undefined ? who : `${who} (phoenix ${version})`;
  }

  private warn(diagnostic: Diagnostic): void {
    this.warnings.push(diagnostic);
    this.options.onWarning?.(diagnostic);
  }
}

/** Session ended by the server (57P01-57P03: terminated, crash, shutdown) or a socket that is gone. */
function isConnectionLoss(e: unknown): boolean {
  const code = String((e as { code?: unknown }).code ?? '');
  if (code.startsWith('57P') || code === 'ECONNRESET' || code === 'EPIPE') return true;
  return e instanceof Error && /connection terminated|not queryable|client was closed/i.test(e.message);
}

function currentUser(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `unknown@${hostname()}`;
  }
}
