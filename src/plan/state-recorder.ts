/**
 * The working state during apply. Every change is recorded here and persisted through one queue, so
 * writes never overlap and each carries the next serial. Resource records are replaced, never
 * mutated, so a snapshot is a shallow copy.
 */
import type { OutputState, PendingOperation, ResourceState, StateFile } from '../state/model.js';
import { compare } from './refresh.js';

export class StateRecorder {
  private readonly resources: Map<string, ResourceState>;
  private readonly pending: Map<string, PendingOperation>;
  private outputs: Record<string, OutputState>;
  private queue: Promise<void> = Promise.resolve();
  private latest: StateFile;
  /** The write not yet started that new persist requests join. */
  private nextWrite: Promise<void> | undefined;
  private sortNextWrite = false;

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
   * Make sure the current state gets written: resolves once a write that includes every change made
   * so far is done. Writes never overlap; requests made while one is running are coalesced into the
   * next write, whose snapshot is taken when it starts (so a slow backend is not asked to write the
   * whole file once per resource). Each write carries the next serial. A failed write rejects for its
   * callers but does not block later writes.
   */
  persist(options: { sorted?: boolean } = {}): Promise<void> {
    if (options.sorted) this.sortNextWrite = true;
    if (!this.nextWrite) {
      const next = this.queue
        .catch(() => {})
        .then(() => {
          this.nextWrite = undefined;
          return this.write(this.snapshot());
        });
      this.nextWrite = next;
      this.queue = next;
    }
    return this.nextWrite;
  }

  private snapshot(): StateFile {
    const resources = [...this.resources.values()];
    if (this.sortNextWrite) resources.sort((a, b) => compare(a.address, b.address));
    this.sortNextWrite = false;
    this.latest = {
      ...this.latest,
      serial: this.latest.serial + 1,
      resources,
      outputs: this.outputs,
      pending: [...this.pending.values()],
    };
    return this.latest;
  }
}
