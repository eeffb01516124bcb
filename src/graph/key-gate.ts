/**
 * Concurrency keys taken in the middle of an operation (ProviderContext.hold): a full clone takes its
 * target storage's key and its source guest's key only around the copy, not for the whole create.
 *
 * A hold takes all its keys at once or none — it waits, holding nothing, until every key has a free
 * slot — so two holds over overlapping keys can never deadlock. Waiters are served in arrival order
 * per key set: a waiter is woken only when one of its keys is released.
 */
export class KeyGate {
  private readonly inUse = new Map<string, number>();
  private readonly waiters: { keys: readonly string[]; wake: () => void }[] = [];

  constructor(private readonly limitOf: (key: string) => number) {}

  async hold<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    while (!this.tryTake(unique)) {
      await new Promise<void>((wake) => this.waiters.push({ keys: unique, wake }));
    }
    try {
      return await work();
    } finally {
      for (const key of unique) this.inUse.set(key, this.inUse.get(key)! - 1);
      this.wakeWaitersOf(unique);
    }
  }

  private tryTake(keys: readonly string[]): boolean {
    if (keys.some((key) => (this.inUse.get(key) ?? 0) >= Math.max(1, this.limitOf(key)))) return false;
    for (const key of keys) this.inUse.set(key, (this.inUse.get(key) ?? 0) + 1);
    return true;
  }

  /** Wakes, in arrival order, the waiters that share a released key; each retries and re-queues if still blocked. */
  private wakeWaitersOf(released: readonly string[]): void {
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i]!;
      if (waiter.keys.some((key) => released.includes(key))) {
        this.waiters.splice(i, 1);
        waiter.wake();
      } else i++;
    }
  }
}
