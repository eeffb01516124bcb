/** vm provider against the simulated node; command lines per proxmox-cli.md §2. */
import { beforeAll, describe, expect, it } from 'vitest';
import { vmProvider as vm } from '../../src/resources/vm/provider.js';
import type { Attrs } from '../../src/config/values.js';
import { proposedDiff, simHarness, recordingHold } from './harness.js';
import { ED25519_KEY } from '../fixtures/proxmox-values.js';
/** qemu-server's defaults for the disk options a VM disk config leaves unset. */
const DISK_DEFAULTS = { discard: false, ssd: false, iothread: false, cache: null, aio: null, backup: true, replicate: true };

function planned(config: Attrs): Attrs {
  const attrs: Attrs = {};
  for (const [name, schema] of Object.entries(vm.schema.attributes)) attrs[name] = config[name] ?? schema.default ?? null;
  return vm.normalize!(attrs);
}

const KEY = ED25519_KEY;

const templateConfig: Attrs = {
  vmid: 9000,
  name: 'debian-cloud',
  cores: 2,
  memory: 2048,
  disks: [{ slot: 'scsi0', storage: 'local-zfs', size: '32G' }],
  network: [{ bridge: 'vmbr0' }],
  cloud_init: { user: 'ops', ssh_public_keys: KEY, ipconfig: ['ip=dhcp'] },
  agent: true,
  state: 'stopped',
};

