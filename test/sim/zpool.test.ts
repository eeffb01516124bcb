/** zpool on the simulated node: zpool_vdev.c's layout rules and libzfs's texts (cmd/zpool, lib/libzfs). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSim, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

describe('zpool', () => {
  it('keeps the pools seeded from plain sim.json names, with a one-disk layout', async () => {
    writeFileSync(join(sim.dir, 'sim.json'), JSON.stringify({ pools: ['fast', 'fast/vms'] }));
    expect(await sim.ok('zpool', ['list', '-H', '-o', 'name,health'])).toBe('fast\tONLINE\n');
    expect(await sim.ok('zpool', ['status', '-P', 'fast'])).toContain('\t  /dev/disk/by-id/sim-fast  ONLINE');
  });

  it('creates a pool whose datasets zfs can use at once', async () => {
    await sim.ok('zpool', ['create', '-o', 'ashift=12', 'fast', 'raidz2', 'sda', 'sdb', 'sdc', 'special', 'mirror', 'sdd', 'sde', 'cache', 'sdf', 'spare', 'sdg']);
    await sim.ok('zfs', ['create', 'fast/vms']);
    const status = await sim.ok('zpool', ['status', '-P', 'fast']);
    expect(status).toMatch(/\t  raidz2-0 +ONLINE[\s\S]*\t    \/dev\/sdc[\s\S]*\tspecial\n\t  mirror-1[\s\S]*\tcache\n\t  \/dev\/sdf[\s\S]*\tspares\n\t  \/dev\/sdg +AVAIL/);
    expect(await sim.ok('zpool', ['get', '-H', '-p', '-o', 'property,value,source', 'ashift,size', 'fast'])).toBe(`ashift\t12\tlocal\nsize\t${1024 ** 4}\t-\n`);
  });

  it.each([
    [['create', 'x', 'mirror', 'sda'], 'invalid vdev specification: mirror requires at least 2 devices\n', 1],
    [['create', 'x', 'raidz3', 'sda', 'sdb', 'sdc'], 'invalid vdev specification: raidz3 requires at least 4 devices\n', 1],
    [['create', 'x', 'sda', 'log', 'raidz', 'sdb', 'sdc'], "invalid vdev specification: unsupported 'log' device: raidz\n", 1],
    [['create', 'x', 'sda', 'log'], 'invalid vdev specification: log requires at least 1 device\n', 1],
    [['create', 'x', 'sda', 'sda'], "cannot create 'x': one or more vdevs refer to the same device, or one of\nthe devices is part of an active md or lvm device\n", 1],
    [['create', 'mirror2', 'sda'], "cannot create 'mirror2': name is reserved\n", 1],
    [['create', '1x', 'sda'], "cannot create '1x': name must begin with a letter\n", 1],
    [['create', 'tank', 'sdq'], "cannot create 'tank': pool already exists\n", 1],
    [['create', 'x', '/dev/disk/by-id/sim-tank'], "invalid vdev specification\nuse '-f' to override the following errors:\n/dev/disk/by-id/sim-tank is part of active pool 'tank'\n", 1],
    [['create', '-o', 'ashift=17', 'x', 'sda'], "invalid 'ashift=17' property: only values between 9 and 16 are allowed.\n", 1],
    [['create', '-o', 'bogus=1', 'x', 'sda'], "property 'bogus' is not a valid pool or vdev property\n", 1],
    [['create', 'x'], 'missing vdev specification\nusage:\n', 2],
    [['set', 'autotrim=maybe', 'tank'], "cannot set property for 'tank': 'autotrim' must be one of 'on | off'\n", 1],
    [['set', 'size=1', 'tank'], "cannot set property for 'tank': 'size' is readonly\n", 1],
    [['destroy', 'tank/x'], "cannot open 'tank/x': no such pool\nuse 'zfs destroy' to destroy a dataset\n", 1],
    [['import', 'gone'], "cannot import 'gone': no such pool available\n", 1],
    [['import'], 'no pools available to import\n', 1],
  ])('zpool %j fails as zpool does', async (args, stderr, exitCode) => {
    const result = await sim.run('zpool', args as string[]);
    expect(result.exitCode).toBe(exitCode);
    if (exitCode === 2) expect(result.stderr.startsWith(stderr as string)).toBe(true);
    else expect(result.stderr).toBe(stderr);
  });

  it('exports and imports a pool with its datasets; destroy removes them', async () => {
    await sim.ok('zfs', ['create', 'tank/media']);
    await sim.ok('zpool', ['export', 'tank']);
    expect((await sim.run('zfs', ['list', 'tank/media'])).stderr).toBe("cannot open 'tank/media': dataset does not exist\n");
    expect(await sim.ok('zpool', ['import'])).toMatch(/^   pool: tank\n     id: \d+\n  state: ONLINE\n/);
    await sim.ok('zpool', ['import', 'tank']);
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', 'tank/media'])).toBe('tank/media\n');
    await sim.ok('zpool', ['destroy', 'tank']);
    expect((await sim.run('zfs', ['list', 'tank/media'])).exitCode).toBe(1);
    expect((await sim.run('zpool', ['get', 'size', 'tank'])).stderr).toBe("cannot open 'tank': no such pool\n");
  });

  it('seeds layouts and exported pools from sim.json', async () => {
    writeFileSync(join(sim.dir, 'sim.json'), JSON.stringify({ pools: ['rpool', { name: 'old', exported: true, vdevs: [{ type: 'mirror', disks: ['/dev/sda', '/dev/sdb'] }] }] }));
    expect(await sim.ok('zpool', ['list', '-H', '-o', 'name'])).toBe('rpool\n');
    expect(await sim.ok('zpool', ['import'])).toContain('\t  mirror-0');
    expect((await sim.run('zpool', ['create', 'x', '/dev/sda'])).stderr).toContain("/dev/sda is part of exported pool 'old'");
    await sim.ok('zpool', ['create', '-f', 'x', '/dev/sda']);
  });
});
