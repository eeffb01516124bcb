/**
 * Behaviour a real Proxmox node shows and phoenix must live with, through the CLI on the simulator
 * (which lags, waits and refuses as a node does: see src/sim/cli.ts): power state read live, property
 * strings merged with what phoenix does not model, raw lines it did not write kept, sizes in exact MiB,
 * DNS lists, task failures that exit 0, passwords starting with `-`, the guest agent and exec timeouts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guestConf, injectFaults, sim, stateResources } from '../acceptance/harness.js';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { workspace, type Workspace } from './harness.js';

const NODE = 'node "pve" {\n  connection = "simulator"\n}\n';
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

/** A workspace whose simulated node uses these settings (sim.json) from its first command on. */
function simWorkspace(hcl: string, settings: object = {}): Workspace & { simDir: string } {
  const w = workspace({ 'main.hcl': NODE + hcl });
  const simDir = join(w.dir, '.phoenix-sim');
  mkdirSync(simDir, { recursive: true });
  writeFileSync(join(simDir, 'sim.json'), JSON.stringify(settings));
  ws = w;
  return Object.assign(w, { simDir });
}

async function applyOk(w: Workspace): Promise<string> {
  const result = await w.run(['apply', '-auto-approve']);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return result.stdout;
}

async function expectNoChanges(w: Workspace): Promise<void> {
  const plan = await w.run(['plan', '-detailed-exitcode']);
  expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  expect(plan.stdout).toContain('No changes.');
}

const container = (extra: string) => `
resource "lxc" "web" {
  vmid         = 101
  hostname     = "web"
  ostemplate   = "${TEMPLATE}"
  password     = "-starts-with-a-dash"
  nameserver   = "1.1.1.1,8.8.8.8"
  searchdomain = "a.lan;b.lan"
  rootfs {
    storage = "local-zfs"
    size    = "500M"
  }
  features {
    nesting = true
  }
${extra}
}
`;

