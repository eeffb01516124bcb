/** zfs_dataset provider against the simulated node; command lines per proxmox-cli.md §3. */
import { beforeAll, describe, expect, it } from 'vitest';
import { zfsDatasetProvider as zfs } from '../../src/resources/zfs_dataset/provider.js';
import type { Attrs } from '../../src/config/values.js';
import { OWNER_KEY } from '../../src/resources/provider.js';
import { proposedDiff, simHarness } from './harness.js';

function planned(config: Attrs): Attrs {
  const attrs: Attrs = {};
  for (const [name, schema] of Object.entries(zfs.schema.attributes)) attrs[name] = config[name] ?? schema.default ?? null;
  return zfs.normalize!(attrs);
}

describe('zfs_dataset end to end on the simulator', () => {
  const sim = simHarness();
  let media: Attrs;

  beforeAll(async () => {
    media = await zfs.create(sim.ctx, planned({ name: 'tank/media', properties: { compression: 'lz4', quota: '10G', recordsize: '1M' } }));
  });

  it('creates with one zfs create carrying every property', () => {
    // No -p: `zfs create -p` returns 0 on an existing dataset and ignores the -o properties.
    expect(sim.issued('zfs', 'create')).toEqual([['zfs', 'create', '-o', 'compression=lz4', '-o', 'quota=10737418240', '-o', 'recordsize=1048576', 'tank/media']]);
    expect(media.properties).toEqual({ compression: 'lz4', quota: '10737418240', recordsize: '1048576' });
    expect(media.mountpoint).toBe('/tank/media');
    expect(typeof media.used).toBe('number');
  });

  it('plans no change for the same config written with other units', () => {
    const next = planned({ name: 'tank/media', properties: { quota: '10240M', compression: 'lz4', recordsize: '1024K' } });
    expect(zfs.diff!(media, next, proposedDiff('properties', 'used')).changed).toEqual([]);
  });

  it('sets changed properties in place and inherits removed ones', async () => {
    sim.reset();
    const next = await zfs.update(sim.ctx, media, planned({ name: 'tank/media', properties: { compression: 'zstd', quota: '10G' } }), proposedDiff('properties'));
    expect(sim.issued('zfs', 'set')).toEqual([['zfs', 'set', 'compression=zstd', 'tank/media']]);
    expect(sim.issued('zfs', 'inherit')).toEqual([['zfs', 'inherit', 'recordsize', 'tank/media']]);
    expect(next.properties).toEqual({ compression: 'zstd', quota: '10737418240' });
    media = next;
  });

  it('replaces the dataset when a create-only property changes', () => {
    const next = planned({ name: 'tank/media', properties: { compression: 'zstd', quota: '10G', casesensitivity: 'insensitive' } });
    expect(zfs.diff!(media, next, proposedDiff('properties')).replacePaths).toEqual([['properties']]);
  });

  it('shows drift made with plain zfs set, and reads many datasets with one zfs get', async () => {
    await sim.host('zfs', 'set', 'quota=5G', 'tank/media');
    await zfs.create(sim.ctx, planned({ name: 'tank/backups' }));
    sim.reset();
    const [a, b, missing] = await zfs.read(sim.ctx, [
      { address: 'a', prior: media },
      { address: 'b', prior: { name: 'tank/backups', properties: {} } },
      { address: 'c', prior: { name: 'tank/nothing', properties: {} } },
    ]);
    // One zfs get; a second one only if the host stopped at the missing dataset.
    expect(sim.commands.every((c) => c[0] === 'zfs' && c[1] === 'get')).toBe(true);
    expect(sim.commands.length).toBeLessThanOrEqual(2);
    expect((a!.properties as Attrs).quota).toBe(String(5 * 1024 ** 3));
    expect(b!.name).toBe('tank/backups');
    expect(missing).toBeNull();
  });

  it('registers the dataset as Proxmox storage and reads the registration back', async () => {
    sim.reset();
    const vols = await zfs.create(sim.ctx, planned({ name: 'tank/vols', storage: { id: 'tank-vols', content: ['rootdir', 'images'] } }));
    expect(sim.issued('pvesm')).toEqual([['pvesm', 'add', 'zfspool', 'tank-vols', '--pool', 'tank/vols', '--content', 'images,rootdir']]);
    expect(vols.storage).toEqual({ id: 'tank-vols', type: 'zfspool', content: ['images', 'rootdir'] });
    sim.reset();
    await zfs.delete(sim.ctx, vols);
    expect(sim.commands.map((c) => c.slice(0, 2))).toEqual([['pvesm', 'remove'], ['zfs', 'destroy']]);
  });

  it('imports a dataset with its locally set properties', async () => {
    const imported = await zfs.import(sim.ctx, 'tank/media');
    expect(imported.properties).toMatchObject({ compression: 'zstd', quota: String(5 * 1024 ** 3) });
  });

  it('refuses to destroy a dataset with children unless recursive, quoting zfs', async () => {
    await zfs.create(sim.ctx, planned({ name: 'tank/media/movies' }));
    await expect(zfs.delete(sim.ctx, media)).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ summary: expect.stringContaining('filesystem has children') })],
    });
    sim.reset();
    await zfs.delete(sim.ctx, { ...media, recursive: true });
    expect(sim.issued('zfs', 'destroy')).toEqual([['zfs', 'destroy', '-r', 'tank/media']]);
    expect(await zfs.read(sim.ctx, [{ address: 'a', prior: media }])).toEqual([null]);
  });

  it('writes the proof token with the create, on the leaf and on each missing parent, and reports it back', async () => {
    sim.reset();
    const made = await zfs.create(sim.ctx, { ...planned({ name: 'tank/apps/db/data' }), [OWNER_KEY]: 'tok-1' });
    expect(sim.issued('zfs', 'create')).toEqual([
      ['zfs', 'create', '-o', 'phoenix:owner=tok-1 tank/apps', 'tank/apps'],
      ['zfs', 'create', '-o', 'phoenix:owner=tok-1 tank/apps/db', 'tank/apps/db'],
      ['zfs', 'create', '-o', 'phoenix:owner=tok-1 tank/apps/db/data', 'tank/apps/db/data'],
    ]);
    expect(made[OWNER_KEY]).toBe('tok-1');
    expect(made.properties).toEqual({});
    // A child made by hand inherits the user property: that proves nothing.
    await sim.host('zfs', 'create', 'tank/apps/db/data/by-hand');
    const [child] = await zfs.read(sim.ctx, [{ address: 'x', prior: { name: 'tank/apps/db/data/by-hand', properties: {} } }]);
    expect(child![OWNER_KEY]).toBeNull();
  });

  it('fails the create of a dataset that appeared since the plan, leaving it untouched', async () => {
    await sim.host('zfs', 'create', '-o', 'compression=gzip', 'tank/appeared');
    await expect(zfs.create(sim.ctx, { ...planned({ name: 'tank/appeared', properties: { compression: 'lz4' } }), [OWNER_KEY]: 'tok-2' })).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ summary: expect.stringContaining('dataset already exists') })],
    });
    const [found] = await zfs.read(sim.ctx, [{ address: 'x', prior: { name: 'tank/appeared', properties: { compression: 'lz4' } } }]);
    expect(found).toMatchObject({ properties: { compression: 'gzip' }, [OWNER_KEY]: null });
  });

  it('import writes the proof onto the dataset', async () => {
    const imported = await zfs.import(sim.ctx, 'tank/appeared', 'tok-3');
    expect(imported[OWNER_KEY]).toBe('tok-3');
    expect(imported.properties).toEqual({ compression: 'gzip' });
  });
});
