/**
 * The working state during apply. Every change is recorded here and persisted through one queue, so
 * writes never overlap and each carries the next serial. Snapshots are taken when persist is called;
 * resource records are replaced, never mutated, so a snapshot is a cheap shallow copy.
 */
import type { OutputState, PendingOperation, ResourceState, StateFile } from '../state/model.js';
import { compare } from './refresh.js';

export class StateRecorder {
  private readonly resources: Map<string, ResourceState>;
  private readonly pending: Map<string, PendingOperation>;
  private outputs: Record<string, OutputState>;
  private queue: Promise<void> = Promise.resolve();
  private latest: StateFile;

  constructor(
    initial: StateFile,
    private readonly write: (state: StateFile) => Promise<void>,
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
  }

  removeResource(address: string): void {
    this.resources.delete(address);
  }

  addPending(operation: PendingOperation): void {
    this.pending.set(operation.id, operation);
  }

  removePending(id: string): void {
    this.pending.delete(id);
  }

  setOutputs(outputs: Record<string, OutputState>): void {
    this.outputs = outputs;
  }

  /** The last state handed to persist (what is on disk once the queue drains). */
  get state(): StateFile {
    return this.latest;
  }

  /**
   * Queue a write of the current state with the next serial. Resolves when that write is done; a
   * failed write rejects for its caller but does not block later writes.
   */
  persist(options: { sorted?: boolean } = {}): Promise<void> {
    const resources = [...this.resources.values()];
    if (options.sorted) resources.sort((a, b) => compare(a.address, b.address));
    const snapshot: StateFile = {
      ...this.latest,
      serial: this.latest.serial + 1,
      resources,
      outputs: this.outputs,
      pending: [...this.pending.values()],
    };
    this.latest = snapshot;
    const written = this.queue.catch(() => {}).then(() => this.write(snapshot));
    this.queue = written;
    return written;
  }
}
