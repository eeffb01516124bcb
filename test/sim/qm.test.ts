import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ED25519_KEY } from '../fixtures/proxmox-values.js';
import { createSim, masked, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

async function createTemplateVm(vmid = 9000): Promise<void> {
  const keys = join(sim.dir, 'k.pub');
  writeFileSync(keys, `${ED25519_KEY}\n`);
  await sim.ok('qm', [
    'create', String(vmid), '--name', 'base', '--memory', '2048', '--cores', '2', '--scsihw', 'virtio-scsi-pci',
    '--scsi0', 'local-zfs:32,import-from=/var/lib/vz/import/debian-12-genericcloud-amd64.qcow2,discard=on', '--net0', 'virtio,bridge=vmbr0',
    '--ostype', 'l26', '--agent', 'enabled=1', '--ide2', 'local-zfs:cloudinit', '--serial0', 'socket',
    '--ciuser', 'admin', '--sshkey', keys, '--cipassword', 'hunter2', '--ipconfig0', 'ip=10.0.0.5/24,gw=10.0.0.1',
  ]);
}

describe('qm create and config', () => {
  it('adds meta, smbios1, vmgenid and boot; stores nets and disks in Proxmox form', async () => {
    await createTemplateVm();
    expect(masked(await sim.ok('qm', ['config', '9000']))).toBe(
      [
        'agent: enabled=1',
        'boot: order=scsi0;net0',
        'cipassword: **********',
        'ciuser: admin',
        'cores: 2',
        'ide2: local-zfs:vm-9000-cloudinit,media=cdrom',
        'ipconfig0: ip=10.0.0.5/24,gw=10.0.0.1',
        'memory: 2048',
        'meta: creation-qemu=9.2.0,ctime=T',
        'name: base',
        'net0: virtio=BC:24:11:XX:XX:XX,bridge=vmbr0',
        'ostype: l26',
        'scsi0: local-zfs:vm-9000-disk-0,discard=on,size=32G',
        'scsihw: virtio-scsi-pci',
        'serial0: socket',
        'smbios1: uuid=UUID',
        'sshkeys: ssh-ed25519%20AAAAC3NzaC1lZDI1NTE5AAAAIOT8rd6EXPu5oLI6BdDg2qtx59R4RrNUUCRbKhuHyvvH%20me%40host%0A',
        'vmgenid: UUID',
        '',
      ].join('\n'),
    );
    expect(sim.file('etc/pve/nodes/pve/qemu-server/9000.conf')).not.toContain('hunter2');
    expect(await sim.ok('zfs', ['get', '-H', '-p', '-o', 'value', 'volsize', 'rpool/data/vm-9000-disk-0'])).toBe('34359738368\n');
  });

  it('names an existing id in its own words', async () => {
    await sim.ok('qm', ['create', '100']);
    expect(await sim.run('qm', ['create', '100'])).toMatchObject({ exitCode: 255, stderr: "unable to create VM 100 - VM 100 already exists on node 'pve'\n" });
    expect((await sim.run('qm', ['create', '101', '--net0', 'virtio,bridge=vmbr0,foo=1'])).stderr).toContain(
      'net0.foo: property is not defined in schema and the schema does not allow additional properties\n',
    );
  });

  it('writes cloud-init options immediately even while running', async () => {
    await createTemplateVm(100);
    await sim.ok('qm', ['start', '100']);
    await sim.ok('qm', ['set', '100', '--ciuser', 'ops', '--cores', '4', '--name', 'renamed']);
    const current = await sim.ok('qm', ['config', '100', '--current']);
    expect(current).toContain('ciuser: ops\n');
    expect(current).toContain('name: renamed\n');
    expect(current).toContain('cores: 2\n');
    expect(await sim.ok('qm', ['pending', '100'])).toContain('cur cores: 2\nnew cores: 4\n');
    // qemu-server names the section [PENDING] (pve-container: [pve:pending]).
    expect(sim.file('etc/pve/nodes/pve/qemu-server/100.conf')).toContain('\n[PENDING]\ncores: 4\n');
    await sim.ok('qm', ['cloudinit', 'update', '100']);
    await sim.ok('qm', ['reboot', '100']);
    expect(await sim.ok('qm', ['config', '100', '--current'])).toContain('cores: 4\n');
  });
});

describe('qm power, list and destroy', () => {
  it('uses VM semantics for stop and reports missing VMs per command', async () => {
    await sim.ok('qm', ['create', '100', '--name', 'vm1', '--memory', '2048', '--scsi0', 'local-zfs:32']);
    expect(await sim.run('qm', ['stop', '100'])).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await sim.run('qm', ['shutdown', '100'])).toMatchObject({ exitCode: 0 });
    expect((await sim.run('qm', ['reboot', '100'])).stderr).toBe('VM 100 not running\n');
    expect((await sim.run('qm', ['reset', '100'])).stderr).toBe('VM 100 not running\n');
    await sim.ok('qm', ['start', '100']);
    expect(await sim.ok('qm', ['status', '100'])).toBe('status: running\n');
    expect(await sim.run('qm', ['start', '100'])).toMatchObject({ exitCode: 255, stderr: 'VM 100 already running\n' });
    expect(await sim.run('qm', ['stop', '999'])).toMatchObject({ exitCode: 255, stderr: "unable to find configuration file for VM 999 on node 'pve'\n" });
    expect(await sim.run('qm', ['status', '999'])).toMatchObject({ exitCode: 2, stderr: "Configuration file 'nodes/pve/qemu-server/999.conf' does not exist\n" });
    expect(await sim.run('qm', ['destroy', '100'])).toMatchObject({ exitCode: 255, stderr: 'VM 100 is running - destroy failed\n' });
  });

  it('prints the list in the exact layout, nothing when empty', async () => {
    expect((await sim.run('qm', ['list'])).stdout).toBe('');
    await sim.ok('qm', ['create', '100', '--name', 'vm1', '--memory', '2048', '--scsi0', 'local-zfs:32']);
    await sim.ok('qm', ['create', '101']);
    expect(await sim.ok('qm', ['list'])).toBe(
      '      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID       \n' +
        '       100 vm1                  stopped    2048              32.00 0         \n' +
        '       101 VM 101               stopped    512                0.00 0         \n',
    );
    await sim.ok('qm', ['start', '100']);
    expect(await sim.ok('qm', ['list'])).toMatch(/^ {7}100 vm1 {18}running {4}2048 {14}32\.00 \d+ +$/m);
    await sim.ok('qm', ['stop', '100']);
    await sim.ok('qm', ['destroy', '100', '--purge', '1']);
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', '-t', 'volume'])).toBe('');
  });
});

