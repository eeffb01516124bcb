/** lxc provider against the simulated node, through the real runner; command lines per proxmox-cli.md §1. */
import { beforeAll, describe, expect, it } from 'vitest';
import { lxcProvider as lxc } from '../../src/resources/lxc/provider.js';
import type { Attrs } from '../../src/config/values.js';
import { proposedDiff, simHarness, recordingHold } from './harness.js';

const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

/** What the engine would pass: config decoded (unset optional attributes null), then normalised. */
function planned(config: Attrs): Attrs {
  const attrs: Attrs = {};
  for (const [name, schema] of Object.entries(lxc.schema.attributes)) attrs[name] = config[name] ?? schema.default ?? null;
  return lxc.normalize!(attrs);
}

const webConfig: Attrs = {
  vmid: 101,
  hostname: 'web',
  ostemplate: TEMPLATE,
  cores: 2,
  memory: 1024,
  rootfs: { storage: 'local-zfs', size: '8G' },
  network: [{ name: 'eth0', bridge: 'vmbr0', ip: '10.0.0.5/24', gw: '10.0.0.1' }],
  features: { nesting: true },
  tags: ['Web', 'prod'],
  password: 'hunter22',
  lxc_raw: ['lxc.apparmor.profile = unconfined'],
  gpus: [0],
};

