/**
 * The working state during apply. Every change is recorded here and persisted through one queue, so
 * writes never overlap. Resource records are replaced, never mutated, so a snapshot is a shallow copy.
 *
 * With a journal (backends that offer one), a persist appends just the changes made since the last
 * one — O(1) per resource whatever the estate — and the final persist writes the whole state once,
 * compacting the journal. Without one, every persist writes the whole state with the next serial.
 */
import { journaledSerial, type JournalEntry, type StateJournal } from '../state/journal.js';
import type { OutputState, PendingOperation, ResourceState, StateFile } from '../state/model.js';
import { compare } from './refresh.js';

export interface StateWriter {
  /** Writes a whole state (atomic, next serial). */
  write(state: StateFile): Promise<void>;
  /** Opens the journal for changes on top of `base` (already stored, or compacted first). */
  openJournal?(base: StateFile): Promise<StateJournal>;
}

export class StateRecorder {
  private readonly resources: Map<string, ResourceState>;
  private readonly pending: Map<string, PendingOperation>;
  private outputs: Record<string, OutputState>;
  private queue: Promise<void> = Promise.resolve();
  private latest: StateFile;
  /** The write not yet started that new persist requests join. */
  private nextWrite: Promise<void> | undefined;
  private fullNextWrite = false;
  /** Changes since the last journal append. */
  private unjournaled: JournalEntry[] = [];
  private journal: Promise<StateJournal> | undefined;

  constructor(
    private readonly initial: StateFile,
    private readonly writer: StateWriter,
  ) {
    this.resources = new Map(initial.resources.map((r) => [r.address, r]));
    this.pending = new Map(initial.pending.map((p) => [p.id, p]));
    this.outputs = initial.outputs;
    this.latest = initial;
  }

  resource(address: string): ResourceState | undefined {
    return this.resources.get(address);
  }

  putResource(resource: ResourceState): void {
    this.resources.set(resource.address, resource);
    this.unjournaled.push({ op: 'put', resource });
  }

  removeResource(address: string): void {
    this.resources.delete(address);
    this.unjournaled.push({ op: 'remove', address });
  }

  addPending(operation: PendingOperation): void {
    this.pending.set(operation.id, operation);
    this.unjournaled.push({ op: 'pending', operation });
  }

  removePending(id: string): void {
    this.pending.delete(id);
    this.unjournaled.push({ op: 'done', id });
  }

  setOutputs(outputs: Record<string, OutputState>): void {
    this.outputs = outputs;
    this.unjournaled.push({ op: 'outputs', outputs });
  }

  /** The last whole state handed to the backend (what is stored once the queue drains). */
  get state(): StateFile {
    return this.latest;
  }

  /**
   * Make sure every change made so far gets stored: resolves once a write that includes them is done.
   * Writes never overlap; requests made while one is running are coalesced into the next write, whose
   * content is taken when it starts. `full` writes the whole state (sorted), also with a journal: the
   * end of a run. A failed write rejects for its callers but does not block later writes.
   */
  persist(options: { full?: boolean } = {}): Promise<void> {
    if (options.full) this.fullNextWrite = true;
    if (!this.nextWrite) {
      const next = this.queue
        .catch(() => {})
        .then(() => {
          this.nextWrite = undefined;
          return this.writeNow();
        });
      this.nextWrite = next;
      this.queue = next;
    }
    return this.nextWrite;
  }

  private async writeNow(): Promise<void> {
    const full = this.fullNextWrite;
    this.fullNextWrite = false;
    if (!full && this.writer.openJournal) {
      const entries = this.unjournaled;
      this.unjournaled = [];
      if (entries.length === 0) return;
      this.journal ??= this.writer.openJournal(this.initial);
      try {
        await (await this.journal).append(entries);
      } catch (e) {
        this.journal = undefined; // a failed open is retried by the next write
        this.unjournaled = [...entries, ...this.unjournaled];
        throw e;
      }
      return;
    }
    this.unjournaled = [];
    await this.writer.write(this.snapshot(full));
  }

  private snapshot(sorted: boolean): StateFile {
    const resources = [...this.resources.values()];
    if (sorted) resources.sort((a, b) => compare(a.address, b.address));
    // A journaled run's changes, replayed or compacted, are the one serial after the state it started from.
    const serial = this.writer.openJournal ? journaledSerial(this.initial) : this.latest.serial + 1;
    this.latest = { ...this.latest, serial, resources, outputs: this.outputs, pending: [...this.pending.values()] };
    return this.latest;
  }
}
