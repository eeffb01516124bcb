/**
 * Guest changes through the real CLI on the simulated node: mount points change in place (never a new
 * container) and need their host directories (refused at plan, else by the node), restarts happen only when the plan says so (`reboot_after_update`), a change left pending
 * shows in the next plan, and nothing of phoenix's environment reaches a container.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sim, simTool } from '../acceptance/harness.js';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { simSettings } from '../host/sim-node.js';
import { workspace, type Workspace } from './harness.js';

const NODE = 'node "pve" {\n  connection = "simulator"\n}\n';

function container(body: string): string {
  return `${NODE}
resource "lxc" "app" {
  vmid       = 110
  hostname   = "app"
  ostemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
${body}
}
`;
}

const BIND = (readOnly: boolean) => `  mountpoint {
    slot      = "mp0"
    volume    = "/srv/data"
    path      = "/data"
    read_only = ${readOnly}
  }
`;
const VOLUME = (size: string) => `  mountpoint {
    slot   = "mp1"
    volume = "local-zfs"
    path   = "/cache"
    size   = "${size}"
  }
`;

const mount = (slot: string, volume: string, path: string) => `  mountpoint {
    slot   = "${slot}"
    volume = "${volume}"
    path   = "${path}"
  }
`;

/** A workspace whose node has the host directories the bind mounts use, as an operator made them. */
function bindWorkspace(mainHcl: string): Workspace {
  const made = workspace({ 'main.hcl': mainHcl });
  simSettings(made.dir, { directories: ['/srv/data', '/srv/logs'] });
  return made;
}

