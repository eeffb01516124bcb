/**
 * Container hardware through the real CLI on the simulated node (issue #13): CPU limits, device
 * passthrough, mount options, owners of bind-mounted directories, id maps, AppArmor profile and
 * protection. Each change lands as pve-container lands it (Config.pm vmconfig_hotplug_pending): in place
 * when Proxmox hot-plugs it, pending until a restart the plan names otherwise, and that restart happens
 * only with consent (`reboot_after_update`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sim, simTool } from '../acceptance/harness.js';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { workspace, type Workspace } from './harness.js';

interface Settings {
  cpulimit: number;
  cpuunits: number;
  renderMode: string;
  serial: boolean;
  mountOptions: string[];
  owner: number;
  idMap: boolean;
  apparmor?: string;
  protection?: boolean;
  extra?: string;
}

const BASE: Settings = { cpulimit: 2, cpuunits: 300, renderMode: '0660', serial: false, mountOptions: ['noatime'], owner: 1000, idMap: true };

function container(s: Settings): string {
  return `node "pve" {
  connection = "simulator"
}

resource "lxc" "app" {
  vmid         = 110
  hostname     = "app"
  ostemplate   = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  unprivileged = true
  cpulimit     = ${s.cpulimit}
  cpuunits     = ${s.cpuunits}
  protection   = ${s.protection ?? false}
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
  features {
    nesting = true
  }
${s.idMap ? '  id_map {\n    container_uid = 1000\n    host_uid      = 1000\n    container_gid = 1000\n    host_gid      = 1000\n  }\n' : ''}\
  device {
    path = "/dev/dri/renderD128"
    gid  = 104
    mode = "${s.renderMode}"
  }
${s.serial ? '  device {\n    path = "/dev/ttyUSB0"\n  }\n' : ''}\
  mountpoint {
    slot          = "mp0"
    volume        = "/srv/photos"
    path          = "/photos"
    mount_options = ${JSON.stringify(s.mountOptions)}
    owner_uid     = ${s.owner}
    owner_gid     = ${s.owner}
  }
${s.apparmor ? `  apparmor_profile = "${s.apparmor}"\n` : ''}${s.extra ?? ''}}
`;
}

describe('container hardware on the simulated node', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const simDir = () => join(ws.dir, '.phoenix-sim');
  const conf = () => readFileSync(join(simDir(), 'etc/pve/nodes/pve/lxc/110.conf'), 'utf8');
  const current = () => sim(simDir(), 'pct', 'config', '110', '--current');
  const hostOwner = () => sim(simDir(), 'stat', '-c', '%u:%g', '/srv/photos').trim();
  /** A file inside the container: a replaced container would lose it. */
  const mark = () => sim(simDir(), 'pct', 'exec', '110', '--', 'tee', '/root/still-here');
  const marked = () => simTool(simDir(), 'pct', 'exec', '110', '--', 'test', '-f', '/root/still-here').code === 0;
  const apply = async () => {
    const result = await ws.run(['apply', '-auto-approve']);
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout).toBe(0);
    return result.stdout;
  };
  const noChanges = async () => expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
  /** The bind mount's source, a directory of the simulated host (as the dataset mountpoint would be). */
  const withPhotoDirectory = () => mkdirSync(join(simDir(), 'srv/photos'), { recursive: true });

  it('creates the container with its devices, limits, id maps and an owned bind mount, and plans no changes after', async () => {
    ws = workspace({ 'main.hcl': container(BASE) });
    withPhotoDirectory();
    await apply();
    expect(conf()).toMatch(/^cpulimit: 2$/m);
    expect(conf()).toMatch(/^cpuunits: 300$/m);
    expect(conf()).toMatch(/^dev0: \/dev\/dri\/renderD128,gid=104,mode=0660$/m);
    expect(conf()).toMatch(/^mp0: \/srv\/photos,mp=\/photos,mountoptions=noatime$/m);
    // The legacy lxc-manager.sh ranges: everything shifted by 100000 except the mapped 1000.
    for (const kind of ['u', 'g']) {
      expect(conf()).toContain(`lxc.idmap: ${kind} 0 100000 1000\nlxc.idmap: ${kind} 1000 1000 1\nlxc.idmap: ${kind} 1001 101001 64535\n`);
    }
    expect(hostOwner()).toBe('1000:1000');
    expect(sim(simDir(), 'pct', 'status', '110')).toBe('status: running\n');
    await noChanges();
    expect(rejectedCommands(simDir())).toEqual([]);
  }, 120_000);

  it('refuses at plan a device the node does not have and an owned bind mount whose directory is missing, creating nothing', async () => {
    ws = workspace({ 'main.hcl': container({ ...BASE, serial: true }).replace('/dev/ttyUSB0', '/dev/ttyUSB7') });
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Device to pass through not found on node pve');
    expect(plan.stderr).toContain('pct would refuse it ("Device /dev/ttyUSB7 does not exist")');
    expect(plan.stderr).toMatch(/\d+:\s+path = "\/dev\/ttyUSB7"\n\W+\^{14}\n/);
    expect(plan.stderr).toContain('Error: Bind mount directory not found on node pve');
    expect(plan.stderr).toMatch(/\d+:\s+volume\s+= "\/srv\/photos"\n\W+\^{13}\n/);
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(1);
    expect(simTool(simDir(), 'pct', 'status', '110').code).not.toBe(0);

    withPhotoDirectory();
    ws.write('main.hcl', container({ ...BASE, serial: true }));
    expect((await ws.run(['plan'])).code).toBe(0);
  }, 120_000);

  it('refuses at plan an id map the node does not let root make, and a container that got one anyway does not start', async () => {
    ws = workspace({ 'main.hcl': container(BASE) });
    withPhotoDirectory();
    // The simulated host allows root uid/gid 1000 (root:1000:1); this node has only Proxmox's default range.
    const onlyDefault = () => writeFileSync(join(simDir(), 'etc/subuid'), 'root:100000:65536\n');
    sim(simDir(), 'pvesm', 'status');
    onlyDefault();
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Node pve does not let root map uid 1000');
    expect(plan.stderr).toContain('("newuidmap: uid range [1000-1001) -> [1000-1001) not allowed"). Add "root:1000:1" to /etc/subuid on the node.');
    expect(plan.stderr).toMatch(/\d+:\s+id_map \{\n\W+\^{6}\n/);

    // Allowed at create, taken away by hand afterwards: the next start fails as lxc-start does.
    writeFileSync(join(simDir(), 'etc/subuid'), 'root:100000:65536\nroot:1000:1\n');
    await apply();
    onlyDefault();
    sim(simDir(), 'pct', 'stop', '110');
    const start = simTool(simDir(), 'pct', 'start', '110');
    expect(start.code).not.toBe(0);
    expect(start.stderr).toBe("newuidmap: uid range [1000-1001) -> [1000-1001) not allowed\nstartup for container '110' failed\n");
  }, 120_000);

  it('changes CPU limits, adds a device and re-owns the bind mount in place; device, mount option, id map and AppArmor changes wait for a restart it does only with consent', async () => {
    ws = workspace({ 'main.hcl': container(BASE) });
    withPhotoDirectory();
    await apply();
    mark();

    // Hot-plugged by Proxmox (cgroup quota and weight, device_passthrough_hotplug, $LXC_FASTPLUG_OPTIONS onboot and
    // startup) or a chown on the node: no restart.
    const hot: Settings = { ...BASE, cpulimit: 4, cpuunits: 500, serial: true, owner: 2000 };
    ws.write('main.hcl', container({ ...hot, extra: '  onboot = true\n  startup {\n    order = 2\n    up    = 30\n  }\n' }));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('# lxc.app will be updated in-place');
    expect(plan.stdout).toMatch(/~ cpulimit\s+= 2 -> 4/);
    expect(plan.stdout).toMatch(/~ host_owner = "1000:1000" -> "102000:102000"/);
    expect(plan.stdout).not.toContain('will be restarted');
    const applied = await apply();
    expect(applied).not.toContain('restarting');
    expect(conf()).not.toContain('[pve:pending]');
    expect(current()).toMatch(/^cpulimit: 4$/m);
    expect(current()).toMatch(/^dev1: \/dev\/ttyUSB0$/m);
    expect(current()).toMatch(/^onboot: 1$/m);
    expect(current()).toMatch(/^startup: order=2,up=30$/m);
    // Container uid 2000 is not mapped through: 100000 + 2000 on the host.
    expect(hostOwner()).toBe('102000:102000');
    await noChanges();

    // Changing an existing devN or mpN, or the raw lxc.* lines, is read at the next start only.
    const cold: Settings = { ...hot, renderMode: '0640', mountOptions: ['noatime', 'nosuid'], idMap: false, apparmor: 'unconfined' };
    ws.write('main.hcl', container({ ...cold, extra: '  reboot_after_update = false\n' }));
    const consentless = await ws.run(['plan']);
    expect(consentless.stdout).toContain(
      '# CT 110 will not be restarted (reboot_after_update = false): apparmor_profile, device, id_map, mountpoint pending until its next start',
    );
    const left = await apply();
    expect(left).not.toContain('restarting');
    expect(conf()).toMatch(/\[pve:pending\]\n(.*\n)*dev0: \/dev\/dri\/renderD128,gid=104,mode=0640\n(.*\n)*mp0: \/srv\/photos,mp=\/photos,mountoptions=noatime;nosuid/);
    expect(current()).toMatch(/^dev0: \/dev\/dri\/renderD128,gid=104,mode=0660$/m);
    const pending = await ws.run(['plan', '-detailed-exitcode']);
    expect(pending.code).toBe(0);
    expect(pending.stdout).toContain('Changes pending on the host until the guest restarts (reboot_after_update = false): CT 110');

    // Consent: the restart that applies them is planned, named and done; the container is kept.
    ws.write('main.hcl', container(cold));
    const consent = await ws.run(['plan']);
    expect(consent.stdout).toContain('# CT 110 will be restarted');
    expect(consent.stdout).not.toContain('must be replaced');
    expect(await apply()).toContain('restarting CT 110');
    expect(conf()).not.toContain('[pve:pending]');
    expect(current()).toMatch(/^dev0: \/dev\/dri\/renderD128,gid=104,mode=0640$/m);
    expect(current()).toMatch(/^mp0: \/srv\/photos,mp=\/photos,mountoptions=noatime;nosuid$/m);
    expect(conf()).toContain('lxc.apparmor.profile: unconfined');
    expect(conf()).not.toContain('lxc.idmap');
    expect(sim(simDir(), 'pct', 'status', '110')).toBe('status: running\n');
    expect(marked()).toBe(true);
    await noChanges();
    expect(rejectedCommands(simDir())).toEqual([]);
  }, 240_000);

  it('a protected container: mount point changes and destroy are refused at plan, turning protection off and changing them is one apply', async () => {
    ws = workspace({ 'main.hcl': container({ ...BASE, protection: true }) });
    withPhotoDirectory();
    await apply();
    expect(conf()).toMatch(/^protection: 1$/m);

    ws.write('main.hcl', container({ ...BASE, protection: true, mountOptions: ['noatime', 'nodev'] }));
    const refused = await ws.run(['plan']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("can't update CT 110 drive 'mp0' - protection mode enabled");
    expect(refused.stderr).toMatch(/main\.hcl line \d+, in resource "lxc" "app":\n.*\d+:\s+mountpoint \{\n\W+\^{10}\n/);

    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toContain('CT 110 is protected');
    expect(sim(simDir(), 'pct', 'status', '110')).toBe('status: running\n');

    ws.write('main.hcl', container({ ...BASE, protection: false, mountOptions: ['noatime', 'nodev'] }));
    await apply();
    expect(conf()).toMatch(/^protection: 0$/m);
    expect(current()).toMatch(/^mp0: \/srv\/photos,mp=\/photos,mountoptions=noatime;nodev$/m);
    const destroyed = await ws.run(['destroy', '-auto-approve']);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(simTool(simDir(), 'pct', 'status', '110').code).not.toBe(0);
  }, 180_000);
});
