/**
 * The pg backend's lock. Each PgBackend has its own database session, exactly like separate phoenix
 * processes; closing one without releasing is what a killed process does to its connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LockInfo } from '../../src/state/backend.js';
import { adminQuery, backendSet, testPostgresUrl } from '../helpers/pg.js';
import { rejectionText, sampleState } from './fixtures.js';

const url = await testPostgresUrl();

function request(operation: string, who: string): Omit<LockInfo, 'id'> {
  return { operation, who, host: 'ci-runner-1', pid: 4242, version: '0.1.0', created: '2026-01-02T03:04:05Z' };
}

describe.skipIf(url === undefined)('pg backend: lock', () => {
  const set = backendSet(url!);
  afterEach(() => set.cleanup());

  it('lets one run hold a workspace; the other fails at once naming the holder', async () => {
    const schema = set.newSchema();
    const [holder, waiter] = [set.open({ schema }), set.open({ schema })];
    const held = await holder.lock(request('apply', 'alice@laptop'), 0);
    const message = await rejectionText(waiter.lock(request('plan', 'bob@ci'), 0));
    expect(message).toMatch(/Error acquiring the state lock/);
    expect(message).toContain(`ID:        ${held.info.id}`);
    expect(message).toContain('Who:       alice@laptop');
    expect(message).toContain('Operation: apply');
    expect(message).toContain(`phoenix force-unlock ${held.info.id}`);
    await held.release();
    const next = await waiter.lock(request('plan', 'bob@ci'), 0);
    await next.release();
    expect(holder.warnings).toEqual([]);
  });

  it('waits up to the lock timeout for the holder to release', async () => {
    const schema = set.newSchema();
    const [holder, waiter] = [set.open({ schema }), set.open({ schema })];
    const held = await holder.lock(request('apply', 'alice@laptop'), 0);
    const waiting = waiter.lock(request('apply', 'bob@ci'), 30_000);
    setTimeout(() => void held.release(), 300);
    const taken = await waiting;
    expect(taken.info.who).toBe('bob@ci');
    await taken.release();
  });

  it('frees the lock when the holder’s connection ends, replacing its leftover record with a warning', async () => {
    const schema = set.newSchema();
    const [holder, next] = [set.open({ schema }), set.open({ schema })];
    const dead = await holder.lock(request('apply', 'alice@laptop'), 0);
    await holder.close(); // no release: the record stays, the session (and its advisory lock) is gone

    const taken = await next.lock(request('apply', 'bob@ci'), 0);
    expect(next.warnings.map((w) => w.summary)).toEqual(['Replaced a stale state lock record']);
    expect(next.warnings[0]!.detail).toContain(dead.info.id);
    await taken.release();
  });

  it('force-unlock checks the id, then ends the holding session so the next run gets the lock', async () => {
    const schema = set.newSchema();
    const [holder, operator, next] = [set.open({ schema }), set.open({ schema }), set.open({ schema })];
    await holder.write(sampleState(1));
    const stuck = await holder.lock(request('apply', 'alice@laptop'), 0);

    expect(await rejectionText(operator.forceUnlock('not-the-id'))).toMatch(/does not match the existing lock ID/);
    await operator.forceUnlock(stuck.info.id);
    const taken = await next.lock(request('apply', 'bob@ci'), 0);

    // The unlocked run has lost its session: it can no longer write, and says why.
    expect(await rejectionText(holder.write(sampleState(2)))).toMatch(/connection to pg .* was closed/);
    expect(holder.warnings.map((w) => w.summary)).toContain('Lost the state lock');
    await stuck.release(); // a no-op now, never an error
    expect((await next.read())!.serial).toBe(1);
    await taken.release();
  });

  it('force-unlock of a workspace nobody holds says so', async () => {
    const backend = set.open();
    expect(await rejectionText(backend.forceUnlock('some-id'))).toMatch(/There is no lock on pg/);
  });

  it('warns the holder at release when its record was removed under it', async () => {
    const schema = set.newSchema();
    const [holder, other] = [set.open({ schema }), set.open({ schema })];
    const held = await holder.lock(request('apply', 'alice@laptop'), 0);
    // A record removed by hand (no session ended): the holder still has the lock, but should hear about it.
    await adminQuery(url!, `DELETE FROM "${schema}".locks`);
    await held.release();
    expect(holder.warnings.map((w) => w.summary)).toEqual(['State lock was removed while this run held it']);
    await (await other.lock(request('plan', 'bob@ci'), 0)).release();
  });

  it('locks each workspace separately', async () => {
    const schema = set.newSchema();
    const setup = set.open({ schema });
    await setup.createWorkspace('staging');
    const [production, staging] = [set.open({ schema }), set.open({ schema, workspace: 'staging' })];
    const held = await production.lock(request('apply', 'alice@laptop'), 0);
    await (await staging.lock(request('apply', 'bob@ci'), 0)).release();
    await held.release();
  });
});
