/** The pg backend's journal: one row per record, replayed on load, compacted by the next whole write. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceState } from '../../src/state/model.js';
import { adminQuery, backendSet, testPostgresUrl } from '../helpers/pg.js';
import { sampleState } from './fixtures.js';

const url = await testPostgresUrl();
const LOCK = { operation: 'apply', who: 'test@host', host: 'host', pid: process.pid, version: '0.1.0', created: 'now' };

const resource = (name: string): ResourceState => ({
  address: `test_resource.${name}`,
  type: 'test_resource',
  name,
  provider: 'builtin',
  attributes: { name },
  sensitive_attributes: [],
  dependencies: [],
});

describe.skipIf(url === undefined)('state journal (pg backend)', () => {
  const set = backendSet(url!);
  afterEach(() => set.cleanup());

  it('keeps appended records without a new version; a killed run loses none; a locked load compacts them', async () => {
    const schema = set.newSchema();
    const run = set.open({ schema });
    await run.write(sampleState(1));
    const journal = await run.openJournal(sampleState(1));
    await journal.append([{ op: 'put', resource: resource('a') }]);
    await journal.append([{ op: 'put', resource: resource('b') }, { op: 'remove', address: 'test_resource.a' }]);
    expect(await run.history()).toHaveLength(1); // no whole state per record
    expect(await adminQuery(url!, `SELECT count(*)::int AS n FROM ${schema}.journal`)).toEqual([{ n: 3 }]);
    await run.close(); // killed: never compacted

    const next = set.open({ schema });
    const unlocked = await next.read();
    expect(unlocked!.serial).toBe(2);
    expect(unlocked!.resources.map((r) => r.address)).toEqual(['lxc.web', 'test_resource.b']);
    expect(await next.history()).toHaveLength(1);

    const lock = await next.lock(LOCK, 0);
    expect((await next.read())!.resources.map((r) => r.address)).toEqual(['lxc.web', 'test_resource.b']);
    await lock.release();
    expect((await next.history()).map((v) => v.serial)).toEqual([2, 1]);
    expect(await adminQuery(url!, `SELECT count(*)::int AS n FROM ${schema}.journal`)).toEqual([{ n: 0 }]);
  });

  it('a first apply stores its base version before journaling onto it', async () => {
    const pg = set.open();
    const fresh = { ...sampleState(0), resources: [] };
    await (await pg.openJournal(fresh)).append([{ op: 'put', resource: resource('first') }]);
    expect((await pg.read())!.resources.map((r) => r.name)).toEqual(['first']);
  });
});
