/**
 * Retrying host commands that failed only because another process held a Proxmox lock (another guest
 * operation, a backup, pvestatd...). Such failures are transient; anything else is returned at once.
 */

/** stderr fragments Proxmox prints when a config or storage lock is busy. */
const LOCK_CONTENTION = [
  /can't lock file '[^']*' - got timeout/,
  /\bCT is locked\b/,
  /\bVM is locked\b/,
  /trying to acquire lock/,
];

export function isLockContention(stderr: string): boolean {
  return LOCK_CONTENTION.some((pattern) => pattern.test(stderr));
}

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injectable for tests, so they neither wait nor depend on chance. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Delay before retry number `retry` (1-based): exponential (base, 2×base, 4×base... capped), with the upper
 * half jittered so parallel operations that collided on one lock do not collide again in lockstep.
 */
export function backoffDelayMs(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/** Call `attempt` until `shouldRetry` says no or the attempts are used up; returns the last outcome. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  shouldRetry: (outcome: T) => boolean,
  policy: RetryPolicy,
): Promise<T> {
  let outcome = await attempt();
  for (let retry = 1; retry < policy.attempts && shouldRetry(outcome); retry++) {
    await policy.sleep(backoffDelayMs(retry, policy));
    outcome = await attempt();
  }
  return outcome;
}
