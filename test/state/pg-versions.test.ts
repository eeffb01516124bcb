/** The pg backend's stored states: first-use setup, transactional writes, history and byte-exact text. */
import { afterEach, describe, expect, it } from 'vitest';
import { serializeState } from '../../src/state/codec.js';
import { PgBackend } from '../../src/state/pg/backend.js';
import { pushState } from '../../src/state/pg/transfer.js';
import { adminQuery, backendSet, testPostgresUrl } from '../helpers/pg.js';
import { rejectionText, sampleState } from './fixtures.js';

const url = await testPostgresUrl();

describe.skipIf(url === undefined)('pg backend: stored states', () => {
  const set = backendSet(url!);
  afterEach(() => set.cleanup());

  it('reads null before the first write, then exactly the bytes it serialised', async () => {
    const backend = set.open();
    expect(await backend.read()).toBeNull();
    await backend.write(sampleState(1));
    expect(await backend.read()).toEqual(sampleState(1));
    expect(await backend.readText()).toBe(serializeState(sampleState(1)));
    expect(backend.description).toBe(`pg (schema ${backend.schema}, workspace default)`);
  });

  it('creates its tables once when many runs start at the same time on an empty database', async () => {
    const schema = set.newSchema();
    const backends = Array.from({ length: 6 }, () => set.open({ schema }));
    expect(await Promise.all(backends.map((b) => b.read()))).toEqual(backends.map(() => null));
    const applied = await adminQuery(url!, `SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(applied).toEqual([{ version: 1 }, { version: 2 }]); // every migration, each once
  });

  it('refuses tables migrated by a newer phoenix instead of guessing at them', async () => {
    const schema = set.newSchema();
    await set.open({ schema }).read();
    await adminQuery(url!, `INSERT INTO "${schema}".schema_migrations (version) VALUES (99)`);
    expect(await rejectionText(set.open({ schema }).read())).toMatch(/tables are from a newer phoenix[\s\S]*table version 99/);
  });

  it('stores pushed text verbatim, whatever its formatting', async () => {
    const backend = set.open();
    const handWritten = JSON.stringify(sampleState(3)); // one line, not phoenix's own layout
    await backend.writeText(handWritten);
    expect(await backend.readText()).toBe(handWritten);
  });

  it('rejects a stale serial or another lineage and leaves the stored state unchanged', async () => {
    const backend = set.open();
    await backend.write(sampleState(5));
    expect(await rejectionText(backend.write(sampleState(5)))).toMatch(/stale serial[\s\S]*at serial 5/);
    expect(await rejectionText(backend.write(sampleState(4)))).toMatch(/stale serial/);
    expect(await rejectionText(backend.write(sampleState(6, 'other-lineage')))).toMatch(/lineage mismatch/);
    expect(await backend.readText()).toBe(serializeState(sampleState(5)));
    expect((await backend.history()).map((v) => v.serial)).toEqual([5]);
  });

  it('lets exactly one of two unlocked writers of the same next serial win (no lost update)', async () => {
    const schema = set.newSchema();
    const [first, second] = [set.open({ schema }), set.open({ schema })];
    await first.write(sampleState(1));
    const withOutput = (value: string) => ({ ...sampleState(2), outputs: { who: { value, sensitive: false } } });
    const results = await Promise.allSettled([first.write(withOutput('first')), second.write(withOutput('second'))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = results[0]!.status === 'fulfilled' ? 'first' : 'second';
    expect((await first.read())!.outputs.who!.value).toBe(winner);
  });

  it('keeps calls made at the same time on one backend apart (a failing write never undoes another)', async () => {
    const backend = set.open();
    await backend.write(sampleState(2));
    const [valid, stale] = await Promise.allSettled([backend.write(sampleState(3)), backend.write(sampleState(1))]);
    expect(stale.status).toBe('rejected');
    expect(valid.status).toBe('fulfilled');
    expect(await backend.readText()).toBe(serializeState(sampleState(3)));
  });

  it('keeps every version, so an earlier state can be read back and restored byte for byte', async () => {
    const backend = set.open();
    const versions = [1, 2, 3].map((serial) => ({ ...sampleState(serial), outputs: { n: { value: serial, sensitive: false } } }));
    for (const version of versions) await backend.write(version);

    const history = await backend.history();
    expect(history.map((v) => v.serial)).toEqual([3, 2, 1]);
    expect(history[0]!.bytes).toBe(Buffer.byteLength(serializeState(versions[2]!)));
    expect(history[0]!.writtenBy).toMatch(/@/);
    expect(await backend.readVersionText(2)).toBe(serializeState(versions[1]!));
    expect(await backend.readVersionText(9)).toBeNull();

    // Restoring serial 2 over serial 3 needs -force; the content comes back as serial 4.
    const previous = (await backend.readVersionText(2))!;
    expect(await rejectionText(pushState(backend, previous, 'serial-2.json', false))).toMatch(/stored state is newer/);
    expect(await pushState(backend, previous, 'serial-2.json', true)).toEqual({ serial: 4, forced: true });
    expect(await backend.readText()).toBe(serializeState({ ...versions[1]!, serial: 4 }));
    expect(await backend.readVersionText(3)).toBe(serializeState(versions[2]!));
  });

  it('refuses to push a state of another lineage, even with force', async () => {
    const backend = set.open();
    await backend.write(sampleState(1));
    const unrelated = serializeState(sampleState(7, 'other-lineage'));
    expect(await rejectionText(pushState(backend, unrelated, 'other.json', true))).toMatch(/different lineage/);
  });

  it('reports an unreachable server as a diagnostic, without the password', async () => {
    const unreachable = new PgBackend({
      connectionString: 'postgres://phoenix:s3cret@127.0.0.1:1/phoenix',
    });
    const message = await rejectionText(unreachable.read());
    expect(message).toMatch(/pg backend: failed to connect to postgres:\/\/phoenix:\*\*\*@127\.0\.0\.1:1\/phoenix/);
    expect(message).not.toContain('s3cret');
    await unreachable.close();
  });
});
