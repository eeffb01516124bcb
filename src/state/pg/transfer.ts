/**
 * Moving whole states in and out of a backend: `phoenix state push`, and `phoenix init -migrate-state`
 * between the local file and pg. Both refuse to replace a newer (or unrelated) stored state, and store
 * the text unchanged where the destination keeps text, so a round trip gives back the same bytes.
 */
import { DiagnosticError, error } from '../../config/diagnostics.js';
import type { LockHandle, LockInfo, StateBackend } from '../backend.js';
import { parseState } from '../codec.js';
import { readStateText } from '../factory.js';
import type { StateFile } from '../model.js';
import { PgBackend } from './backend.js';

export interface LockRequest {
  info: Omit<LockInfo, 'id'>;
  timeoutMs: number;
}

export type PushResult = { serial: number; forced: boolean };

/**
 * Stores `text` (read from `source`) as the backend's new state. A stored state with the same or a
 * higher serial is refused unless `force`, which writes the pushed content as the next serial (so
 * history stays in order and the overwritten version remains readable). A different lineage is always
 * refused: an unrelated state belongs in its own workspace.
 */
export async function pushState(backend: StateBackend, text: string, source: string, force: boolean): Promise<PushResult> {
  const pushed = parseState(text, source);
  const stored = await backend.read();
  if (stored !== null && stored.lineage !== pushed.lineage) {
    throw transferError(
      'Cannot push: the state belongs to a different lineage',
      `${source} has lineage "${pushed.lineage}", but ${backend.description} holds lineage "${stored.lineage}". ` +
        'They are different estates; push into an empty workspace instead ("phoenix workspace new NAME").',
    );
  }
  if (stored !== null && pushed.serial <= stored.serial) {
    if (!force) {
      throw transferError(
        'Cannot push: the stored state is newer',
        `${backend.description} is at serial ${stored.serial}; ${source} is at serial ${pushed.serial}. Pushing it would ` +
          'lose the changes recorded since. Pull the current state first, or use -force to store this content as ' +
          `serial ${stored.serial + 1} (the current version stays in the history).`,
      );
    }
    await backend.write({ ...pushed, serial: stored.serial + 1 });
    return { serial: stored.serial + 1, forced: true };
  }
  await storeText(backend, text, pushed);
  return { serial: pushed.serial, forced: false };
}

export type MigrationResult =
  | { outcome: 'copied'; serial: number }
  | { outcome: 'no-state' }
  | { outcome: 'already-there'; serial: number };

/** Copies the current state of `from` into `to`, both locked, unless `to` already has it or something newer. */
export async function migrateState(from: StateBackend, to: StateBackend, lock?: LockRequest): Promise<MigrationResult> {
  return withLocks([from, to], lock, async () => {
    const text = await readStateText(from);
    if (text === null) return { outcome: 'no-state' };
    const state = parseState(text, from.description);
    const existingText = await readStateText(to);
    if (existingText === text) return { outcome: 'already-there', serial: state.serial };
    if (existingText !== null) assertReplaceable(parseState(existingText, to.description), state, from, to);
    await storeText(to, text, state);
    return { outcome: 'copied', serial: state.serial };
  });
}

function assertReplaceable(existing: StateFile, incoming: StateFile, from: StateBackend, to: StateBackend): void {
  if (existing.lineage !== incoming.lineage) {
    throw transferError(
      'Cannot migrate: the destination holds a different state',
      `${to.description} already holds a state of lineage "${existing.lineage}"; ${from.description} has lineage ` +
        `"${incoming.lineage}". phoenix does not overwrite an unrelated state. Use another workspace or schema, or ` +
        'remove the destination state first.',
    );
  }
  if (existing.serial >= incoming.serial) {
    throw transferError(
      'Cannot migrate: the destination state is newer',
      `${to.description} is at serial ${existing.serial}, ${from.description} at serial ${incoming.serial}: copying ` +
        'would lose changes. Check which one is current; "phoenix state pull" shows the stored state.',
    );
  }
}

/** pg keeps the exact text; other backends store the parsed state (the local file's serialisation is canonical). */
async function storeText(backend: StateBackend, text: string, state: StateFile): Promise<void> {
  if (backend instanceof PgBackend) await backend.writeText(text);
  else await backend.write(state);
}

async function withLocks<T>(backends: StateBackend[], lock: LockRequest | undefined, work: () => Promise<T>): Promise<T> {
  const held: LockHandle[] = [];
  try {
    if (lock !== undefined) {
      for (const backend of backends) held.push(await backend.lock(lock.info, lock.timeoutMs));
    }
    return await work();
  } finally {
    for (const handle of held.reverse()) await handle.release();
  }
}

function transferError(summary: string, detail: string): DiagnosticError {
  return new DiagnosticError([error(summary, `${detail}\n\nNothing has been changed.`)]);
}