describe('guest changes on the simulated node', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const simDir = () => join(ws.dir, '.phoenix-sim');
  const config = () => sim(simDir(), 'pct', 'config', '110');
  const conf = () => readFileSync(join(simDir(), 'etc/pve/nodes/pve/lxc/110.conf'), 'utf8');
  /** A file inside the container: a replaced container would lose it. */
  const mark = () => sim(simDir(), 'pct', 'exec', '110', '--', 'tee', '/root/still-here');
  const marked = () => simTool(simDir(), 'pct', 'exec', '110', '--', 'test', '-f', '/root/still-here').code === 0;
  const apply = async () => {
    const result = await ws.run(['apply', '-auto-approve']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout;
  };

  it('changes, adds and removes mount points in place, keeping the container', async () => {
    ws = bindWorkspace(container(BIND(false) + VOLUME('2G')));
    await apply();
    mark();
    const rootfs = /^rootfs: .*$/m.exec(config())![0];

    // read_only of a bind mount: pct set --mp0 ... ro=1 on the running CT, applied by a restart the plan names.
    ws.write('main.hcl', container(BIND(true) + VOLUME('2G')));
    const toggle = await ws.run(['plan']);
    expect(toggle.stdout).toContain('# lxc.app will be updated in-place');
    expect(toggle.stdout).toContain('# CT 110 will be restarted: mountpoint');
    expect(toggle.stdout).not.toContain('must be replaced');
    expect(toggle.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    const toggled = await apply();
    expect(toggled).toContain('lxc.app: Modifications complete');
    expect(config()).toMatch(/^mp0: \/srv\/data,mp=\/data,ro=1$/m);
    expect(config()).toContain(rootfs);
    expect(marked()).toBe(true);

    // A new mount point is hot-plugged: no restart.
    ws.write('main.hcl', container(BIND(true) + VOLUME('2G') + '  mountpoint {\n    slot   = "mp2"\n    volume = "/srv/logs"\n    path   = "/logs"\n  }\n'));
    const add = await ws.run(['plan']);
    expect(add.stdout).toContain('# lxc.app will be updated in-place');
    expect(add.stdout).not.toContain('will be restarted');
    await apply();
    expect(config()).toMatch(/^mp2: \/srv\/logs,mp=\/logs$/m);
    expect(conf()).not.toContain('[pve:pending]');

    // Removing it: --delete mp2, pending while the CT runs, applied by the restart the plan names.
    ws.write('main.hcl', container(BIND(true) + VOLUME('2G')));
    const remove = await ws.run(['plan']);
    expect(remove.stdout).toContain('# CT 110 will be restarted: mountpoint');
    await apply();
    expect(config()).not.toMatch(/^mp2:/m);
    expect(config()).toContain(rootfs);
    expect(marked()).toBe(true);
  }, 180_000);

  it('grows and moves volume mount points in place; only shrinking replaces, and the plan names the attribute', async () => {
    ws = bindWorkspace(container(BIND(true) + VOLUME('2G')));
    await apply();
    mark();

    // Growing a volume-backed mount point: pct resize, online, no restart.
    ws.write('main.hcl', container(BIND(true) + VOLUME('4G')));
    const grow = await ws.run(['plan']);
    expect(grow.stdout).toContain('# lxc.app will be updated in-place');
    expect(grow.stdout).not.toContain('will be restarted');
    await apply();
    expect(config()).toMatch(/^mp1: local-zfs:subvol-110-disk-1,mp=\/cache,size=4G$/m);
    expect(marked()).toBe(true);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);

    // Another storage: pct move-volume copies the data, but only of a stopped CT: the plan names the restart.
    sim(simDir(), 'pvesm', 'add', 'zfspool', 'tank-ct', '--pool', 'tank', '--content', 'rootdir');
    ws.write('main.hcl', container(BIND(true) + VOLUME('4G').replace('"local-zfs"', '"tank-ct"')));
    const move = await ws.run(['plan']);
    expect(move.stdout).toContain('# CT 110 will be restarted: mountpoint');
    expect(move.stdout).not.toContain('must be replaced');
    await apply();
    expect(config()).toMatch(/^mp1: tank-ct:subvol-110-disk-\d,mp=\/cache,size=4G$/m);
    expect(config()).not.toMatch(/^unused/m);
    expect(sim(simDir(), 'pct', 'status', '110')).toBe('status: running\n');
    expect(marked()).toBe(true);

    // Shrinking has no in-place path in Proxmox: replacement, named on the attribute.
    ws.write('main.hcl', container(BIND(true) + VOLUME('1G').replace('"local-zfs"', '"tank-ct"')));
    const shrink = await ws.run(['plan']);
    expect(shrink.stdout).toContain('# lxc.app must be replaced');
    expect(shrink.stdout).toMatch(/~ mountpoint\s+= \[ # forces replacement/);
  }, 180_000);

  it('restarts only with consent: the plan names the restart, reboot_after_update = false leaves the change pending and the next plan shows it', async () => {
    ws = workspace({ 'main.hcl': container('  features {\n    nesting = true\n  }\n') });
    await apply();

    ws.write('main.hcl', container('  features {\n    nesting = true\n    keyctl  = true\n  }\n'));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('# CT 110 will be restarted: features');
    expect(plan.stdout).toContain('Apply will restart 1 guest: CT 110 (features).');
    const restarted = await apply();
    expect(restarted).toContain('restarting CT 110: features');
    expect(conf()).not.toContain('[pve:pending]');
    expect(config()).toMatch(/^features: keyctl=1,nesting=1$/m);

    ws.write('main.hcl', container('  features {\n    nesting = true\n    fuse    = true\n  }\n  reboot_after_update = false\n'));
    const consentless = await ws.run(['plan']);
    expect(consentless.stdout).toContain('# CT 110 will not be restarted (reboot_after_update = false): features pending until its next start');
    const left = await apply();
    expect(left).not.toContain('restarting CT 110');
    expect(conf()).toMatch(/\[pve:pending\]\nfeatures: fuse=1,nesting=1/);
    expect(sim(simDir(), 'pct', 'config', '110', '--current')).toMatch(/^features: keyctl=1,nesting=1$/m);

    const next = await ws.run(['plan', '-detailed-exitcode']);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('Changes pending on the host until the guest restarts (reboot_after_update = false): CT 110 (features).');
    expect((await ws.run(['plan', '-out=pending.plan'])).code).toBe(0);
    const json = JSON.parse((await ws.run(['show', '-json', 'pending.plan'])).stdout) as { resource_changes: { change: { restart?: object } }[] };
    expect(json.resource_changes[0]!.change.restart).toEqual({ guest: 'CT 110', attributes: ['features'], restarts: false });

    // Consent given later: the restart that applies what is pending is planned and done.
    ws.write('main.hcl', container('  features {\n    nesting = true\n    fuse    = true\n  }\n'));
    const consent = await ws.run(['plan']);
    expect(consent.stdout).toContain('# CT 110 will be restarted: features');
    await apply();
    expect(conf()).not.toContain('[pve:pending]');
    expect(config()).toMatch(/^features: fuse=1,nesting=1$/m);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
  }, 180_000);

  it('runs feature scripts with only their own PHOENIX_INPUT_* values: phoenix secrets never enter the container', async () => {
    ws = workspace({
      'main.hcl':
        container('') +
        `
variable "secret" {
  type      = string
  sensitive = true
}

resource "feature" "app" {
  guest  = lxc.app.vmid
  name   = "app"
  script = "echo installing"
  inputs = { version = "1.2" }
}
`,
    });
    const env = { PHOENIX_VAR_secret: 'hunter2' };
    const result = await ws.run(['apply', '-auto-approve'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const log = readFileSync(join(simDir(), 'var/sim/exec.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { argv: string[]; env: Record<string, string>; environment?: Record<string, string> });
    const script = log.find((entry) => entry.argv.includes('/root/.phoenix/features/app.sh'))!;
    expect(script.env).toEqual({ PHOENIX_INPUT_VERSION: '1.2' });
    expect(script.environment).toEqual({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', container: 'lxc' });
    expect(log.every((entry) => !JSON.stringify(entry).includes('hunter2'))).toBe(true);
    // Without --keep-env 0, pct hands the caller's environment to the command (pct.pm's default): the check above can fail.
    const leaked = spawnLeak(simDir(), env);
    expect(leaked).toContain('PHOENIX_VAR_secret=hunter2');
  }, 180_000);
});

/**
 * A bind mount whose host directory is missing: a real node refuses to create, start or hot-plug it
 * (pve-container LXC.pm __mountpoint_mount: "directory '/x' does not exist"), so the plan refuses it
 * first, with the caret on the mount point's volume, for a container it creates and for a mount point an
 * update adds. Should the directory vanish between plan and apply, the node's own words reach the operator.
 */
describe('bind mounts whose host directory is missing', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const simDir = () => join(ws.dir, '.phoenix-sim');
  /** What the operator does on the host: make or remove a directory. */
  const makeDirectory = (path: string) => mkdirSync(join(simDir(), path), { recursive: true });
  const removeDirectory = (path: string) => rmSync(join(simDir(), path), { recursive: true });
  const config = () => sim(simDir(), 'pct', 'config', '110');

  it('refuses at plan a container whose bind mount has no directory, creating nothing; with the directory made, applies', async () => {
    ws = workspace({ 'main.hcl': container(mount('mp0', '/srv/media', '/media')) });
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Bind mount directory not found on node pve');
    expect(plan.stderr).toContain(`"/srv/media" does not exist on pve: pct create would fail (pve-container: "directory '/srv/media' does not exist")`);
    expect(plan.stderr).toMatch(/\d+:\s+volume = "\/srv\/media"\n\W+\^{12}\n/);
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(1);
    expect(simTool(simDir(), 'pct', 'status', '110').code).not.toBe(0);

    makeDirectory('srv/media');
    const apply = await ws.run(['apply', '-auto-approve']);
    expect([apply.code, apply.stderr]).toEqual([0, '']);
    expect(config()).toMatch(/^mp0: \/srv\/media,mp=\/media$/m);
    expect(sim(simDir(), 'pct', 'status', '110')).toBe('status: running\n');
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
    // Refused on the node: only the reads of the missing directory (plan, then apply's plan) and the
    // status probe above; no pct create was tried.
    const refused = rejectedCommands(simDir()).map((line) => line.split(' -- ')[0]!.split(' => ')[0]);
    expect(refused).toEqual(['stat -L -c %F:%n', 'stat -L -c %F:%n', 'pct status 110']);
  }, 120_000);

  it('refuses at plan a device mount of no block device (a /dev/ volume is mounted, not bind-mounted)', async () => {
    ws = workspace({ 'main.hcl': container(mount('mp0', '/dev/sdz', '/disk') + mount('mp1', '/dev/null', '/null')) });
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`"/dev/sdz" does not exist on pve: pct create could not mount it ("mount: ...: special device /dev/sdz does not exist")`);
    expect(plan.stderr).toContain(`"/dev/null" is a character special file, not a block device, on pve`);
    expect(plan.stderr.match(/Error: Device to mount not found on node pve/g)).toHaveLength(2);
    ws.write('main.hcl', container(mount('mp0', '/dev/sda', '/disk')));
    expect((await ws.run(['plan'])).code).toBe(0);
  }, 120_000);

  it("refuses at plan a mount point an update adds without its directory; a directory gone after the plan fails the apply in Proxmox's words", async () => {
    ws = workspace({ 'main.hcl': container(mount('mp0', '/srv/media', '/media')) });
    makeDirectory('srv/media');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);

    ws.write('main.hcl', container(mount('mp0', '/srv/media', '/media') + mount('mp1', '/srv/logs', '/logs')));
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Bind mount directory not found on node pve');
    expect(plan.stderr).toMatch(/\d+:\s+volume = "\/srv\/logs"\n\W+\^{11}\n/);

    makeDirectory('srv/logs');
    expect((await ws.run(['plan', '-out=add.plan'])).code).toBe(0);
    removeDirectory('srv/logs');
    const apply = await ws.run(['apply', 'add.plan']);
    expect(apply.code).toBe(1);
    // pct set on the running CT: the hotplug fails and Proxmox keeps nothing of the call.
    expect(apply.stderr).toContain("mp1: unable to hotplug mp1: directory '/srv/logs' does not exist");
    expect(config()).not.toMatch(/^mp1:/m);

    makeDirectory('srv/logs');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    expect(config()).toMatch(/^mp1: \/srv\/logs,mp=\/logs$/m);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
  }, 120_000);
});

function spawnLeak(simDir: string, env: Record<string, string>): string {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return sim(simDir, 'pct', 'exec', '110', '--', 'env');
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
  }
}
