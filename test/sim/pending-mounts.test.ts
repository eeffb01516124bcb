/**
 * The simulator's pending-change model and in-place mount point commands, as pve-container and
 * qemu-server do them (the rules are cited in src/sim: pct/set.ts, guest/pending.ts, qm/schema.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
  // The host directories the bind mounts below use, as an operator made it (the node refuses a missing one).
  writeFileSync(join(sim.dir, 'sim.json'), JSON.stringify({ directories: ['/srv/data', '/srv/logs'] }));
});
afterEach(() => sim.cleanup());

async function runningCt(): Promise<void> {
  await sim.ok('pct', ['create', '110', DEBIAN, '--rootfs', 'local-zfs:8', '--mp0', '/srv/data,mp=/data', '--mp1', 'local-zfs:2,mp=/cache']);
  await sim.ok('pct', ['start', '110']);
}

describe('pct set on a running container (Config.pm vmconfig_hotplug_pending)', () => {
  it('hot-plugs a new mount point, keeps changes and deletes of existing ones pending until the next start', async () => {
    await runningCt();
    await sim.ok('pct', ['set', '110', '--mp2', '/srv/logs,mp=/logs']);
    expect(await sim.ok('pct', ['config', '110', '--current'])).toContain('mp2: /srv/logs,mp=/logs\n');
    await sim.ok('pct', ['set', '110', '--mp0', '/srv/data,mp=/data,ro=1', '--delete', 'mp2']);
    const current = await sim.ok('pct', ['config', '110', '--current']);
    expect(current).toContain('mp0: /srv/data,mp=/data\n');
    expect(current).toContain('mp2: /srv/logs,mp=/logs\n');
    expect(await sim.ok('pct', ['pending', '110'])).toContain('cur mp0: /srv/data,mp=/data\nnew mp0: /srv/data,mp=/data,ro=1\n');
    await sim.ok('pct', ['reboot', '110']);
    const after = await sim.ok('pct', ['config', '110', '--current']);
    expect(after).toContain('mp0: /srv/data,mp=/data,ro=1\n');
    expect(after).not.toContain('mp2:');
  });

  it('drops a pending value equal to the current one (AbstractConfig.pm cleanup_pending)', async () => {
    await runningCt();
    await sim.ok('pct', ['set', '110', '--features', 'nesting=1']);
    expect(await sim.ok('pct', ['pending', '110'])).toContain('new features: nesting=1\n');
    await sim.ok('pct', ['set', '110', '--delete', 'features']);
    expect(await sim.ok('pct', ['pending', '110'])).not.toMatch(/features/);
  });
});

describe('pct resize of mount points (API2/LXC.pm resize_vm)', () => {
  it('grows a volume mount point online, refuses a bind mount with Proxmox\'s text', async () => {
    await runningCt();
    await sim.ok('pct', ['resize', '110', 'mp1', '4G']);
    expect(await sim.ok('pct', ['config', '110'])).toContain('mp1: local-zfs:subvol-110-disk-1,mp=/cache,size=4G\n');
    expect(await sim.run('pct', ['resize', '110', 'mp0', '4G'])).toMatchObject({ exitCode: 255, stderr: "unable to parse volume ID '/srv/data'\n" });
    expect(await sim.run('pct', ['resize', '110', 'mp1', '1G'])).toMatchObject({ exitCode: 255, stderr: 'unable to shrink disk size\n' });
  });
});

describe('pct exec environment (pct.pm exec: keep-env)', () => {
  it('keeps the caller\'s environment by default and clears it with --keep-env 0', async () => {
    await runningCt();
    const env = { PHOENIX_VAR_probe: 'visible' };
    expect(await sim.ok('pct', ['exec', '110', '--', 'env'], { env })).toContain('PHOENIX_VAR_probe=visible\n');
    expect(await sim.ok('pct', ['exec', '110', '--keep-env', '0', '--', 'env', 'A=1'], { env })).toBe(
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\ncontainer=lxc\nA=1\n',
    );
  });
});

describe('qm set on a running VM (QemuServer.pm vmconfig_hotplug_pending)', () => {
  it('hot-unplugs a scsi disk into unused0 at once, keeps a sata removal pending', async () => {
    await sim.ok('qm', ['create', '120', '--memory', '1024', '--scsihw', 'virtio-scsi-pci', '--scsi0', 'local-zfs:4', '--scsi1', 'local-zfs:1', '--sata1', 'local-zfs:1']);
    await sim.ok('qm', ['start', '120']);
    await sim.ok('qm', ['set', '120', '--delete', 'scsi1,sata1']);
    const current = await sim.ok('qm', ['config', '120', '--current']);
    expect(current).toMatch(/^unused0: local-zfs:vm-120-disk-1$/m);
    expect(current).toMatch(/^sata1: /m);
    expect(await sim.ok('qm', ['pending', '120'])).toMatch(/^del sata1: /m);
  });
});

describe('qm disk move (API2/Qemu.pm move_vm_disk)', () => {
  it('copies the disk to the target storage, keeps or frees the source, refuses what Proxmox refuses', async () => {
    await sim.ok('pvesm', ['add', 'zfspool', 'tank-vm', '--pool', 'tank', '--content', 'images']);
    // The ISO must exist: create_disks checks the volume ("volume local:iso/x.iso does not exist").
    writeFileSync(join(sim.dir, 'var/lib/vz/template/iso/x.iso'), 'CD001');
    await sim.ok('qm', ['create', '121', '--scsi0', 'local-zfs:4,discard=on', '--scsi1', 'local-zfs:1', '--ide2', 'local:iso/x.iso,media=cdrom']);
    await sim.ok('qm', ['disk', 'move', '121', 'scsi0', 'tank-vm']);
    const kept = await sim.ok('qm', ['config', '121']);
    expect(kept).toContain('scsi0: tank-vm:vm-121-disk-0,discard=on,size=4G\n');
    expect(kept).toContain('unused0: local-zfs:vm-121-disk-0\n');
    await sim.ok('qm', ['disk', 'move', '121', 'scsi1', 'tank-vm', '--delete', '1']);
    expect(await sim.ok('qm', ['config', '121'])).not.toContain('local-zfs:vm-121-disk-1');
    expect((await sim.run('zfs', ['list', 'rpool/data/vm-121-disk-1'])).exitCode).toBe(1);
    expect(await sim.run('qm', ['disk', 'move', '121', 'scsi0', 'tank-vm'])).toMatchObject({ exitCode: 255, stderr: "you can't move to the same storage with same format\n" });
    expect(await sim.run('qm', ['disk', 'move', '121', 'ide2', 'tank-vm'])).toMatchObject({ exitCode: 255, stderr: "you can't move a cdrom\n" });
    expect(await sim.run('qm', ['disk', 'move', '121', 'scsi5', 'tank-vm'])).toMatchObject({ exitCode: 255, stderr: "disk 'scsi5' does not exist\n" });
  });
});

describe('pct move-volume (API2/LXC.pm move_volume)', () => {
  it('moves a stopped CT\'s volume with its size, frees the source with --delete, refuses a running CT and bind mounts', async () => {
    await sim.ok('pvesm', ['add', 'zfspool', 'tank-ct', '--pool', 'tank', '--content', 'rootdir']);
    await sim.ok('pct', ['create', '130', DEBIAN, '--rootfs', 'local-zfs:8', '--mp0', '/srv/data,mp=/data']);
    await sim.ok('pct', ['move-volume', '130', 'rootfs', 'tank-ct', '--delete', '1']);
    expect(await sim.ok('pct', ['config', '130'])).toContain('rootfs: tank-ct:subvol-130-disk-0,size=8G\n');
    expect((await sim.run('zfs', ['list', 'rpool/data/subvol-130-disk-0'])).exitCode).toBe(1);
    expect(await sim.run('pct', ['move-volume', '130', 'mp0', 'local-zfs'])).toMatchObject({ exitCode: 255, stderr: 'cannot copy volumes of type bind\n' });
    await sim.ok('pct', ['start', '130']);
    expect(await sim.run('pct', ['move-volume', '130', 'rootfs', 'local-zfs'])).toMatchObject({ exitCode: 255, stderr: 'cannot move volumes of a running container\n' });
  });
});
