import { describe, expect, it } from 'vitest';
import { walk, type WalkOptions, type WalkTask } from '../../src/graph/walk.js';
import { deferred, settleMicrotasks, type Deferred } from './deferred.js';

/** A walk whose tasks each wait for the test to finish them; records start order. */
function controlledWalk(tasks: WalkTask[], options: Partial<WalkOptions> = {}) {
  const started: string[] = [];
  const running = new Map<string, Deferred>();
  const report = walk(tasks, {
    parallelism: 10,
    keyLimit: () => 1,
    ...options,
    run: (id) => {
      started.push(id);
      const d = deferred();
      running.set(id, d);
      return d.promise;
    },
  });
  const finish = async (id: string, error?: unknown) => {
    const d = running.get(id);
    if (d === undefined) throw new Error(`${id} is not running`);
    running.delete(id);
    if (error === undefined) d.resolve();
    else d.reject(error);
    await settleMicrotasks();
  };
  return { started, running, report, finish };
}

const task = (id: string, dependsOn: string[] = [], keys?: string[]): WalkTask => ({ id, dependsOn, keys });

describe('walk', () => {
  it('starts a task only after all its dependencies succeeded', async () => {
    const w = controlledWalk([task('app', ['db', 'net']), task('db'), task('net')]);
    await settleMicrotasks();
    expect(w.started).toEqual(['db', 'net']);
    await w.finish('db');
    expect(w.started).toEqual(['db', 'net']);
    await w.finish('net');
    expect(w.started).toEqual(['db', 'net', 'app']);
    await w.finish('app');
    const report = await w.report;
    expect([...report.values()].map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('skips dependents of a failure transitively, naming the failed task, while independent tasks run on', async () => {
    const w = controlledWalk([task('a'), task('b', ['a']), task('c', ['b']), task('d'), task('e', ['d'])]);
    await settleMicrotasks();
    const boom = new Error('pct create failed');
    await w.finish('a', boom);
    await w.finish('d');
    await w.finish('e');
    const report = await w.report;
    expect(report.get('a')).toEqual({ status: 'failed', error: boom });
    expect(report.get('b')).toEqual({ status: 'skipped', skippedBecause: 'a' });
    expect(report.get('c')).toEqual({ status: 'skipped', skippedBecause: 'a' });
    expect(report.get('e')!.status).toBe('succeeded');
    expect(w.started).not.toContain('b');
  });

  it('passes a join on the moment its dependencies succeeded, without work, slot or report entry', async () => {
    const join: WalkTask = { id: 'all of a', dependsOn: ['a0', 'a1'], join: true };
    // parallelism 1: were the join to take the slot or wait for one, "b0" could not start right after "a1".
    const w = controlledWalk([task('a0'), task('a1'), join, task('b0', ['all of a']), task('b1', ['all of a'])], { parallelism: 1 });
    await settleMicrotasks();
    await w.finish('a0');
    expect(w.started).toEqual(['a0', 'a1']);
    await w.finish('a1');
    expect(w.started).toEqual(['a0', 'a1', 'b0']);
    await w.finish('b0');
    await w.finish('b1');
    const report = await w.report;
    expect(w.started).not.toContain('all of a');
    expect([...report.keys()].sort()).toEqual(['a0', 'a1', 'b0', 'b1']);
    expect([...report.values()].every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('skips through a join, naming the failed task, and readies a join without dependencies at once', async () => {
    const w = controlledWalk([
      task('a0'),
      task('a1'),
      { id: 'all of a', dependsOn: ['a0', 'a1'], join: true },
      task('b0', ['all of a']),
      { id: 'nothing', dependsOn: [], join: true },
      task('c', ['nothing']),
    ]);
    await settleMicrotasks();
    expect(w.started).toEqual(['a0', 'a1', 'c']);
    await w.finish('a1', new Error('pct create failed'));
    await w.finish('a0');
    await w.finish('c');
    const report = await w.report;
    expect(report.get('b0')).toEqual({ status: 'skipped', skippedBecause: 'a1' });
    expect(report.has('all of a')).toBe(false);
    expect(w.started).not.toContain('b0');
  });

  it('records a run that throws synchronously as failed', async () => {
    const report = await walk([task('a'), task('b', ['a'])], {
      parallelism: 1,
      keyLimit: () => 1,
      run: () => {
        throw new Error('sync');
      },
    });
    expect(report.get('a')!.status).toBe('failed');
    expect(report.get('b')).toEqual({ status: 'skipped', skippedBecause: 'a' });
  });

  it('holds no slot while waiting on dependencies', async () => {
    // parallelism 2: "b" waits on "a" but must not keep "c" and "d" from using the second slot in turn.
    const w = controlledWalk([task('a'), task('b', ['a']), task('c'), task('d')], { parallelism: 2 });
    await settleMicrotasks();
    expect(w.started).toEqual(['a', 'c']);
    await w.finish('c');
    expect(w.started).toEqual(['a', 'c', 'd']);
    await w.finish('d');
    await w.finish('a');
    await w.finish('b');
    await w.report;
  });

  it('never runs more tasks on a key than its limit, and a saturated key does not block other keys', async () => {
    const w = controlledWalk(
      [task('n1-a', [], ['n1']), task('n1-b', [], ['n1']), task('n1-c', [], ['n1']), task('n2-a', [], ['n2'])],
      { keyLimit: (key) => (key === 'n1' ? 2 : 1) },
    );
    await settleMicrotasks();
    // n1-c is queued before n2-a but blocked by its key; n2-a starts anyway.
    expect(w.started).toEqual(['n1-a', 'n1-b', 'n2-a']);
    await w.finish('n2-a');
    expect(w.started).toHaveLength(3);
    await w.finish('n1-b');
    expect(w.started).toEqual(['n1-a', 'n1-b', 'n2-a', 'n1-c']);
    await w.finish('n1-a');
    await w.finish('n1-c');
    expect([...(await w.report).values()].every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('takes all keys of a task at once, so overlapping keys cannot deadlock', async () => {
    const keysOf: Record<string, string[]> = { ab: ['a', 'b'], ba: ['b', 'a'], a: ['a'], b: ['b'] };
    const w = controlledWalk(Object.entries(keysOf).map(([id, keys]) => task(id, [], keys)));
    await settleMicrotasks();
    while (w.running.size > 0) {
      const heldKeys = [...w.running.keys()].flatMap((id) => keysOf[id]!);
      expect(new Set(heldKeys).size).toBe(heldKeys.length);
      await w.finish([...w.running.keys()][0]!);
    }
    expect([...(await w.report).values()].every((r) => r.status === 'succeeded')).toBe(true);
    expect(w.started.sort()).toEqual(['a', 'ab', 'b', 'ba']);
  });

  it('after stop, starts nothing new, lets running tasks finish and cancels the rest', async () => {
    const stop = new AbortController();
    const w = controlledWalk([task('a'), task('b'), task('c', ['a']), task('d')], { parallelism: 2, stop: stop.signal });
    await settleMicrotasks();
    expect(w.started).toEqual(['a', 'b']);
    stop.abort();
    await w.finish('a');
    await w.finish('b', new Error('late failure'));
    const report = await w.report;
    expect(w.started).toEqual(['a', 'b']);
    expect(report.get('a')!.status).toBe('succeeded');
    expect(report.get('b')!.status).toBe('failed');
    expect(report.get('c')!.status).toBe('cancelled');
    expect(report.get('d')!.status).toBe('cancelled');
  });

  it('runs nothing when stopped before it begins', async () => {
    const stop = new AbortController();
    stop.abort();
    const started: string[] = [];
    const report = await walk([task('a'), task('b', ['a'])], {
      parallelism: 4,
      keyLimit: () => 1,
      stop: stop.signal,
      run: async (id) => void started.push(id),
    });
    expect(started).toEqual([]);
    expect([...report.values()].map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('completes an empty walk', async () => {
    expect((await walk([], { parallelism: 1, keyLimit: () => 1, run: async () => {} })).size).toBe(0);
  });

  it('rejects unknown dependencies, duplicate ids, cycles and limits below 1 as programming errors', async () => {
    const options: WalkOptions = { parallelism: 2, keyLimit: () => 1, run: async () => {} };
    await expect(walk([task('a', ['ghost'])], options)).rejects.toThrow(/unknown task "ghost"/);
    await expect(walk([task('a'), task('a')], options)).rejects.toThrow(/duplicate/);
    await expect(walk([task('a', ['b']), task('b', ['a'])], options)).rejects.toThrow(/cycle/);
    await expect(walk([task('a')], { ...options, parallelism: 0 })).rejects.toThrow(/parallelism/);
    await expect(walk([task('a', [], ['k'])], { ...options, keyLimit: () => 0 })).rejects.toThrow(/keyLimit/);
  });
});
