/**
 * The local state backend: one JSON file (default `phoenix.state.json`), replaced atomically on every
 * write with the previous version kept as `<path>.backup`, and a `<path>.lock` file to keep runs apart.
 * During apply, changes go to `<path>.journal` (appended, fsynced; see journal.ts) and are compacted
 * into the file at the end of the run, or on the next locked load after a crash. A file phoenix cannot
 * read (corrupt, foreign, newer format) is never overwritten. Temporary files of writes killed midway
 * are removed by the next run that takes the lock.
 */
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DiagnosticError, error, type Diagnostic } from '../config/diagnostics.js';
import { removeStaleTemporaries, syncDirectory, writeFileAtomic } from './atomic.js';
import { journalLine, parseJournalLines, replayJournal, type StateJournal } from './journal.js';
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
  private readonly journalPath: string;
  /** The journal this run appends to, open from openJournal until the next full write. */
  private journalFile?: FileHandle;
  private lockHeld = false;

  constructor(
    readonly path: string,
    private readonly options: LocalBackendOptions = {},
  ) {
    this.description = `local (${path})`;
    this.lockPath = `${path}.lock`;
    this.backupPath = `${path}.backup`;
    this.journalPath = `${path}.journal`;
  }

  async read(): Promise<StateFile | null> {
    const text = await this.readText();
    if (text === null) return null;
    const snapshot = parseState(text, this.path);
    const state = await this.withJournal(snapshot);
    // Compaction on load: a run holding the lock folds a crashed run's journal into the file.
    if (state !== snapshot && this.lockHeld) await this.write(state);
    return state;
  }

  async openJournal(base: StateFile): Promise<StateJournal> {
    // The journal needs its snapshot on disk: a first state is written whole, and a journal left by a
    // run without the lock (-lock=false) is folded into the file first (`base` was read with it).
    const stored = await this.read();
    if (stored !== null) assertFollows(stored, { ...base, serial: base.serial + 1 }, this.path);
    if (stored === null || base.serial > stored.serial) await this.write(base);
    else if (await this.readJournalText()) await this.removeJournal();
    await this.journalFile?.close();
    this.journalFile = undefined;
    try {
      const file = await open(this.journalPath, 'wx', FILE_MODE);
      this.journalFile = file;
      await file.writeFile(journalLine({ lineage: base.lineage, serial: base.serial }));
      await file.sync();
      await syncDirectory(dirname(this.journalPath));
    } catch (e) {
      throw saveError('cannot write the journal', `${this.journalPath}: ${(e as Error).message}`);
    }
    const file = this.journalFile;
    return {
      append: async (entries) => {
        if (entries.length === 0) return;
        try {
          await file.write(entries.map(journalLine).join(''));
          await file.datasync();
        } catch (e) {
          throw saveError('cannot append to the journal', `${this.journalPath}: ${(e as Error).message}`);
        }
      },
    };
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
    // The file now holds everything the journal did (a leftover journal no longer matches it anyway).
    await this.removeJournal();
  }

  async lock(info: Omit<LockInfo, 'id'>, timeoutMs: number): Promise<LockHandle> {
    const warn = (d: Diagnostic) => this.warn(d);
    const held = await acquireLockFile(this.lockPath, info, timeoutMs, warn).catch((e: unknown) =>
      rethrowAsDiagnostic(e, 'Error acquiring the state lock', this.lockPath),
    );
    this.lockHeld = true;
    for (const path of [this.path, this.backupPath]) await removeStaleTemporaries(path);
    let released = false;
    return {
      info: held,
      release: async () => {
        if (released) return;
        released = true;
        this.lockHeld = false;
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
    await this.journalFile?.close();
    this.journalFile = undefined;
  }

  /** The snapshot with its journal replayed, when the journal belongs to it (same lineage and serial). */
  private async withJournal(snapshot: StateFile): Promise<StateFile> {
    const text = await this.readJournalText();
    if (!text) return snapshot;
    const journal = parseJournalLines(text);
    if (!journal) throw loadError('unreadable journal', `${this.journalPath} is not a phoenix state journal.`, this.journalPath);
    if (journal.base.lineage !== snapshot.lineage || journal.base.serial !== snapshot.serial) return snapshot;
    const state = replayJournal(snapshot, journal.entries);
    const problem = stateShapeProblem(state);
    if (problem !== undefined) throw loadError('invalid journal', `${this.journalPath}: ${problem}.`, this.journalPath);
    return state;
  }

  private async readJournalText(): Promise<string | null> {
    try {
      return await readFile(this.journalPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw loadError('cannot read the journal', `${this.journalPath}: ${(e as Error).message}`, this.journalPath);
    }
  }

  private async removeJournal(): Promise<void> {
    await this.journalFile?.close();
    this.journalFile = undefined;
    await unlink(this.journalPath).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw saveError('cannot remove the compacted journal', `${this.journalPath}: ${e.message}`);
    });
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

function loadError(reason: string, detail: string, subject: string): DiagnosticError {
  const diagnostic = error(`Failed to load state: ${reason}`, detail);
  diagnostic.subject = subject;
  return new DiagnosticError([diagnostic]);
}

function saveError(reason: string, detail: string): DiagnosticError {
  return new DiagnosticError([error(`Failed to save state: ${reason}`, `${detail}\n\nThe state file has not been changed.`)]);
}