describe('vm end to end on the simulator', () => {
  const sim = simHarness();
  let template: Attrs;

  beforeAll(async () => {
    template = await vm.create(sim.ctx, planned(templateConfig));
  });

  it('creates with qm create, ssh keys passed as a host file path', () => {
    const [create] = sim.issued('qm', 'create');
    expect(create!.slice(0, -2)).toEqual([
      'qm', 'create', '9000',
      '--agent', '1', '--ciuser', 'ops', '--cores', '2', '--memory', '2048', '--name', 'debian-cloud', '--scsihw', 'virtio-scsi-pci',
      '--ipconfig0', 'ip=dhcp', '--net0', 'virtio,bridge=vmbr0',
      '--scsi0', 'local-zfs:32', '--ide2', 'local-zfs:cloudinit', '--boot', 'order=scsi0',
    ]);
    expect(create!.at(-2)).toBe('--sshkeys');
    expect(sim.issued('qm', 'start')).toEqual([]);
  });

  it('returns the stored config: generated MAC, disks, cloud-init keys decoded', () => {
    expect((template.network as Attrs[])[0]!.hwaddr).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
    expect(template.disks).toEqual([{ slot: 'scsi0', storage: 'local-zfs', size: '32G', import_from: null, ...DISK_DEFAULTS }]);
    expect((template.cloud_init as Attrs).ssh_public_keys).toBe(KEY);
    expect(template.state).toBe('stopped');
  });

  it('plans no change for the same config', () => {
    const next = planned(templateConfig);
    const changed = Object.keys(vm.schema.attributes).filter((k) => JSON.stringify(template[k]) !== JSON.stringify(next[k]));
    expect(vm.diff!(template, next, proposedDiff(...changed)).changed).toEqual([]);
  });

  it('converts to a template in place with qm template', async () => {
    expect(vm.diff!(template, planned({ ...templateConfig, template: true }), proposedDiff('template')).replacePaths).toEqual([]);
    sim.reset();
    template = await vm.update(sim.ctx, template, planned({ ...templateConfig, template: true }), proposedDiff('template'));
    expect(sim.issued('qm', 'template')).toEqual([['qm', 'template', '9000']]);
    expect(template.template).toBe(true);
    expect(vm.diff!(template, planned({ ...templateConfig, template: false }), proposedDiff('template')).replacePaths).toEqual([['template']]);
  });

  let app: Attrs;
  it('full-clones the template, then sets only what differs and grows the disk', async () => {
    sim.reset();
    const { held, ctx } = recordingHold(sim);
    app = await vm.create(
      ctx,
      planned({ vmid: 201, name: 'app1', clone: { source_vmid: 9000, full: true }, cores: 4, disks: [{ slot: 'scsi0', storage: 'local-zfs', size: '40G' }], cloud_init: { user: 'ops', ssh_public_keys: KEY, ipconfig: ['ip=10.0.0.21/24,gw=10.0.0.1'] } }),
    );
    expect(sim.issued('qm', 'clone')).toEqual([['qm', 'clone', '9000', '201', '--name', 'app1', '--full', '1', '--storage', 'local-zfs']]);
    expect(sim.issued('qm', 'set')).toEqual([['qm', 'set', '201', '--cores', '4', '--ipconfig0', 'ip=10.0.0.21/24,gw=10.0.0.1']]);
    expect(sim.issued('qm', 'disk', 'resize')).toEqual([['qm', 'disk', 'resize', '201', 'scsi0', '40G']]);
    expect(sim.issued('qm', 'start')).toEqual([['qm', 'start', '201']]);
    expect(app.state).toBe('running');
    // Only the copy holds the target storage's key; set, resize and start do not. The source is a
    // template, which qm clone locks shared: no per-source key (test/cli/clone-locks.test.ts).
    expect(held.map((h) => h.keys)).toEqual([['storage:pve/local-zfs']]);
    expect(held[0]!.commands.map((c) => c.slice(0, 2))).toEqual([['qm', 'clone']]);
  });

  it('classifies disk changes: grow and move in place, shrink replaces', () => {
    const withDisk = (size: string, storage = 'local-zfs') => planned({ ...app, disks: [{ slot: 'scsi0', storage, size }] });
    expect(vm.diff!(app, withDisk('64G'), proposedDiff('disks')).replacePaths).toEqual([]);
    expect(vm.diff!(app, withDisk('20G'), proposedDiff('disks')).replacePaths).toEqual([['disks']]);
    expect(vm.diff!(app, withDisk('40G', 'tank'), proposedDiff('disks')).replacePaths).toEqual([]);
  });

  it('moves a disk to another storage online with qm disk move --delete 1, no restart', async () => {
    await sim.host('pvesm', 'add', 'zfspool', 'tank-vm', '--pool', 'tank', '--content', 'images');
    const moved = { ...app, disks: [{ ...(app.disks as Attrs[])[0]!, storage: 'tank-vm' }] };
    const diff = vm.diff!(app, moved, proposedDiff('disks'));
    expect(diff.restart).toBeUndefined();
    sim.reset();
    app = await vm.update(sim.ctx, app, moved, diff);
    expect(sim.issued('qm', 'disk')).toEqual([['qm', 'disk', 'move', '201', 'scsi0', 'tank-vm', '--delete', '1']]);
    expect(app.disks).toEqual([{ slot: 'scsi0', storage: 'tank-vm', size: '40G', import_from: null, ...DISK_DEFAULTS }]);
    expect(sim.conf('qemu-server', 201)).not.toMatch(/^unused/m);
    expect(await sim.host('zfs', 'list', '-H', '-o', 'name', 'tank/vm-201-disk-0')).toBe('tank/vm-201-disk-0\n');
  });

  it('adds a disk by hot-plug and removes it in place: detached, its volume kept as unused0, no restart', async () => {
    const twoDisks = { ...app, disks: [...(app.disks as Attrs[]), { slot: 'scsi1', storage: 'local-zfs', size: '4G', import_from: null }] };
    const addDiff = vm.diff!(app, twoDisks, proposedDiff('disks'));
    expect(addDiff.replacePaths).toEqual([]);
    expect(addDiff.restart).toBeUndefined();
    sim.reset();
    app = await vm.update(sim.ctx, app, twoDisks, addDiff);
    expect(sim.issued('qm', 'set')).toEqual([['qm', 'set', '201', '--scsi1', 'local-zfs:4']]);
    expect(app.disks).toHaveLength(2);
    const oneDisk = { ...app, disks: [(app.disks as Attrs[])[0]!] };
    const removeDiff = vm.diff!(app, oneDisk, proposedDiff('disks'));
    expect(removeDiff.replacePaths).toEqual([]);
    expect(removeDiff.restart).toBeUndefined();
    sim.reset();
    app = await vm.update(sim.ctx, app, oneDisk, removeDiff);
    expect(sim.issued('qm', 'set')).toEqual([['qm', 'set', '201', '--delete', 'scsi1']]);
    expect(sim.issued('qm', 'reboot')).toEqual([]);
    expect(app.disks).toEqual([(oneDisk.disks as Attrs[])[0]]);
    expect(sim.conf('qemu-server', 201)).toMatch(/^unused0: local-zfs:vm-201-disk-\d$/m);
    // ide/sata cannot be unplugged from a running VM: removing one waits for the next start.
    const withSata = { ...app, disks: [...(app.disks as Attrs[]), { slot: 'sata1', storage: 'local-zfs', size: '4G', import_from: null }] };
    expect(vm.diff!(withSata, app, proposedDiff('disks')).restart).toEqual({ guest: 'VM 201', attributes: ['disks'], restarts: true });
  });

  it('changes cores with qm set and reboots the running VM (restart in the plan)', async () => {
    const diff = vm.diff!(app, { ...app, cores: 6 }, proposedDiff('cores'));
    expect(diff.restartPaths).toEqual([['cores']]);
    expect(diff.restart).toEqual({ guest: 'VM 201', attributes: ['cores'], restarts: true });
    sim.reset();
    app = await vm.update(sim.ctx, app, { ...app, cores: 6 }, diff);
    expect(sim.issued('qm', 'set')).toEqual([['qm', 'set', '201', '--cores', '6']]);
    expect(sim.issued('qm', 'reboot')).toEqual([['qm', 'reboot', '201']]);
    expect(app.pending_changes).toEqual([]);
  });

  it('with reboot_after_update = false leaves the change pending on the host and reads it back as pending', async () => {
    const wanted = { ...app, memory: 4096, reboot_after_update: false };
    const diff = vm.diff!(app, wanted, proposedDiff('memory', 'reboot_after_update'));
    expect(diff.restart).toEqual({ guest: 'VM 201', attributes: ['memory'], restarts: false });
    sim.reset();
    app = await vm.update(sim.ctx, app, wanted, diff);
    expect(sim.issued('qm', 'reboot')).toEqual([]);
    expect(sim.conf('qemu-server', 201)).toMatch(/\[PENDING\]\nmemory: 4096/);
    expect(app.memory).toBe(4096);
    expect(app.pending_changes).toEqual(['memory']);
    // Turning restarts back on plans the restart that applies what is pending.
    const consent = { ...app, reboot_after_update: true };
    const next = vm.diff!(app, consent, proposedDiff('reboot_after_update'));
    expect(next.restart).toEqual({ guest: 'VM 201', attributes: ['memory'], restarts: true });
    app = await vm.update(sim.ctx, app, consent, next);
    expect(sim.issued('qm', 'reboot')).toEqual([['qm', 'reboot', '201']]);
    expect(app.pending_changes).toEqual([]);
    expect(sim.conf('qemu-server', 201)).not.toContain('[PENDING]');
  });

  it('runs health checks through the guest agent and reads the exit code from the JSON', async () => {
    sim.injectFaults([{ match: 'qm guest exec 201 --timeout 60 -- sh -c systemctl is-active nginx', action: 'fail', exitCode: 3, stdout: 'inactive' }]);
    const results = await vm.check!({ ...sim.ctx }, { ...app, health_check: [{ name: 'ok', command: 'true', retries: 1, interval: 0 }, { name: 'nginx', command: 'systemctl is-active nginx', retries: 2, interval: 0 }] });
    expect(results.map((r) => [r.name, r.ok, r.attempts])).toEqual([
      ['ok', true, 1],
      ['nginx', true, 2],
    ]);
  });

  it('imports a VM so that a matching config plans no change', async () => {
    const imported = await vm.import(sim.ctx, '201');
    const config = planned({ ...app, clone: { source_vmid: 9000, full: true } });
    const changed = Object.keys(vm.schema.attributes).filter((k) => JSON.stringify(imported[k]) !== JSON.stringify(config[k]));
    expect(vm.diff!(imported, config, proposedDiff(...changed)).changed).toEqual([]);
  });

  it('destroys: qm stop then qm destroy; read returns null', async () => {
    sim.reset();
    await vm.delete(sim.ctx, app);
    expect(sim.commands.filter((c) => c[0] === 'qm')).toEqual([
      ['qm', 'stop', '201'],
      ['qm', 'destroy', '201', '--purge', '1'],
    ]);
    expect(await vm.read(sim.ctx, [{ address: 'vm.app', prior: app }])).toEqual([null]);
  });
});