describe('containers on a node that behaves like Proxmox', () => {
  it('records a fresh container as running although /cluster/resources still lags, and converges', async () => {
    const w = simWorkspace(container('  network {\n    name   = "eth0"\n    bridge = "vmbr0"\n    ip     = "10.0.0.5/24"\n  }'));
    await applyOk(w);
    // pvestatd has not caught up (status_lag_ms 10 s): the cluster listing still says the CT is not running...
    const cluster = JSON.parse(sim(w.simDir, 'pvesh', 'get', '/cluster/resources', '--type', 'vm', '--output-format', 'json')) as { vmid: number; status: string }[];
    expect(cluster.find((g) => g.vmid === 101)!.status).not.toBe('running');
    // ...but phoenix read the live state, so the state says running and the next plan has nothing to do.
    expect(stateResources(w).find((r) => r.address === 'lxc.web')!.attributes.state).toBe('running');
    const conf = guestConf(w.simDir, 'lxc', 101);
    expect(conf).toMatch(/^rootfs: local-zfs:subvol-101-disk-0,size=500M$/m);
    expect(conf).toMatch(/^nameserver: 1\.1\.1\.1 8\.8\.8\.8$/m);
    expect(conf).toMatch(/^searchdomain: a\.lan b\.lan$/m);
    expect(rejectedCommands(w.simDir)).toEqual([]);
    await expectNoChanges(w);
  }, 120_000);

  it('keeps NIC and feature keys and raw lines it does not manage when it changes them', async () => {
    const nic = (ip: string) => `  network {\n    name   = "eth0"\n    bridge = "vmbr0"\n    ip     = "${ip}"\n  }`;
    const w = simWorkspace(container(`${nic('10.0.0.5/24')}\n  lxc_raw = ["lxc.apparmor.profile: unconfined"]`));
    await applyOk(w);
    // Someone tunes the container by hand with settings phoenix has no attribute for.
    const mac = /hwaddr=([0-9A-F:]+)/.exec(guestConf(w.simDir, 'lxc', 101))![1]!;
    sim(w.simDir, 'pct', 'set', '101', '--net0', `name=eth0,bridge=vmbr0,hwaddr=${mac},ip=10.0.0.5/24,link_down=1,rate=10,trunks=10;20`);
    sim(w.simDir, 'pct', 'set', '101', '--features', 'force_rw_sys=1,nesting=1');
    sim(w.simDir, 'pct', 'reboot', '101'); // features wait in [pve:pending] until the restart
    const confPath = join(w.simDir, 'etc/pve/nodes/pve/lxc/101.conf');
    writeFileSync(confPath, readFileSync(confPath, 'utf8').replace(/\n*$/, '\nlxc.environment.runtime: TZ=UTC\nlxc.mount.auto: proc:rw\n'));
    await expectNoChanges(w);

    w.write('main.hcl', NODE + container(`${nic('10.0.0.6/24')}\n  lxc_raw = ["lxc.cap.drop: "]`).replace('nesting = true', 'nesting = true\n    keyctl  = true'));
    await applyOk(w);
    const conf = guestConf(w.simDir, 'lxc', 101);
    expect(conf).toMatch(new RegExp(`^net0: name=eth0,bridge=vmbr0,hwaddr=${mac},ip=10\\.0\\.0\\.6/24,link_down=1,rate=10,trunks=10;20,type=veth$`, 'm'));
    expect(conf).toMatch(/^features: force_rw_sys=1,keyctl=1,nesting=1$/m);
    expect(conf).toContain('lxc.environment.runtime: TZ=UTC\n');
    expect(conf).toContain('lxc.mount.auto: proc:rw\n');
    expect(conf).toContain('lxc.cap.drop: \n');
    expect(conf).not.toContain('lxc.apparmor.profile');
    expect(rejectedCommands(w.simDir)).toEqual([]);
    await expectNoChanges(w);
  }, 120_000);

  it('reports a resize that failed although pct exited 0', async () => {
    const w = simWorkspace(container(''));
    await applyOk(w);
    injectFaults(w.simDir, [{ match: 'pct resize 101', action: 'fail', exitCode: 0, stderr: 'zfs error: cannot set property for rpool/data/subvol-101-disk-0: out of space' }]);
    w.write('main.hcl', NODE + container('').replace('"500M"', '"1G"'));
    const apply = await w.run(['apply', '-auto-approve']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('resizing CT 101 rootfs failed: zfs error: cannot set property for rpool/data/subvol-101-disk-0: out of space');
  }, 120_000);
});

const VM = (extra: string) => `
resource "vm" "app" {
  vmid    = 300
  name    = "app"
  agent   = true
  machine = "q35"
  hostpci = ["0000:01:00,pcie=1"]
  disks {
    slot    = "scsi0"
    storage = "local-zfs"
    size    = "4G"
  }
${extra}
}

resource "feature" "tool" {
  guest      = vm.app.vmid
  guest_type = "vm"
  name       = "tool"
  script     = "echo installing"
}
`;

describe('VMs on a node that behaves like Proxmox', () => {
  it('waits for the guest agent, runs a script longer than qm guest exec\'s default 30 s, and converges', async () => {
    // The agent answers 100 guest seconds after boot; scripts run 45 (a guest second lasts 20 ms).
    const nic = '  network {\n    model  = "e1000-82540em"\n    bridge = "vmbr0"\n  }';
    const w = simWorkspace(VM(nic), { second_ms: 20, agent_start_s: 100, script_run_s: 45 });
    await applyOk(w);
    const execs = readFileSync(join(w.simDir, 'var/sim/exec.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; exitCode: number });
    const script = execs.find((e) => e.argv.includes('echo installing'))!;
    expect(script.exitCode).toBe(0); // finished: not cut off after 30 s with only a pid
    expect(guestConf(w.simDir, 'qemu-server', 300)).toMatch(/^net0: e1000-82540em=[0-9A-F:]+,bridge=vmbr0$/m);
    expect(rejectedCommands(w.simDir)).toEqual([]);
    await expectNoChanges(w);

    // A NIC tuned by hand (multiqueue, rate limit) keeps that when phoenix changes its VLAN.
    const mac = /e1000-82540em=([0-9A-F:]+)/.exec(guestConf(w.simDir, 'qemu-server', 300))![1]!;
    sim(w.simDir, 'qm', 'set', '300', '--net0', `e1000-82540em=${mac},bridge=vmbr0,queues=4,rate=50`);
    w.write('main.hcl', NODE + VM(nic.replace('bridge = "vmbr0"', 'bridge = "vmbr0"\n    tag    = 20')));
    await applyOk(w);
    expect(guestConf(w.simDir, 'qemu-server', 300)).toMatch(new RegExp(`^net0: e1000-82540em=${mac},bridge=vmbr0,queues=4,rate=50,tag=20$`, 'm'));
  }, 180_000);

  it('refuses PCIe passthrough without a q35 machine at plan time', async () => {
    const w = simWorkspace(VM('').replace('  machine = "q35"\n', ''));
    const plan = await w.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('hostpci "0000:01:00,pcie=1" needs machine = "q35"');
    expect(plan.stderr).toContain('q35 machine model is not enabled');
  });
});

describe('what Proxmox refuses across objects is a plan-time error', () => {
  const base = `
resource "zfs_dataset" "media" {
  name = "tank/media"
}

resource "lxc" "app" {
  vmid       = 210
  ostemplate = "${TEMPLATE}"
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
  mountpoint = [{ slot = "mp0", volume = "/tank/media", path = "/srv/media" }]
}
`;

  it('a snapshot or a clone of a container with a bind mount', async () => {
    const w = simWorkspace(`${base}
resource "snapshot" "app" {
  guest = lxc.app.vmid
  name  = "golden"
}

resource "lxc" "copy" {
  vmid = 211
  clone {
    source_vmid = lxc.app.vmid
  }
}
`);
    const plan = await w.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('CT 210 has a bind mount (mp0): it cannot be snapshotted');
    expect(plan.stderr).toContain('snapshot feature is not available');
    expect(plan.stderr).toContain('CT 210 has a bind mount (mp0): it cannot be cloned');
    expect(plan.stderr).toContain("unable to clone mountpoint 'mp0' (type bind)");
  });

  it('a template with snapshots', async () => {
    const w = simWorkspace(`
resource "vm" "tpl" {
  vmid     = 9000
  template = true
}

resource "snapshot" "tpl" {
  guest      = vm.tpl.vmid
  guest_type = "vm"
  name       = "before"
}
`);
    const plan = await w.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('VM 9000 cannot be a template: it has snapshots');
    expect(plan.stderr).toContain('VM 9000 is a template: it cannot be snapshotted');
  });

  const snapshotted = (template: boolean, snapshot: boolean) => `
resource "lxc" "base" {
  vmid       = 300
  hostname   = "base"
  ostemplate = "${TEMPLATE}"
  state      = "stopped"
  template   = ${template}
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
}
${snapshot ? 'resource "snapshot" "golden" {\n  guest = lxc.base.vmid\n  name  = "golden"\n}\n' : ''}`;

  it('a template conversion of a guest that has snapshots on the node, by hand or from a snapshot resource this plan removes', async () => {
    const w = simWorkspace(snapshotted(false, true));
    await applyOk(w);
    sim(w.simDir, 'pct', 'snapshot', '300', 'by_hand');
    expect(sim(w.simDir, 'pct', 'listsnapshot', '300')).toContain('by_hand');

    // The snapshot resource leaves the config in the same plan: its delete is not ordered before `pct template`.
    w.write('main.hcl', NODE + snapshotted(true, false));
    const plan = await w.run(['plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    expect(plan.stderr).toContain('CT 300 cannot be a template: it has snapshots');
    expect(plan.stderr).toContain('unable to create template, because CT contains snapshots');
    expect(plan.stderr).toContain('delete by_hand, golden on the node first (`pct delsnapshot 300 by_hand`');
    expect(plan.stderr).toMatch(/\d+:\s+template\s+= true\n.*\s{20}\^{4}\n/);

    // Once the node holds none, the conversion is an in-place update that the node accepts.
    sim(w.simDir, 'pct', 'delsnapshot', '300', 'by_hand');
    sim(w.simDir, 'pct', 'delsnapshot', '300', 'golden');
    await applyOk(w);
    expect(guestConf(w.simDir, 'lxc', 300)).toMatch(/^template: 1$/m);
    expect(rejectedCommands(w.simDir)).toEqual([]);
    await expectNoChanges(w);
  });
});

describe('ZFS datasets on a node that behaves like OpenZFS', () => {
  const dataset = (props: string) => `
resource "zfs_dataset" "data" {
  name       = "tank/data"
  properties = {
${props}
  }
}
`;

  it('compares acltype under the name zfs prints, and clears a removed quota with zfs set quota=none', async () => {
    const w = simWorkspace(dataset('    acltype = "posixacl"\n    xattr   = "sa"\n    quota   = "10G"'));
    await applyOk(w);
    expect(sim(w.simDir, 'zfs', 'get', '-H', '-o', 'value', 'acltype', 'tank/data').trim()).toBe('posix');
    await expectNoChanges(w);

    w.write('main.hcl', NODE + dataset('    acltype = "posixacl"\n    xattr   = "sa"'));
    await applyOk(w);
    expect(sim(w.simDir, 'zfs', 'get', '-H', '-o', 'value', 'quota', 'tank/data').trim()).toBe('none');
    expect(rejectedCommands(w.simDir)).toEqual([]);
    await expectNoChanges(w);
  }, 120_000);
});
