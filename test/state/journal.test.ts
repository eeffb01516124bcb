/** The local backend's journal: appends survive a crash, are replayed on load and compacted away. */
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBackend } from '../../src/state/local.js';
import type { PendingOperation, ResourceState } from '../../src/state/model.js';
import { sampleState, tempStatePath } from './fixtures.js';

const LOCK = { operation: 'apply', who: 'test', host: 'h', pid: process.pid, version: '0.1.0', created: 'now' };

const resource = (name: string): ResourceState => ({
  address: `test_resource.${name}`,
  type: 'test_resource',
  name,
  provider: 'builtin',
  attributes: { name },
  sensitive_attributes: [],
  dependencies: [],
});

const pendingCreate = (name: string): PendingOperation => ({
  id: `op-${name}`,
  address: `test_resource.${name}`,
  type: 'test_resource',
  action: 'create',
  identity: { name },
  dependencies: [],
  started_at: 'now',
});

describe('state journal (local backend)', () => {
  it('records changes without rewriting the state file; a run killed before compaction loses none of them', async () => {
    const path = await tempStatePath();
    const base = sampleState(4);
    const run = new LocalBackend(path);
    await run.write(base);
    const fileBefore = await readFile(path, 'utf8');
    const journal = await run.openJournal(base);
    await journal.append([{ op: 'pending', operation: pendingCreate('a') }]);
    await journal.append([{ op: 'put', resource: resource('a') }, { op: 'done', id: 'op-a' }, { op: 'pending', operation: pendingCreate('b') }]);
    expect(await readFile(path, 'utf8')).toBe(fileBefore); // O(1) per record: only the journal grows
    // "kill -9": the run never compacts. The next run sees every acknowledged record.
    const next = await new LocalBackend(path).read();
    expect(next!.serial).toBe(5);
    expect(next!.resources.map((r) => r.address).sort()).toEqual(['lxc.web', 'test_resource.a']);
    expect(next!.pending.map((p) => p.id)).toEqual(['op-b']);
  });

  it('a locked load compacts the journal into the file; a full write does too', async () => {
    const path = await tempStatePath();
    const base = sampleState(1);
    const run = new LocalBackend(path);
    await run.write(base);
    await (await run.openJournal(base)).append([{ op: 'put', resource: resource('a') }]);

    const next = new LocalBackend(path);
    const lock = await next.lock(LOCK, 1000);
    const loaded = await next.read();
    await lock.release();
    expect(loaded!.serial).toBe(2);
    expect(await readdir(dirname(path))).not.toContain('phoenix.state.json.journal');
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ serial: 2, resources: [{ address: 'lxc.web' }, { address: 'test_resource.a' }] });

    // The end of a run: the whole state written once, the journal gone.
    const journal = await next.openJournal(loaded!);
    await journal.append([{ op: 'remove', address: 'test_resource.a' }]);
    await next.write({ ...loaded!, serial: 3, resources: loaded!.resources.filter((r) => r.address !== 'test_resource.a') });
    expect(await readdir(dirname(path))).not.toContain('phoenix.state.json.journal');
    expect((await next.read())!.resources.map((r) => r.address)).toEqual(['lxc.web']);
  });

  it('drops a torn last line (an append cut by the crash), ignores a journal of an older snapshot, refuses a corrupt one', async () => {
    const path = await tempStatePath();
    const base = sampleState(7);
    const run = new LocalBackend(path);
    await run.write(base);
    await (await run.openJournal(base)).append([{ op: 'put', resource: resource('a') }]);
    await appendFile(`${path}.journal`, '{"op":"put","resource":{"addr');
    expect((await new LocalBackend(path).read())!.resources).toHaveLength(2);

    // Compacted, but killed before the journal was removed: the file moved on, the journal is stale.
    await writeFile(path, JSON.stringify({ ...base, serial: 8, resources: [] }));
    expect((await new LocalBackend(path).read())!.resources).toEqual([]);

    await writeFile(path, JSON.stringify(base));
    await writeFile(`${path}.journal`, 'not a journal\n');
    await expect(new LocalBackend(path).read()).rejects.toThrow(/unreadable journal/);
  });

  it('writes the first state whole before journaling onto it, and refuses a base older than the stored state', async () => {
    const path = await tempStatePath();
    const fresh = { ...sampleState(0), resources: [] };
    const journal = await new LocalBackend(path).openJournal(fresh);
    await journal.append([{ op: 'put', resource: resource('first') }]);
    expect((await new LocalBackend(path).read())!.resources.map((r) => r.name)).toEqual(['first']);

    const other = new LocalBackend(await tempStatePath());
    await other.write(sampleState(3));
    await expect(other.openJournal(sampleState(2))).rejects.toThrow(/stale serial/);
  });

  it('the next run taking the lock removes temporary files of writes killed midway, not those of live writers', async () => {
    const path = await tempStatePath();
    await new LocalBackend(path).write(sampleState(1));
    const dir = dirname(path);
    const dead = join(dir, 'phoenix.state.json.tmp-2147483646-0a1b2c');
    const deadBackup = join(dir, 'phoenix.state.json.backup.tmp-2147483646-0a1b2c');
    const live = join(dir, `phoenix.state.json.tmp-${process.pid}-3d4e5f`);
    for (const file of [dead, deadBackup, live]) await writeFile(file, '{"half":');
    const backend = new LocalBackend(path);
    const lock = await backend.lock(LOCK, 1000);
    await lock.release();
    const left = await readdir(dir);
    expect(left).not.toContain('phoenix.state.json.tmp-2147483646-0a1b2c');
    expect(left).not.toContain('phoenix.state.json.backup.tmp-2147483646-0a1b2c');
    expect(left).toContain(`phoenix.state.json.tmp-${process.pid}-3d4e5f`);
  });
});