describe('qm templates, clones and disks', () => {
  it('makes linked clones only from templates', async () => {
    await createTemplateVm();
    await sim.ok('qm', ['clone', '9000', '100', '--name', 'notlinked', '--full', '1']);
    expect((await sim.run('qm', ['clone', '100', '101', '--name', 'x', '--full', '0'])).exitCode).toBe(255);
    await sim.ok('qm', ['template', '9000']);
    expect((await sim.run('qm', ['template', '9000'])).stderr).toBe("you can't convert a template to a template\n");
    // API2/Qemu.pm template: with --disk a template is accepted; create_base then refuses a base volume in the
    // worker, which qm prints while still exiting 0.
    expect(await sim.run('qm', ['template', '9000', '--disk', 'scsi0'])).toMatchObject({ exitCode: 0, stderr: 'create_base not possible with base image\n' });
    await sim.ok('qm', ['clone', '9000', '101', '--name', 'linked']);
    const config = await sim.ok('qm', ['config', '101']);
    expect(config).toContain('scsi0: local-zfs:base-9000-disk-0/vm-101-disk-0,discard=on,size=32G\n');
    expect(config).toContain('ide2: local-zfs:vm-101-cloudinit,media=cdrom\n');
    expect(config).toContain('name: linked\n');
    expect(await sim.run('qm', ['clone', '9000', '101', '--name', 'again'])).toMatchObject({
      exitCode: 255,
      stderr: 'unable to create VM 101: config file already exists\n',
    });
    // QemuServer.pm destroy_vm (its own spelling): a template whose base a linked clone uses stays.
    expect(await sim.run('qm', ['destroy', '9000'])).toMatchObject({ exitCode: 255, stderr: "base volume 'local-zfs:base-9000-disk-0' is still in use by linked cloned\n" });
    expect(await sim.ok('qm', ['config', '9000'])).toContain('template: 1\n');
  });

  it('qm template --disk converts that disk only (QemuServer.pm template_create skips the others)', async () => {
    await sim.ok('qm', ['create', '120', '--scsi0', 'local-zfs:1', '--scsi1', 'local-zfs:1']);
    await sim.ok('qm', ['template', '120', '--disk', 'scsi1']);
    const config = await sim.ok('qm', ['config', '120']);
    expect(config).toMatch(/^scsi0: local-zfs:vm-120-disk-0,size=1G$/m);
    expect(config).toMatch(/^scsi1: local-zfs:base-120-disk-1,size=1G$/m);
    expect(config).toMatch(/^template: 1$/m);
    await sim.ok('qm', ['template', '120', '--disk', 'scsi0']);
    expect(await sim.ok('qm', ['config', '120'])).toMatch(/^scsi0: local-zfs:base-120-disk-0,size=1G$/m);
  });

  it('resizes disks: grow works, shrink and missing disks print an error but exit 0', async () => {
    await sim.ok('qm', ['create', '100', '--scsi0', 'local-zfs:32']);
    await sim.ok('qm', ['disk', 'resize', '100', 'scsi0', '+8G']);
    expect(await sim.ok('qm', ['config', '100'])).toContain('scsi0: local-zfs:vm-100-disk-0,size=40G\n');
    expect(await sim.run('qm', ['disk', 'resize', '100', 'scsi0', '10G'])).toEqual({ exitCode: 0, stdout: '', stderr: 'shrinking disks is not supported\n' });
    expect(await sim.run('qm', ['resize', '100', 'scsi0', '40G'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await sim.run('qm', ['resize', '100', 'scsi1', '40G'])).toEqual({ exitCode: 0, stdout: '', stderr: "disk 'scsi1' does not exist\n" });
    expect(await sim.ok('zfs', ['get', '-H', '-o', 'value', 'volsize', 'rpool/data/vm-100-disk-0'])).toBe('40G\n');
  });
});

describe('qm guest exec', () => {
  it('needs an agent and a running VM, prints pretty JSON and leaves out empty output', async () => {
    await sim.ok('qm', ['create', '100']);
    expect((await sim.run('qm', ['guest', 'exec', '100', '--', 'true'])).stderr).toBe('No QEMU guest agent configured\n');
    await sim.ok('qm', ['set', '100', '--agent', '1']);
    expect((await sim.run('qm', ['guest', 'exec', '100', '--', 'true'])).stderr).toBe('VM 100 is not running\n');
    await sim.ok('qm', ['start', '100']);
    // The agent answers a few (simulated) seconds after boot, as a real guest's does: wait for it.
    for (let i = 0; i < 100 && (await sim.run('qm', ['guest', 'cmd', '100', 'ping'])).exitCode !== 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await sim.ok('qm', ['guest', 'exec', '100', '--', 'echo', 'hello'])).toBe(
      '{\n   "exitcode" : 0,\n   "exited" : 1,\n   "out-data" : "hello\\n"\n}\n',
    );
    expect(await sim.ok('qm', ['guest', 'exec', '100', '--', 'false'])).toBe('{\n   "exitcode" : 1,\n   "exited" : 1\n}\n');
    const log = sim.file('var/sim/exec.log').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((e) => [e.tool, e.vmid, e.argv])).toEqual([
      ['qm', 100, ['echo', 'hello']],
      ['qm', 100, ['false']],
    ]);
  });
});
