import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isLockContention, withRetries, type RetryPolicy } from '../../src/exec/retry.js';

describe('isLockContention', () => {
  it.each([
    "can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout",
    "trying to acquire lock...\ncan't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout",
    'CT is locked (backup)',
    'VM is locked (clone)',
    'trying to acquire lock...',
  ])('recognises %j', (stderr) => {
    expect(isLockContention(stderr)).toBe(true);
  });

  it.each(["unable to parse value of 'memory'", 'Configuration file does not exist', "can't open file"])(
    'does not retry %j',
    (stderr) => {
      expect(isLockContention(stderr)).toBe(false);
    },
  );
});

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { delays: number[] } {
  const delays: number[] = [];
  return {
    attempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 15_000,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
    delays,
    ...overrides,
  };
}

describe('backoff', () => {
  it('doubles from the base delay and stops at the cap', () => {
    const p = policy({ maxDelayMs: 3000 });
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, p))).toEqual([500, 1000, 2000, 3000, 3000]);
  });

  it('jitters within the upper half of each step', () => {
    expect(backoffDelayMs(3, policy({ random: () => 0 }))).toBe(1000);
    expect(backoffDelayMs(3, policy({ random: () => 0.5 }))).toBe(1500);
  });
});

describe('withRetries', () => {
  it('retries while asked to and returns the first acceptable outcome', async () => {
    const p = policy();
    const outcomes = ['busy', 'busy', 'done', 'never'];
    const result = await withRetries(async () => outcomes.shift()!, (o) => o === 'busy', p);
    expect(result).toBe('done');
    expect(p.delays).toEqual([500, 1000]);
  });

  it('gives up after the configured attempts and returns the last outcome', async () => {
    const p = policy({ attempts: 3 });
    let calls = 0;
    const result = await withRetries(async () => `busy ${++calls}`, () => true, p);
    expect(result).toBe('busy 3');
    expect(p.delays).toHaveLength(2);
  });
});
