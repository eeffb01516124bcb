/** pvesm add/set for nfs, cifs, pbs and lvmthin, with pve-storage's messages (API2/Storage/Config.pm, SectionConfig.pm, *Plugin.pm). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSim, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

describe('pvesm storage types', () => {
  it('adds an nfs storage with its default path, dropping content types the type does not hold with a warning', async () => {
    const result = await sim.run('pvesm', ['add', 'nfs', 'nas', '--server', '10.0.0.5', '--export', '/e', '--content', 'backup,iso']);
    expect(result.exitCode).toBe(0);
    expect(sim.file('etc/pve/storage.cfg')).toContain('nfs: nas\n\tserver 10.0.0.5\n\texport /e\n\tcontent backup,iso\n\tpath /mnt/pve/nas\n');
    const dropped = await sim.run('pvesm', ['add', 'lvmthin', 'thin', '--vgname', 'pve', '--thinpool', 'data', '--content', 'images,iso']);
    expect(dropped.stderr).toBe("storage does not support content type 'iso'\n");
    expect(sim.file('etc/pve/storage.cfg')).toContain('lvmthin: thin\n\tvgname pve\n\tthinpool data\n\tcontent images\n');
  });

  it('keeps cifs and pbs passwords out of storage.cfg, in priv/storage/ID.pw, removed with the storage', async () => {
    await sim.ok('pvesm', ['add', 'cifs', 'smb', '--server', 'f', '--share', 's', '--username', 'u', '--password', 'pw1']);
    await sim.ok('pvesm', ['add', 'pbs', 'pbs', '--server', 'p', '--datastore', 'd', '--username', 'u@pbs', '--password', 'pw2']);
    expect(sim.file('etc/pve/storage.cfg')).not.toContain('pw');
    expect(sim.file('etc/pve/priv/storage/smb.pw')).toBe('password=pw1\n');
    expect(sim.file('etc/pve/priv/storage/pbs.pw')).toBe('pw2\n');
    await sim.ok('pvesm', ['set', 'pbs', '--password', 'pw3']);
    expect(sim.file('etc/pve/priv/storage/pbs.pw')).toBe('pw3\n');
    await sim.ok('pvesm', ['remove', 'smb']);
    expect(existsSync(join(sim.dir, 'etc/pve/priv/storage/smb.pw'))).toBe(false);
  });

  it.each([
    [['add', 'nfs', 'nas', '--server', 'a'], "missing value for required option 'export'\n"],
    [['add', 'nfs', 'nas', '--server', 'a', '--export', '/e', '--share', 's'], "unexpected property 'share'\n"],
    [['add', 'pbs', 'p1', '--server', 'a', '--datastore', 'd', '--fingerprint', 'zz'], '400 Parameter verification failed.\nfingerprint: value does not match the regex pattern\npvesm add <type> <storage> [OPTIONS]\n'],
    [['add', 'lvmthin', 'th', '--vgname', 'pve', '--thinpool', 'data', '--content', 'iso'], "storage does not support content type 'iso'\nstorage does not support content type 'none'\n"],
    [['add', 'lvmthin', 'th', '--vgname', 'vg', '--thinpool', 'xx'], 'create storage failed: no such logical volume vg/xx\n'],
    [['add', 'nfs', 'n', '--server', 'a', '--export', '/e'], "400 Parameter verification failed.\nstorage: invalid format - storage ID 'n' contains illegal characters\npvesm add <type> <storage> [OPTIONS]\n"],
    // SectionConfig.pm updateSchema: an option fixed in every type that has it is no option of `set` at all.
    [['set', 'local-zfs', '--server', 'x'], 'Unknown option: server\n400 unable to parse option\npvesm set <storage> [OPTIONS]\n'],
    [['set', 'local-zfs', '--username', 'x'], "unexpected property 'username'\n"],
  ])('pvesm %j fails as pvesm does', async (args, stderr) => {
    const result = await sim.run('pvesm', args as string[]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toBe(stderr);
  });

  it('refuses to change a fixed option of an existing storage', async () => {
    await sim.ok('pvesm', ['add', 'nfs', 'nas', '--server', '10.0.0.5', '--export', '/e']);
    expect((await sim.run('pvesm', ['set', 'nas', '--path', '/b'])).stderr).toContain('Unknown option: path\n');
    expect((await sim.run('pvesm', ['set', 'nas', '--delete', 'export'])).stderr).toBe("update storage failed: unable to delete fixed option 'export'\n");
  });
});
