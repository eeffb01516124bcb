/** Moving a state between the local file and pg: exact round trips, never over a newer state. */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeState } from '../../src/state/codec.js';
import { LocalBackend } from '../../src/state/local.js';
import { migrateState } from '../../src/state/pg/transfer.js';
import { backendSet, testPostgresUrl } from '../helpers/pg.js';
import { sampleState, tempStatePath } from './fixtures.js';

const url = await testPostgresUrl();
const lock = {
  info: { operation: 'migrate', who: 'test@host', host: 'host', pid: process.pid, version: '0.1.0', created: new Date().toISOString() },
  timeoutMs: 0,
};

describe.skipIf(url === undefined)('state migration local ⇄ pg', () => {
  const set = backendSet(url!);
  afterEach(() => set.cleanup());

  it('round-trips local → pg → local byte for byte, and leaves both locks free', async () => {
    const local = new LocalBackend(await tempStatePath());
    await local.write(sampleState(1));
    await local.write(sampleState(2)); // history on the local side too: the copy is the current version
    const original = await readFile(local.path, 'utf8');

    const pg = set.open();
    expect(await migrateState(local, pg, lock)).toEqual({ outcome: 'copied', serial: 2 });
    expect(await pg.readText()).toBe(original);

    const back = new LocalBackend(await tempStatePath());
    expect(await migrateState(pg, back, lock)).toEqual({ outcome: 'copied', serial: 2 });
    expect(await readFile(back.path, 'utf8')).toBe(original);

    // Both sides were unlocked afterwards: another run can take them.
    await (await pg.lock(lock.info, 0)).release();
    await (await local.lock(lock.info, 0)).release();
  });

  it('does nothing when the destination already has the same state, or the source has none', async () => {
    const local = new LocalBackend(await tempStatePath());
    const pg = set.open();
    expect(await migrateState(local, pg, lock)).toEqual({ outcome: 'no-state' });
    await local.write(sampleState(3));
    await migrateState(local, pg, lock);
    expect(await migrateState(local, pg, lock)).toEqual({ outcome: 'already-there', serial: 3 });
    expect((await pg.history()).length).toBe(1);
  });

  it('refuses to overwrite a newer or unrelated destination state', async () => {
    const local = new LocalBackend(await tempStatePath());
    await local.write(sampleState(2));
    const newer = set.open();
    await newer.write(sampleState(5));
    await expect(migrateState(local, newer, lock)).rejects.toThrow(/destination state is newer/);
    expect(await newer.readText()).toBe(serializeState(sampleState(5)));

    const unrelated = set.open();
    await unrelated.write(sampleState(1, 'someone-else'));
    await expect(migrateState(local, unrelated, lock)).rejects.toThrow(/destination holds a different state/);
  });

  it('moves the pg state into a local file older than it', async () => {
    const pg = set.open();
    await pg.write(sampleState(4));
    const local = new LocalBackend(await tempStatePath());
    await writeFile(local.path, serializeState(sampleState(1)));
    expect(await migrateState(pg, local, lock)).toEqual({ outcome: 'copied', serial: 4 });
    expect(await readFile(local.path, 'utf8')).toBe(serializeState(sampleState(4)));
  });
});
