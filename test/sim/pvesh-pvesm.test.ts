import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

const json = async (args: string[]) => {
  const stdout = await sim.ok('pvesh', ['get', ...args, '--output-format', 'json']);
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(stdout);
};

describe('pvesh get', () => {
  it('lists guests in /cluster/resources with sorted keys', async () => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--hostname', 'web', '--rootfs', 'local-zfs:8', '--tags', 'b;a', '--memory', '1024']);
    await sim.ok('pct', ['start', '101']);
    await sim.ok('qm', ['create', '200', '--name', 'vm', '--scsi0', 'local-zfs:32']);
    // Past pvestatd's lag (status_lag_ms), so the listing shows the start (test/sim/real-node.test.ts: the lag).
    const raw = await sim.ok('pvesh', ['get', '/cluster/resources', '--type', 'vm', '--output-format', 'json'], { env: { PHOENIX_SIM_STATUS_LAG_MS: '0' } });
    const resources = JSON.parse(raw);
    expect(resources.map((r: { id: string }) => r.id).sort()).toEqual(['lxc/101', 'qemu/200']);
    const ct = resources.find((r: { id: string }) => r.id === 'lxc/101');
    expect(ct).toMatchObject({ type: 'lxc', vmid: 101, node: 'pve', name: 'web', status: 'running', template: 0, tags: 'a;b', maxmem: 1024 * 1024 ** 2, maxdisk: 8 * 1024 ** 3 });
    const firstObject = raw.slice(raw.indexOf('{'), raw.indexOf('}') + 1);
    const keys = [...firstObject.matchAll(/"([a-z_]+)":/g)].map((m) => m[1]);
    expect(keys).toEqual([...keys].sort());
    const storages = await json(['/cluster/resources', '--type', 'storage']);
    expect(storages.map((s: { id: string }) => s.id)).toEqual(['storage/pve/local', 'storage/pve/local-zfs']);
  });

  it('lists the guests of every node sharing the state directory', async () => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:4'], { env: { PHOENIX_SIM_NODE: 'pve2' } });
    const [ct] = await json(['/cluster/resources', '--type', 'vm']);
    expect(ct).toMatchObject({ id: 'lxc/101', node: 'pve2', name: 'CT101' });
    expect((await sim.run('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:4'])).stderr).toBe("CT 101 already exists on node 'pve2'\n");
    expect(await json(['/nodes/pve/lxc'])).toEqual([]);
  });

  it('returns node guest lists and configs', async () => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--hostname', 'web', '--rootfs', 'local-zfs:8', '--description', 'hi']);
    await sim.ok('pct', ['set', '101', '--lock', 'backup']);
    const [ct] = await json(['/nodes/pve/lxc']);
    expect(ct).toMatchObject({ vmid: 101, type: 'lxc', status: 'stopped', name: 'web', lock: 'backup' });
    expect(ct.pid).toBeUndefined();
    const config = await json(['/nodes/pve/lxc/101/config']);
    expect(config).toMatchObject({ hostname: 'web', memory: 512, unprivileged: 1, description: 'hi\n', rootfs: 'local-zfs:subvol-101-disk-0,size=8G' });
    expect(config.digest).toMatch(/^[0-9a-f]{40}$/);
    expect(await json(['/nodes/pve/qemu'])).toEqual([]);
    const missing = await sim.run('pvesh', ['get', '/nodes/pve/qemu/555/config', '--output-format', 'json']);
    expect(missing.stderr).toBe("Configuration file 'nodes/pve/qemu-server/555.conf' does not exist\n");
  });
});

describe('pvesm', () => {
  it('adds and removes storages in storage.cfg format and shows them in status', async () => {
    await sim.ok('pvesm', ['add', 'zfspool', 'tank-vms', '--pool', 'tank', '--content', 'images,rootdir']);
    await sim.ok('pvesm', ['add', 'dir', 'backup', '--path', '/mnt/backup', '--content', 'backup']);
    expect(sim.file('etc/pve/storage.cfg')).toBe(
      'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n' +
        'zfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n\n' +
        'zfspool: tank-vms\n\tpool tank\n\tcontent images,rootdir\n\n' +
        'dir: backup\n\tpath /mnt/backup\n\tcontent backup\n',
    );
    expect((await sim.run('pvesm', ['add', 'dir', 'backup', '--path', '/x'])).stderr).toBe("create storage failed: storage ID 'backup' already defined\n");
    const status = await sim.ok('pvesm', ['status']);
    expect(status.split('\n')[0]).toMatch(/^Name +Type +Status +Total +Used +Available +%$/);
    expect(status).toMatch(/^tank-vms +zfspool +active +\d+ +\d+ +\d+ +\d+\.\d\d%$/m);
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'tank-vms:2']);
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', 'tank/subvol-101-disk-0'])).toBe('tank/subvol-101-disk-0\n');
    await sim.ok('pvesm', ['set', 'tank-vms', '--content', 'images']);
    expect(sim.file('etc/pve/storage.cfg')).toContain('zfspool: tank-vms\n\tpool tank\n\tcontent images\n');
    expect((await sim.run('pvesm', ['set', 'nope', '--content', 'images'])).stderr).toBe("update storage failed: storage 'nope' does not exist\n");
    await sim.ok('pvesm', ['remove', 'backup']);
    expect((await sim.run('pvesm', ['remove', 'backup'])).stderr).toBe("delete storage failed: storage 'backup' does not exist\n");
  });
});
