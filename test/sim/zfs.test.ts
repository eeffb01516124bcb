import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSim, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

describe('zfs', () => {
  it('seeds rpool, rpool/data and tank, listed sorted', async () => {
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name,mountpoint'])).toBe('rpool\t/rpool\nrpool/data\t/rpool/data\ntank\t/tank\n');
  });

  it('seeds the pools sim.json names', async () => {
    writeFileSync(join(sim.dir, 'sim.json'), JSON.stringify({ pools: ['fast', 'fast/vms'] }));
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name'])).toBe('fast\nfast/vms\n');
  });

  it('creates datasets with properties and reports their sources', async () => {
    await sim.ok('zfs', ['create', '-o', 'compression=zstd', '-o', 'quota=10G', 'tank/apps']);
    await sim.ok('zfs', ['create', '-p', 'tank/apps/web/data']);
    expect(await sim.ok('zfs', ['get', '-H', '-p', '-o', 'name,property,value,source', 'compression,quota,mountpoint', 'tank/apps/web'])).toBe(
      'tank/apps/web\tcompression\tzstd\tinherited from tank/apps\n' +
        'tank/apps/web\tquota\t0\tdefault\n' +
        'tank/apps/web\tmountpoint\t/tank/apps/web\tdefault\n',
    );
    expect(await sim.ok('zfs', ['get', '-H', '-o', 'value', 'quota', 'tank/apps'])).toBe('10G\n');
    expect(await sim.ok('zfs', ['list', '-H', '-p', '-o', 'name', '-r', 'tank/apps'])).toBe('tank/apps\ntank/apps/web\ntank/apps/web/data\n');
    await sim.ok('zfs', ['set', 'mountpoint=/srv/apps', 'tank/apps']);
    expect(await sim.ok('zfs', ['get', '-H', '-o', 'value,source', 'mountpoint', 'tank/apps/web/data'])).toBe('/srv/apps/web/data\tinherited from tank/apps\n');
  });

  it('creates volumes and filters by type', async () => {
    await sim.ok('zfs', ['create', '-s', '-V', '10G', 'tank/vol1']);
    expect(await sim.ok('zfs', ['list', '-H', '-p', '-o', 'name,volsize', '-t', 'volume'])).toBe('tank/vol1\t10737418240\n');
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', '-t', 'filesystem', '-r', 'tank'])).toBe('tank\n');
  });

  it('reports create errors with exit 1', async () => {
    await sim.ok('zfs', ['create', 'tank/a']);
    expect(await sim.run('zfs', ['create', 'tank/a'])).toMatchObject({ exitCode: 1, stderr: "cannot create 'tank/a': dataset already exists\n" });
    // As OpenZFS (zfs_main.c, zfs_do_create): with -p an existing dataset is success, its -o ignored.
    expect(await sim.run('zfs', ['create', '-p', '-o', 'compression=gzip', 'tank/a'])).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await sim.run('zfs', ['get', '-H', '-o', 'value', 'compression', 'tank/a'])).stdout).not.toBe('gzip\n');
    expect(await sim.run('zfs', ['create', 'tank/x/y'])).toMatchObject({ exitCode: 1, stderr: "cannot create 'tank/x/y': parent does not exist\n" });
    expect(await sim.run('zfs', ['create', '-o', 'foo=bar', 'tank/b'])).toMatchObject({ exitCode: 1, stderr: "cannot create 'tank/b': invalid property 'foo'\n" });
  });

  it('refuses to change create-only and read-only properties', async () => {
    await sim.ok('zfs', ['create', '-o', 'casesensitivity=insensitive', 'tank/a']);
    expect(await sim.run('zfs', ['set', 'casesensitivity=mixed', 'tank/a'])).toMatchObject({
      exitCode: 1,
      stderr: "cannot set property for 'tank/a': 'casesensitivity' is readonly\n",
    });
    expect((await sim.run('zfs', ['set', 'used=1', 'tank/a'])).stderr).toBe("cannot set property for 'tank/a': 'used' is readonly\n");
    expect(await sim.run('zfs', ['get', 'bogus', 'tank/a'])).toMatchObject({ exitCode: 2 });
    expect((await sim.run('zfs', ['get', 'bogus', 'tank/a'])).stderr).toMatch(/^bad property list: invalid property 'bogus'\n/);
    expect(await sim.run('zfs', ['list', 'tank/none'])).toMatchObject({ exitCode: 1, stderr: "cannot open 'tank/none': dataset does not exist\n" });
  });

  it('reads the datasets that exist and reports the missing ones in one get', async () => {
    await sim.ok('zfs', ['create', 'tank/a']);
    const result = await sim.run('zfs', ['get', '-H', '-p', '-o', 'name,value', 'quota', 'tank/gone', 'tank/a', 'tank']);
    expect(result).toEqual({ exitCode: 1, stdout: 'tank\t0\ntank/a\t0\n', stderr: "cannot open 'tank/gone': dataset does not exist\n" });
  });

  it('refuses to destroy a dataset with children unless -r', async () => {
    await sim.ok('zfs', ['create', '-p', 'tank/a/b/c']);
    expect(await sim.run('zfs', ['destroy', 'tank/a'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "cannot destroy 'tank/a': filesystem has children\nuse '-r' to destroy the following datasets:\ntank/a/b\ntank/a/b/c\n",
    });
    await sim.ok('zfs', ['destroy', '-r', 'tank/a']);
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', '-r', 'tank'])).toBe('tank\n');
  });

  it('renames with children; refuses an existing target', async () => {
    await sim.ok('zfs', ['create', '-p', 'tank/a/b']);
    await sim.ok('zfs', ['create', 'tank/c']);
    expect(await sim.run('zfs', ['rename', 'tank/a', 'tank/c'])).toMatchObject({ exitCode: 1, stderr: "cannot rename 'tank/a': dataset already exists\n" });
    await sim.ok('zfs', ['rename', 'tank/a', 'tank/z']);
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', '-r', 'tank'])).toBe('tank\ntank/c\ntank/z\ntank/z/b\n');
  });

  it('prints aligned tables without -H', async () => {
    expect(await sim.ok('zfs', ['list', '-o', 'name,mountpoint', 'tank'])).toBe('NAME  MOUNTPOINT\ntank  /tank\n');
    expect(await sim.ok('zfs', ['get', 'compression', 'tank'])).toBe('NAME  PROPERTY     VALUE  SOURCE\ntank  compression  on     local\n');
  });
});
