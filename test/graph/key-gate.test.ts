import { describe, expect, it } from 'vitest';
import { KeyGate } from '../../src/graph/key-gate.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyGate', () => {
  it('lets at most the key limit hold a key, in arrival order, and never deadlocks on overlapping key sets', async () => {
    const gate = new KeyGate((key) => (key === 'storage:pve/tank' ? 2 : 1));
    const inside = new Map<string, number>();
    const peaks = new Map<string, number>();
    const order: string[] = [];
    const run = (name: string, keys: string[]) =>
      gate.hold(keys, async () => {
        for (const k of keys) {
          inside.set(k, (inside.get(k) ?? 0) + 1);
          peaks.set(k, Math.max(peaks.get(k) ?? 0, inside.get(k)!));
        }
        order.push(name);
        await tick();
        for (const k of keys) inside.set(k, inside.get(k)! - 1);
        return name;
      });
    const results = await Promise.all([
      run('a', ['clone-source:pve/900', 'storage:pve/tank']),
      run('b', ['storage:pve/tank', 'clone-source:pve/900']),
      run('c', ['storage:pve/tank']),
      run('d', ['storage:pve/tank']),
      run('e', ['clone-source:pve/901']),
    ]);
    expect(results).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(peaks.get('clone-source:pve/900')).toBe(1);
    expect(peaks.get('storage:pve/tank')).toBe(2);
    expect(order.slice(0, 3)).toEqual(['a', 'c', 'e']); // b waits for a's source, d for a free storage slot
  });

  it('releases the keys when the work fails', async () => {
    const gate = new KeyGate(() => 1);
    await expect(gate.hold(['k'], async () => Promise.reject(new Error('copy failed')))).rejects.toThrow('copy failed');
    expect(await gate.hold(['k'], async () => 'next')).toBe('next');
  });
});
