/**
 * The state journal: during apply, each change of the state (a pending record before a host operation
 * starts, the resulting object after it) is appended durably instead of rewriting the whole state, so
 * recording a resource costs the same at 10 objects as at 20,000. The journal belongs to one snapshot
 * (its lineage and serial); reading the state replays it onto that snapshot, and a full write (the end
 * of a run, or the first locked load after a crash) compacts it away. A journal whose snapshot has been
 * replaced since (a crash between compaction and removing the journal) no longer matches and is ignored.
 */
import type { OutputState, PendingOperation, ResourceState, StateFile } from './model.js';

export type JournalEntry =
  | { op: 'put'; resource: ResourceState }
  | { op: 'remove'; address: string }
  | { op: 'pending'; operation: PendingOperation }
  | { op: 'done'; id: string }
  | { op: 'outputs'; outputs: Record<string, OutputState> };

/** Which snapshot the entries apply to. */
export interface JournalBase {
  lineage: string;
  serial: number;
}

/** An open journal for one run: `append` resolves once the entries are durable. */
export interface StateJournal {
  append(entries: readonly JournalEntry[]): Promise<void>;
}

/** The serial of a snapshot with its journal replayed: every journaled run writes its changes as the next serial. */
export function journaledSerial(base: JournalBase): number {
  return base.serial + 1;
}

/**
 * The snapshot with the entries applied in order (O(state + entries)). No entries: the snapshot
 * unchanged. The caller checks the shape of the result, as it does for any state it loads.
 */
export function replayJournal(snapshot: StateFile, entries: readonly JournalEntry[]): StateFile {
  if (entries.length === 0) return snapshot;
  const resources = new Map(snapshot.resources.map((r) => [r.address, r]));
  const pending = new Map(snapshot.pending.map((p) => [p.id, p]));
  let outputs = snapshot.outputs;
  for (const entry of entries) {
    switch (entry.op) {
      case 'put':
        resources.set(entry.resource.address, entry.resource);
        break;
      case 'remove':
        resources.delete(entry.address);
        break;
      case 'pending':
        pending.set(entry.operation.id, entry.operation);
        break;
      case 'done':
        pending.delete(entry.id);
        break;
      case 'outputs':
        outputs = entry.outputs;
        break;
    }
  }
  return { ...snapshot, serial: journaledSerial(snapshot), resources: [...resources.values()], pending: [...pending.values()], outputs };
}

const OPS = new Set(['put', 'remove', 'pending', 'done', 'outputs']);

/**
 * Journal lines (one JSON object each; the first is the base) → base and entries. A last line cut
 * short by a crash mid-append was never acknowledged, so it is dropped; anything else unreadable
 * makes the journal unusable (undefined), like a corrupt state file.
 */
export function parseJournalLines(text: string): { base: JournalBase; entries: JournalEntry[] } | undefined {
  // What follows the last newline is empty, or a torn append.
  const complete = text.split('\n').slice(0, -1);
  const [head, ...rest] = complete.map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return undefined;
    }
  });
  const base = head as Partial<JournalBase> | undefined;
  if (!base || typeof base.lineage !== 'string' || !Number.isSafeInteger(base.serial)) return undefined;
  if (rest.some((entry) => !OPS.has((entry as { op?: string } | undefined)?.op ?? ''))) return undefined;
  return { base: { lineage: base.lineage, serial: base.serial! }, entries: rest as JournalEntry[] };
}

export function journalLine(value: JournalBase | JournalEntry): string {
  return `${JSON.stringify(value)}\n`;
}
