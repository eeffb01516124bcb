/**
 * The local state backend: one JSON file (default `phoenix.state.json`), replaced atomically on every
 * write with the previous version kept as `<path>.backup`, and a `<path>.lock` file to keep runs apart.
 * A file phoenix cannot read (corrupt, foreign, newer format) is never overwritten.
 */
import { readFile } from 'node:fs/promises';
import { DiagnosticError, error, type Diagnostic } from '../config/diagnostics.js';
import { writeFileAtomic } from './atomic.js';
import type { LockHandle, LockInfo, StateBackend } from './backend.js';
import { parseState, serializeState } from './codec.js';
import { acquireLockFile, activeLockFile, forceUnlockFile, releaseLockFile } from './lockfile.js';
import { STATE_FORMAT_VERSION, type StateFile } from './model.js';
import { stateShapeProblem } from './shape.js';

export interface LocalBackendOptions {
  /** Called with each warning as it happens (e.g. a stale lock taken over); they also collect in `warnings`. */
  onWarning?: (warning: Diagnostic) => void;
}

const FILE_MODE = 0o600;

export class LocalBackend implements StateBackend {
  readonly description: string;
  /** Warnings raised so far (stale lock takeovers, a lock lost while held), for the CLI to print. */
  readonly warnings: Diagnostic[] = [];
  private readonly lockPath: string;
  private readonly backupPath: string;

  constructor(
    readonly path: string,
    private readonly options: LocalBackendOptions = {},
  ) {
    this.description = `local (${path})`;
    this.lockPath = `${path}.lock`;
    this.backupPath = `${path}.backup`;
  }

  async read(): Promise<StateFile | null> {
    const text = await this.readText();
    return text === null ? null : parseState(text, this.path);
  }

  async write(state: StateFile): Promise<void> {
    assertWritable(state);
    // Reading first both checks lineage/serial and guarantees an unreadable file is refused, not replaced.
    const previousText = await this.readText();
    if (previousText !== null) {
      assertFollows(parseState(previousText, this.path), state, this.path);
    }
    try {
      if (previousText !== null) await writeFileAtomic(this.backupPath, previousText, FILE_MODE);
      await writeFileAtomic(this.path, serializeState(state), FILE_MODE);
    } catch (e) {
      throw saveError('cannot write the file', `${this.path}: ${(e as Error).message}`);
    }
  }

  async lock(info: Omit<LockInfo, 'id'>, timeoutMs: number): Promise<LockHandle> {
    const warn = (d: Diagnostic) => this.warn(d);
    const held = await acquireLockFile(this.lockPath, info, timeoutMs, warn).catch((e: unknown) =>
      rethrowAsDiagnostic(e, 'Error acquiring the state lock', this.lockPath),
    );
    let released = false;
    return {
      info: held,
      release: async () => {
        if (released) return;
        released = true;
        await releaseLockFile(this.lockPath, held.id, warn);
      },
    };
  }

  async activeLock(): Promise<LockInfo | undefined> {
    return activeLockFile(this.lockPath);
  }

  async forceUnlock(id: string): Promise<void> {
    await forceUnlockFile(this.lockPath, id, (d) => this.warn(d)).catch((e: unknown) =>
      rethrowAsDiagnostic(e, 'Failed to unlock state', this.lockPath),
    );
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  private warn(diagnostic: Diagnostic): void {
    this.warnings.push(diagnostic);
    this.options.onWarning?.(diagnostic);
  }

  private async readText(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      const diagnostic = error('Failed to load state: cannot read the file', `${this.path}: ${(e as Error).message}`);
      diagnostic.subject = this.path;
      throw new DiagnosticError([diagnostic]);
    }
  }
}

/** A state phoenix could not read back is a bug upstream; refuse it before touching the disk. */
function assertWritable(state: StateFile): void {
  const problem = stateShapeProblem(state);
  if (problem !== undefined || state.format_version !== STATE_FORMAT_VERSION) {
    throw saveError('invalid state', `This is a bug in phoenix: ${problem ?? `format_version ${state.format_version}`}.`);
  }
}

function assertFollows(stored: StateFile, next: StateFile, path: string): void {
  if (next.lineage !== stored.lineage) {
    throw saveError(
      'lineage mismatch',
      `${path} holds a different state (lineage "${stored.lineage}") than the one being written ` +
        `(lineage "${next.lineage}"); phoenix does not overwrite unrelated state.`,
    );
  }
  if (next.serial <= stored.serial) {
    throw saveError(
      'stale serial',
      `${path} is at serial ${stored.serial}, newer than or equal to the serial ${next.serial} being written: ` +
        'another run has written the state since this one read it.',
    );
  }
}

/** File system failures (permissions, a missing directory) reach the user as diagnostics too. */
function rethrowAsDiagnostic(e: unknown, summary: string, path: string): never {
  if (e instanceof DiagnosticError) throw e;
  throw new DiagnosticError([error(summary, `${path}: ${(e as Error).message}`)]);
}

function saveError(reason: string, detail: string): DiagnosticError {
  return new DiagnosticError([error(`Failed to save state: ${reason}`, `${detail}\n\nThe state file has not been changed.`)]);
}