describe('lxc end to end on the simulator', () => {
  const sim = simHarness();
  let created: Attrs;

  beforeAll(async () => {
    created = await lxc.create(sim.ctx, planned(webConfig));
  });

  it('creates with pct create, writes raw lines under the guest lock, then starts', () => {
    expect(sim.issued('pct', 'create')).toEqual([
      [
        'pct', 'create', '101', TEMPLATE,
        '--cores', '2', '--features', 'nesting=1', '--hostname', 'web', '--memory', '1024', '--tags', 'prod;web',
        '--net0', 'name=eth0,bridge=vmbr0,gw=10.0.0.1,ip=10.0.0.5/24',
        '--rootfs', 'local-zfs:8', '--password=hunter22',
      ],
    ]);
    const [flock] = sim.issued('flock');
    expect(flock!.slice(0, 6)).toEqual(['flock', '-w', '10', `${sim.dir}/run/lock/lxc/pve-config-101.lock`, 'perl', '-e']);
    // CONFFILE, then how many lines phoenix wrote before (none: a new container), then the lines.
    expect(flock!.slice(7, 10)).toEqual([`${sim.dir}/etc/pve/nodes/pve/lxc/101.conf`, '0', 'lxc.apparmor.profile: unconfined']);
    expect(sim.issued('pct', 'start')).toEqual([['pct', 'start', '101']]);
    expect(sim.conf('lxc', 101)).toContain('lxc.mount.entry: /dev/nvidia0 dev/nvidia0 none bind,optional,create=file');
  });

  it('returns what the host stored: generated MAC, running state, raw lines split from GPUs', () => {
    expect((created.network as Attrs[])[0]!.hwaddr).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/);
    expect(created.state).toBe('running');
    expect(created.lxc_raw).toEqual(['lxc.apparmor.profile: unconfined']);
    expect(created.gpus).toEqual([0]);
    expect(created.password).toBe('hunter22');
  });

  it('reads back exactly what create returned, and the same config plans no change', async () => {
    sim.reset();
    const [read] = await lxc.read(sim.ctx, [{ address: 'lxc.web', prior: created }]);
    expect(read).toEqual(created);
    const next = planned(webConfig);
    const changed = Object.keys(lxc.schema.attributes).filter((k) => JSON.stringify(read![k]) !== JSON.stringify(next[k]));
    expect(lxc.diff!(read!, next, proposedDiff(...changed)).changed).toEqual([]);
  });

  it('updates memory in place with only that option, keeping the MAC', async () => {
    sim.reset();
    const next = await lxc.update(sim.ctx, created, planned({ ...webConfig, memory: 2048 }), proposedDiff('memory'));
    expect(sim.issued('pct', 'set')).toEqual([['pct', 'set', '101', '--memory', '2048']]);
    expect(sim.issued('pct', 'reboot')).toEqual([]);
    expect(next.memory).toBe(2048);
    expect(next.network).toEqual(created.network);
    created = next;
  });

  it('a NIC change sends the existing MAC back so it never changes', async () => {
    sim.reset();
    const nic = { name: 'eth0', bridge: 'vmbr0', ip: '10.0.0.6/24', gw: '10.0.0.1' };
    const next = await lxc.update(sim.ctx, created, planned({ ...webConfig, memory: 2048, network: [nic] }), proposedDiff('network'));
    const mac = (created.network as Attrs[])[0]!.hwaddr;
    // type=veth is Proxmox's own key: phoenix does not model it and sends it back as the host has it.
    expect(sim.issued('pct', 'set')).toEqual([['pct', 'set', '101', '--net0', `name=eth0,bridge=vmbr0,gw=10.0.0.1,hwaddr=${mac},ip=10.0.0.6/24,type=veth`]]);
    expect((next.network as Attrs[])[0]!.hwaddr).toBe(mac);
    created = next;
  });

  it('a features change is set and the running container rebooted; the plan says restart', async () => {
    const config = { ...webConfig, memory: 2048, network: [{ name: 'eth0', bridge: 'vmbr0', ip: '10.0.0.6/24', gw: '10.0.0.1' }], features: { nesting: true, keyctl: true } };
    const diff = lxc.diff!(created, planned(config), proposedDiff('features'));
    expect(diff.restartPaths).toEqual([['features']]);
    expect(diff.restart).toEqual({ guest: 'CT 101', attributes: ['features'], restarts: true });
    sim.reset();
    const next = await lxc.update(sim.ctx, created, planned(config), diff);
    expect(sim.issued('pct', 'set')).toEqual([['pct', 'set', '101', '--features', 'keyctl=1,nesting=1']]);
    expect(sim.issued('pct', 'reboot')).toEqual([['pct', 'reboot', '101']]);
    expect(next.features).toEqual({ nesting: true, keyctl: true, fuse: false, mknod: false, mount: [] });
    created = next;
  });

  it('grows the rootfs with pct resize', async () => {
    sim.reset();
    const next = await lxc.update(sim.ctx, created, { ...created, rootfs: { storage: 'local-zfs', size: '16G' } }, proposedDiff('rootfs'));
    expect(sim.issued('pct', 'resize')).toEqual([['pct', 'resize', '101', 'rootfs', '16G']]);
    expect(next.rootfs).toEqual({ storage: 'local-zfs', size: '16G' });
    created = next;
  });

  it('moves the rootfs to another storage with pct move-volume: stopped and started with consent, refused in the plan without', async () => {
    await sim.host('pvesm', 'add', 'zfspool', 'tank-ct', '--pool', 'tank', '--content', 'rootdir');
    const moved = { ...created, rootfs: { storage: 'tank-ct', size: '16G' } };
    expect(() => lxc.diff!(created, { ...moved, reboot_after_update: false }, proposedDiff('rootfs', 'reboot_after_update'))).toThrow(
      /Moving rootfs to tank-ct needs CT 101 stopped \(pct move-volume refuses a running container\)/,
    );
    const diff = lxc.diff!(created, moved, proposedDiff('rootfs'));
    expect(diff.replacePaths).toEqual([]);
    expect(diff.restart).toEqual({ guest: 'CT 101', attributes: ['rootfs'], restarts: true });
    sim.reset();
    const next = await lxc.update(sim.ctx, created, moved, diff);
    expect(sim.commands.filter((c) => c[0] === 'pct').map((c) => c.slice(0, 3))).toEqual([
      ['pct', 'shutdown', '101'],
      ['pct', 'move-volume', '101'],
      ['pct', 'start', '101'],
    ]);
    expect(sim.issued('pct', 'move-volume')).toEqual([['pct', 'move-volume', '101', 'rootfs', 'tank-ct', '--delete', '1']]);
    expect(next.rootfs).toEqual({ storage: 'tank-ct', size: '16G' });
    expect(next.state).toBe('running');
    expect(sim.conf('lxc', 101)).toMatch(/^rootfs: tank-ct:subvol-101-disk-0,size=16G$/m);
    created = next;
  });

  it('rewrites only the raw lines when lxc_raw changes, keeping snapshot sections', async () => {
    await sim.host('pct', 'snapshot', '101', 'before');
    sim.reset();
    const lines = ['lxc.apparmor.profile: unconfined', 'lxc.cgroup2.devices.allow: c 10:200 rwm'];
    const next = await lxc.update(sim.ctx, created, { ...created, lxc_raw: lines }, proposedDiff('lxc_raw'));
    expect(sim.issued('pct', 'set')).toEqual([]);
    expect(sim.issued('flock')).toHaveLength(1);
    expect(next.lxc_raw).toEqual(lines);
    expect(next.gpus).toEqual([0]);
    expect(sim.conf('lxc', 101)).toContain('[before]');
    created = next;
  });

  it('shows drift made with plain pct set', async () => {
    await sim.host('pct', 'set', '101', '--cores', '8');
    const [read] = await lxc.read(sim.ctx, [{ address: 'lxc.web', prior: created }]);
    expect(read!.cores).toBe(8);
  });

  it('reads N containers with a constant number of commands', async () => {
    for (const vmid of [110, 111, 112]) {
      await sim.host('pct', 'create', String(vmid), TEMPLATE, '--rootfs', 'local-zfs:4', '--hostname', `ct${vmid}`);
    }
    sim.reset();
    const priors = [101, 110, 111, 112, 999].map((vmid) => ({ address: `lxc.c${vmid}`, prior: { vmid } }));
    const results = await lxc.read(sim.ctx, priors);
    // Existence from the cluster listing, configs in one grep, live power state from /nodes/pve/lxc.
    expect(sim.commands.map((c) => c.slice(0, 3).join(' '))).toEqual(['pvesh get /cluster/resources', 'grep -H ', 'pvesh get /nodes/pve/lxc']);
    expect(results.map((r) => r?.hostname ?? null)).toEqual(['web', 'ct110', 'ct111', 'ct112', null]);
  });

  it('reconciles the power state: start when it should run, graceful shutdown when it should stop', async () => {
    const [stopped] = await lxc.read(sim.ctx, [{ address: 'lxc.c111', prior: { vmid: 111 } }]);
    expect(stopped!.state).toBe('stopped');
    sim.reset();
    const running = await lxc.update(sim.ctx, stopped!, { ...stopped!, state: 'running' }, proposedDiff('state'));
    expect(sim.commands.filter((c) => c[0] === 'pct')).toEqual([['pct', 'start', '111']]);
    expect(running.state).toBe('running');
    sim.reset();
    const again = await lxc.update(sim.ctx, running, { ...running, state: 'stopped' }, proposedDiff('state'));
    expect(sim.commands.filter((c) => c[0] === 'pct')).toEqual([['pct', 'shutdown', '111', '--timeout', '60', '--forceStop', '1']]);
    expect(again.state).toBe('stopped');
  });

  it('imports a container so that a matching config plans no change', async () => {
    const imported = await lxc.import(sim.ctx, '110');
    const config = planned({ vmid: 110, ostemplate: TEMPLATE, hostname: 'ct110', rootfs: { storage: 'local-zfs', size: '4G' }, state: 'stopped' });
    const changed = Object.keys(lxc.schema.attributes).filter((k) => JSON.stringify(imported[k]) !== JSON.stringify(config[k]));
    expect(lxc.diff!(imported, config, proposedDiff(...changed)).changed).toEqual([]);
  });

  it('clones from a snapshot with --snapname and brings the clone to its config', async () => {
    sim.reset();
    const { held, ctx } = recordingHold(sim);
    const clone = await lxc.create(
      ctx,
      planned({ vmid: 120, hostname: 'web2', clone: { source_vmid: 101, snapshot: 'before', full: true }, memory: 512 }),
    );
    expect(sim.issued('pct', 'clone')).toEqual([['pct', 'clone', '101', '120', '--hostname', 'web2', '--full', '1', '--snapname', 'before']]);
    expect(sim.issued('pct', 'set')).toEqual([['pct', 'set', '120', '--memory', '512']]);
    // Only the copy holds the source's key (pct clone locks it); the set afterwards does not.
    expect(held).toEqual([{ keys: ['clone-source:pve/101'], commands: [sim.issued('pct', 'clone')[0]] }]);
    expect(clone.memory).toBe(512);
    expect(clone.clone).toEqual({ source_vmid: 101, snapshot: 'before', full: true });
  });

  it('retries a lock timeout inside NodeHandle.run, and fails with the host message when retries run out', async () => {
    sim.injectFaults([{ match: 'pct set 112', action: 'lock-timeout', times: 1 }]);
    const [ct] = await lxc.read(sim.ctx, [{ address: 'lxc.c112', prior: { vmid: 112 } }]);
    const next = await lxc.update(sim.ctx, ct!, { ...ct!, cores: 3 }, proposedDiff('cores'));
    expect(next.cores).toBe(3);

    const once = simHarness({ retryAttempts: 1 });
    await once.host('pct', 'create', '130', TEMPLATE, '--rootfs', 'local-zfs:4');
    once.injectFaults([{ match: 'pct set 130', action: 'lock-timeout', times: 1 }]);
    const [other] = await lxc.read(once.ctx, [{ address: 'lxc.x', prior: { vmid: 130 } }]);
    await expect(lxc.update(once.ctx, other!, { ...other!, cores: 3 }, proposedDiff('cores'))).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ summary: expect.stringContaining("can't lock file") })],
    });
  });

  it('destroys a running container: stop, then destroy; read returns null', async () => {
    sim.reset();
    await lxc.delete(sim.ctx, created);
    expect(sim.commands.filter((c) => c[0] === 'pct')).toEqual([
      ['pct', 'stop', '101'],
      ['pct', 'destroy', '101', '--purge', '1'],
    ]);
    expect(await lxc.read(sim.ctx, [{ address: 'lxc.web', prior: created }])).toEqual([null]);
  });

  it('surfaces the host error when the vmid is taken', async () => {
    await expect(lxc.create(sim.ctx, planned({ ...webConfig, vmid: 110 }))).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ summary: expect.stringContaining('already exists') })],
    });
  });
});
