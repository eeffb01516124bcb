/**
 * Concurrency slots for the walker: one global pool (parallelism) plus one pool per key (e.g. a Proxmox
 * node). A task takes a slot in the global pool and in each of its keys at once, or none at all, so
 * overlapping keys can never deadlock (no hold-and-wait).
 *
 * Ready tasks that cannot start wait without holding anything. A task whose keys are saturated is parked
 * on one saturated key and is looked at again only when that key frees a slot, so a blocked task never
 * holds up others (no head-of-line blocking) and no completion rescans every waiting task.
 */
import { Queue } from './queue.js';

export interface SlotTask {
  readonly id: string;
  readonly keys: readonly string[];
}

export class Slots<T extends SlotTask> {
  private globalInUse = 0;
  private readonly keyInUse = new Map<string, number>();
  /** Ready tasks not known to be blocked by a key. */
  private readonly ready = new Queue<T>();
  /** Tasks waiting for a slot of the key; the key was saturated when they were parked. */
  private readonly parked = new Map<string, Queue<T>>();
  /** Keys that freed a slot while tasks were parked on them: their waiters are due another look. */
  private readonly reopened = new Set<string>();

  constructor(
    private readonly parallelism: number,
    /** The limit of every key any task holds (validated by the caller). */
    private readonly keyLimits: ReadonlyMap<string, number>,
  ) {}

  enqueue(task: T): void {
    this.ready.push(task);
  }

  /**
   * The next task that can start now, with its slots already taken, or undefined. Parked tasks whose key
   * reopened go first, as they have usually waited longest. A parked task sits only on a saturated key,
   * and every release of that key reopens it, so no waiter is ever forgotten.
   */
  takeStartable(): T | undefined {
    while (this.globalInUse < this.parallelism) {
      const candidate = this.nextCandidate();
      if (candidate === undefined) return undefined;
      const blockingKey = candidate.keys.find((key) => this.isSaturated(key));
      if (blockingKey !== undefined) {
        this.park(candidate, blockingKey);
        continue;
      }
      this.acquire(candidate);
      return candidate;
    }
    return undefined;
  }

  release(task: T): void {
    this.globalInUse--;
    for (const key of task.keys) {
      this.keyInUse.set(key, this.keyInUse.get(key)! - 1);
      if ((this.parked.get(key)?.length ?? 0) > 0) this.reopened.add(key);
    }
  }

  /** Forgets every task still waiting for a slot (after a stop they will never start). */
  dropWaiting(): void {
    while (this.ready.shift() !== undefined);
    this.parked.clear();
    this.reopened.clear();
  }

  private nextCandidate(): T | undefined {
    for (const key of this.reopened) {
      const queue = this.parked.get(key)!;
      if (queue.length === 0 || this.isSaturated(key)) {
        this.reopened.delete(key);
        continue;
      }
      return queue.shift();
    }
    return this.ready.shift();
  }

  private park(task: T, key: string): void {
    let queue = this.parked.get(key);
    if (queue === undefined) this.parked.set(key, (queue = new Queue<T>()));
    queue.push(task);
  }

  private acquire(task: T): void {
    this.globalInUse++;
    for (const key of task.keys) this.keyInUse.set(key, (this.keyInUse.get(key) ?? 0) + 1);
  }

  private isSaturated(key: string): boolean {
    return (this.keyInUse.get(key) ?? 0) >= this.keyLimits.get(key)!;
  }
}
