import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSim, DEBIAN, masked, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

async function createWeb(vmid = 101, extra: string[] = []): Promise<void> {
  await sim.ok('pct', [
    'create', String(vmid), DEBIAN,
    '--hostname', 'web01', '--rootfs', 'local-zfs:8', '--cores', '2',
    '--net0', 'name=eth0,ip=10.0.0.5/24,bridge=vmbr0,gw=10.0.0.1',
    '--tags', 'Web;prod;web', '--features', 'nesting=1', '--description', 'front end', ...extra,
  ]);
}

describe('pct create and config', () => {
  it('percent-encodes "%" and ":" in the description, as encode_text does, so "%41" reads back as itself', async () => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:8', '--description', '100%41: done']);
    expect(await sim.ok('pct', ['config', '101'])).toContain('description: 100%2541%3A done%0A\n');
    expect(sim.file('etc/pve/nodes/pve/lxc/101.conf').startsWith('#100%2541%3A done\n')).toBe(true);
  });

  it('stores a normalised config and prints it sorted with the description encoded', async () => {
    await createWeb();
    expect(masked(await sim.ok('pct', ['config', '101']))).toBe(
      [
        'arch: amd64',
        'cores: 2',
        'description: front end%0A',
        'features: nesting=1',
        'hostname: web01',
        'memory: 512',
        'net0: name=eth0,bridge=vmbr0,gw=10.0.0.1,hwaddr=BC:24:11:XX:XX:XX,ip=10.0.0.5/24,type=veth',
        'ostype: debian',
        'rootfs: local-zfs:subvol-101-disk-0,size=8G',
        'swap: 512',
        'tags: prod;web',
        'unprivileged: 1',
        '',
      ].join('\n'),
    );
    const file = sim.file('etc/pve/nodes/pve/lxc/101.conf');
    expect(file.startsWith('#front end\narch: amd64\n')).toBe(true);
    expect(await sim.ok('zfs', ['get', '-H', '-p', '-o', 'value', 'refquota', 'rpool/data/subvol-101-disk-0'])).toBe('8589934592\n');
  });

  it('uses storage local by default, which has no container content', async () => {
    const result = await sim.run('pct', ['create', '101', DEBIAN]);
    expect(result).toMatchObject({ exitCode: 255, stderr: "storage 'local' does not support container directories\n" });
  });

  it('rejects a template that is not on the storage', async () => {
    const result = await sim.run('pct', ['create', '101', 'local:vztmpl/nope.tar.zst', '--rootfs', 'local-zfs:4']);
    expect(result).toMatchObject({ exitCode: 255, stderr: "can't find file 'local:vztmpl/nope.tar.zst'\n" });
  });

  it('refuses an id in use by a CT or a VM', async () => {
    await createWeb();
    await sim.ok('qm', ['create', '200']);
    const again = await sim.run('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:4']);
    expect(again).toMatchObject({ exitCode: 255, stderr: "CT 101 already exists on node 'pve'\n" });
    const vm = await sim.run('pct', ['create', '200', DEBIAN, '--rootfs', 'local-zfs:4']);
    expect(vm.stderr).toBe("VM 200 already exists on node 'pve'\n");
  });

  it('honours PHOENIX_SIM_NODE in paths and messages', async () => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:4'], { env: { PHOENIX_SIM_NODE: 'pve2' } });
    expect(sim.file('etc/pve/nodes/pve2/lxc/101.conf')).toContain('rootfs: local-zfs:subvol-101-disk-0,size=4G');
    const missing = await sim.run('pct', ['config', '999'], { env: { PHOENIX_SIM_NODE: 'pve2' } });
    expect(missing.stderr).toBe("Configuration file 'nodes/pve2/lxc/999.conf' does not exist\n");
    expect((await sim.run('pct', ['config', '7'])).stderr).toContain('vmid: value must have a minimum value of 100\n');
  });
});

describe('pct errors', () => {
  it('reports an unknown option with the usage line', async () => {
    await createWeb();
    expect(await sim.run('pct', ['set', '101', '--foo', '1'])).toEqual({
      exitCode: 255,
      stdout: '',
      stderr: 'Unknown option: foo\n400 unable to parse option\npct set <vmid> [OPTIONS]\n',
    });
  });

  it('warns at start about raw lxc lines pve-container does not keep, as its non-strict config parser does', async () => {
    await createWeb();
    const path = join(sim.dir, 'etc/pve/nodes/pve/lxc/101.conf');
    writeFileSync(path, sim.file('etc/pve/nodes/pve/lxc/101.conf') + 'lxc.apparmor.profile: unconfined\nlxc.rootfs.path: /x\nlxc.bogus: 1\n');
    const started = await sim.run('pct', ['start', '101']);
    expect(started.exitCode).toBe(0);
    expect(started.stderr).toContain('vm 101 - lxc.rootfs.path: lxc.rootfs.path is auto generated from rootfs\n');
    expect(started.stderr).toContain('vm 101 - unable to parse config: lxc.bogus: 1\n');
    expect(started.stderr).not.toContain('apparmor');
  });

  it('reports bad values one per line', async () => {
    const result = await sim.run('pct', ['set', 'abc', '--memory', '8', '--rootfs', 'local-zfs:4,discard=on']);
    expect(result.exitCode).toBe(255);
    expect(result.stderr).toBe(
      [
        '400 Parameter verification failed.',
        'memory: value must have a minimum value of 16',
        'rootfs.discard: property is not defined in schema and the schema does not allow additional properties',
        "vmid: type check ('integer') failed - got 'abc'",
        'pct set <vmid> [OPTIONS]',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 for a missing config and 255 for an unknown command', async () => {
    expect(await sim.run('pct', ['config', '999'])).toMatchObject({
      exitCode: 2,
      stderr: "Configuration file 'nodes/pve/lxc/999.conf' does not exist\n",
    });
    expect(await sim.run('pct', ['frobnicate'])).toMatchObject({ exitCode: 255, stderr: "ERROR: unknown command 'pct frobnicate'\n" });
  });

  it('matches unique prefixes and treats a bare boolean as taking the next word', async () => {
    await createWeb();
    await sim.ok('pct', ['set', '101', '--start', '1']);
    expect(await sim.ok('pct', ['config', '101'])).toContain('startup: 1\n');
    expect(await sim.run('pct', ['destroy', '--force', '101'])).toMatchObject({ exitCode: 255, stderr: '400 not enough arguments\npct destroy <vmid> [OPTIONS]\n' });
  });

  it('guards read-only, required and empty changes, and persistent locks', async () => {
    await createWeb();
    expect((await sim.run('pct', ['set', '101', '--unprivileged', '0'])).stderr).toBe("unable to modify read-only option: 'unprivileged'\n");
    expect((await sim.run('pct', ['set', '101', '--delete', 'memory'])).stderr).toBe("unable to delete required option 'memory'\n");
    expect((await sim.run('pct', ['set', '101'])).stderr).toBe('no options specified\n');
    expect((await sim.run('pct', ['set', '101', '--password', 'x'])).stderr).toContain('Unknown option: password\n');
    await sim.ok('pct', ['set', '101', '--lock', 'backup']);
    expect(await sim.run('pct', ['set', '101', '--cores', '4'])).toMatchObject({ exitCode: 255, stderr: 'CT is locked (backup)\n' });
    expect(await sim.ok('pct', ['list'])).toContain('101        stopped    backup       web01               \n');
  });
});

describe('pct list and power', () => {
  it('prints nothing without CTs and the exact printf layout with them', async () => {
    expect(await sim.run('pct', ['list'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    await createWeb(101);
    await sim.ok('pct', ['create', '100', DEBIAN, '--rootfs', 'local-zfs:4']);
    await sim.ok('pct', ['start', '101']);
    expect(await sim.ok('pct', ['list'])).toBe(
      'VMID       Status     Lock         Name                \n' +
        '100        stopped                 CT100               \n' +
        '101        running                 web01               \n',
    );
  });

  it('is not idempotent: start twice and stop twice fail', async () => {
    await createWeb();
    expect(await sim.ok('pct', ['status', '101'])).toBe('status: stopped\n');
    await sim.ok('pct', ['start', '101']);
    expect(await sim.ok('pct', ['status', '101'])).toBe('status: running\n');
    expect(await sim.run('pct', ['start', '101'])).toMatchObject({ exitCode: 255, stderr: 'CT 101 already running\n' });
    await sim.ok('pct', ['stop', '101']);
    expect(await sim.run('pct', ['stop', '101'])).toMatchObject({ exitCode: 255, stderr: 'CT 101 not running\n' });
    expect((await sim.run('pct', ['stop', '555'])).stderr).toBe('CT 555 not running\n');
    expect((await sim.run('pct', ['reboot', '101'])).stderr).toBe('VM 101 not running\n');
  });

  it('keeps non-hot-pluggable changes pending on a running CT until restart', async () => {
    await createWeb();
    await sim.ok('pct', ['start', '101']);
    await sim.ok('pct', ['set', '101', '--memory', '1024', '--nameserver', '1.1.1.1', '--hostname', 'web02']);
    const current = await sim.ok('pct', ['config', '101', '--current']);
    expect(current).toContain('memory: 1024\n');
    expect(current).toContain('hostname: web02\n');
    expect(current).not.toContain('nameserver');
    expect(await sim.ok('pct', ['config', '101'])).toContain('nameserver: 1.1.1.1\n');
    const pending = await sim.ok('pct', ['pending', '101']);
    expect(pending).toContain('cur memory: 1024\nnew nameserver: 1.1.1.1\n');
    expect(sim.file('etc/pve/nodes/pve/lxc/101.conf')).toContain('\n[pve:pending]\nnameserver: 1.1.1.1\n');
    await sim.ok('pct', ['set', '101', '--delete', 'features']);
    expect(await sim.ok('pct', ['pending', '101'])).toContain('del features: nesting=1\n');
    await sim.ok('pct', ['reboot', '101']);
    expect(await sim.ok('pct', ['pending', '101'])).not.toMatch(/^(new|del) /m);
    expect(await sim.ok('pct', ['config', '101', '--current'])).toContain('nameserver: 1.1.1.1\n');
    expect(await sim.ok('pct', ['exec', '101', '--', 'cat', '/etc/hostname'])).toBe('web02\n');
  });

  it('refuses to destroy a running CT unless forced, and frees its disks', async () => {
    await createWeb();
    await sim.ok('pct', ['start', '101']);
    expect(await sim.run('pct', ['destroy', '101'])).toMatchObject({ exitCode: 255, stderr: 'unable to destroy CT 101 - container is running\n' });
    await sim.ok('pct', ['destroy', '101', '--force', '1', '--purge', '1']);
    expect((await sim.run('pct', ['config', '101'])).exitCode).toBe(2);
    expect((await sim.run('zfs', ['list', 'rpool/data/subvol-101-disk-0'])).exitCode).toBe(1);
  });

  it('refuses to destroy a protected CT', async () => {
    await createWeb(101, ['--protection', '1']);
    expect((await sim.run('pct', ['destroy', '101'])).stderr).toBe("can't remove CT 101 - protection mode enabled\n");
  });
});

describe('pct resize', () => {
  it('grows the disk and its refquota, refuses shrink and same size', async () => {
    await createWeb();
    await sim.ok('pct', ['resize', '101', 'rootfs', '+2G']);
    expect(await sim.ok('pct', ['config', '101'])).toContain('rootfs: local-zfs:subvol-101-disk-0,size=10G\n');
    expect(await sim.ok('zfs', ['get', '-H', '-o', 'value', 'refquota', 'rpool/data/subvol-101-disk-0'])).toBe('10G\n');
    expect(await sim.run('pct', ['resize', '101', 'rootfs', '4G'])).toMatchObject({ exitCode: 255, stderr: 'unable to shrink disk size\n' });
    expect(await sim.run('pct', ['resize', '101', 'rootfs', '10G'])).toMatchObject({ exitCode: 255, stderr: 'disk is already at specified size\n' });
  });
});

describe('pct mount points', () => {
  it('allocates a mount point, keeps it as unused when removed, destroys it when unused is deleted', async () => {
    await createWeb();
    await sim.ok('pct', ['set', '101', '--mp0', 'local-zfs:2,mp=/srv/data,backup=1']);
    expect(await sim.ok('pct', ['config', '101'])).toContain('mp0: local-zfs:subvol-101-disk-1,mp=/srv/data,backup=1,size=2G\n');
    await sim.ok('pct', ['set', '101', '--delete', 'mp0']);
    expect(await sim.ok('pct', ['config', '101'])).toContain('unused0: local-zfs:subvol-101-disk-1\n');
    expect((await sim.run('zfs', ['list', 'rpool/data/subvol-101-disk-1'])).exitCode).toBe(0);
    await sim.ok('pct', ['set', '101', '--delete', 'unused0']);
    expect(await sim.ok('pct', ['config', '101'])).not.toContain('unused0');
    expect((await sim.run('zfs', ['list', 'rpool/data/subvol-101-disk-1'])).exitCode).toBe(1);
  });
});

describe('pct snapshots and clones', () => {
  it('prints the snapshot tree and restores the filesystem on rollback', async () => {
    await createWeb();
    await sim.ok('pct', ['start', '101']);
    await sim.ok('pct', ['exec', '101', '--', 'tee', '/root/state'], { input: 'v1\n' });
    await sim.ok('pct', ['snapshot', '101', 'before', '--description', 'first one']);
    await sim.ok('pct', ['exec', '101', '--', 'tee', '/root/state'], { input: 'v2\n' });
    await sim.ok('pct', ['snapshot', '101', 'after']);
    const tree = (await sim.ok('pct', ['listsnapshot', '101'])).replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'YYYY-MM-DD HH:MM:SS');
    expect(tree).toBe(
      '`-> before                      YYYY-MM-DD HH:MM:SS     first one\n' +
        '    `-> after                   YYYY-MM-DD HH:MM:SS     no-description\n' +
        '        `-> current                                     You are here!\n',
    );
    expect((await sim.run('pct', ['snapshot', '101', 'after'])).stderr).toBe("snapshot name 'after' already used\n");
    expect((await sim.run('pct', ['snapshot', '101', '1x'])).stderr).toContain("snapname: invalid format - invalid configuration ID '1x'\n");
    await sim.ok('pct', ['rollback', '101', 'before', '--start', '1']);
    expect(await sim.ok('pct', ['exec', '101', '--', 'cat', '/root/state'])).toBe('v1\n');
    await sim.ok('pct', ['delsnapshot', '101', 'after']);
    expect((await sim.run('pct', ['delsnapshot', '101', 'after'])).stderr).toBe("snapshot 'after' does not exist\n");
    expect(await sim.ok('pct', ['config', '101', '--snapshot', 'before'])).toContain('hostname: web01\n');
  });

  it('clones a snapshot filesystem; a full clone of a running CT needs a snapshot', async () => {
    await createWeb();
    await sim.ok('pct', ['start', '101']);
    await sim.ok('pct', ['exec', '101', '--', 'tee', '/etc/motd'], { input: 'snapshot era\n' });
    await sim.ok('pct', ['snapshot', '101', 'base']);
    await sim.ok('pct', ['exec', '101', '--', 'tee', '/etc/motd'], { input: 'later\n' });
    expect(await sim.run('pct', ['clone', '101', '102'])).toMatchObject({
      exitCode: 255,
      stderr: 'Full clone of a running container is only possible from a snapshot\n',
    });
    await sim.ok('pct', ['clone', '101', '102', '--snapname', 'base', '--hostname', 'web02']);
    const config = await sim.ok('pct', ['config', '102']);
    expect(config).toContain('hostname: web02\n');
    expect(config).toContain('rootfs: local-zfs:subvol-102-disk-0,size=8G\n');
    expect(config).not.toContain('parent:');
    const sourceMac = /hwaddr=([^,]+)/.exec(await sim.ok('pct', ['config', '101']))![1];
    expect(config).not.toContain(sourceMac);
    await sim.ok('pct', ['start', '102']);
    expect(await sim.ok('pct', ['exec', '102', '--', 'cat', '/etc/motd'])).toBe('snapshot era\n');
  });

  it('makes linked clones from templates', async () => {
    await createWeb(900);
    await sim.ok('pct', ['template', '900']);
    expect((await sim.run('pct', ['template', '900'])).stderr).toBe("you can't convert a template to a template\n");
    // ZFSPoolPlugin.pm create_base: a container's subvol becomes a basevol (a VM's vm- volume a base-).
    expect(await sim.ok('pct', ['config', '900'])).toContain('rootfs: local-zfs:basevol-900-disk-0,size=8G\n');
    await sim.ok('pct', ['clone', '900', '101', '--hostname', 'linked']);
    expect(await sim.ok('pct', ['config', '101'])).toContain('rootfs: local-zfs:basevol-900-disk-0/subvol-101-disk-0,size=8G\n');
    await sim.ok('pct', ['clone', '900', '102', '--full', '1', '--hostname', 'full']);
    expect(await sim.ok('pct', ['config', '102'])).toContain('rootfs: local-zfs:subvol-102-disk-0,size=8G\n');
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', '-r', 'rpool/data'])).toBe(
      'rpool/data\nrpool/data/basevol-900-disk-0\nrpool/data/subvol-101-disk-0\nrpool/data/subvol-102-disk-0\n',
    );
    // Storage.pm vdisk_free: a base volume a linked clone uses is not freed; the template stays whole.
    expect(await sim.run('pct', ['destroy', '900'])).toMatchObject({ exitCode: 255, stderr: "base volume 'local-zfs:basevol-900-disk-0' is still in use by linked clones\n" });
    expect(await sim.ok('pct', ['config', '900'])).toContain('template: 1\n');
    await sim.ok('pct', ['destroy', '101']);
    await sim.ok('pct', ['destroy', '900']);
  });
});

describe('pct exec and push', () => {
  it('needs a running CT and records every call in the exec log', async () => {
    await createWeb();
    expect(await sim.run('pct', ['exec', '101', '--', 'true'])).toMatchObject({ exitCode: 255, stderr: "container '101' not running!\n" });
    await sim.ok('pct', ['start', '101']);
    await sim.ok('pct', ['exec', '101', '--', 'mkdir', '-p', '/opt/app']);
    expect((await sim.run('pct', ['exec', '101', '--', 'test', '-e', '/opt/app'])).exitCode).toBe(0);
    expect((await sim.run('pct', ['exec', '101', '--', 'test', '-f', '/opt/app'])).exitCode).toBe(1);
    expect(await sim.run('pct', ['exec', '101', '--', 'false'])).toMatchObject({ exitCode: 1 });
    await sim.ok('pct', ['exec', '101', '--', 'env', 'APP_ENV=prod', 'sh', '-c', 'systemctl restart app']);
    expect(await sim.ok('pct', ['exec', '101', '--', 'echo', 'a', 'b'])).toBe('a b\n');
    const cat = await sim.run('pct', ['exec', '101', '--', 'cat', '/missing']);
    expect(cat).toMatchObject({ exitCode: 1, stderr: 'cat: /missing: No such file or directory\n' });
    const log = sim.file('var/sim/exec.log').trim().split('\n').map((l) => JSON.parse(l));
    const shell = log.find((entry) => entry.argv.includes('sh'));
    expect(shell).toMatchObject({ tool: 'pct', vmid: 101, argv: ['env', 'APP_ENV=prod', 'sh', '-c', 'systemctl restart app'], env: { APP_ENV: 'prod' }, exitCode: 0 });
    expect(log).toHaveLength(7);
  });

  it('pushes files with permissions; a missing source is reported but exits 0', async () => {
    await createWeb();
    const source = join(sim.dir, 'app.conf');
    writeFileSync(source, 'port=80\n');
    expect((await sim.run('pct', ['push', '101', source, '/etc/app.conf'])).stderr).toBe('can only push files to a running CT\n');
    await sim.ok('pct', ['start', '101']);
    await sim.ok('pct', ['push', '101', source, '/etc/app.conf', '--perms', '0600']);
    expect(await sim.ok('pct', ['exec', '101', '--', 'cat', '/etc/app.conf'])).toBe('port=80\n');
    const missing = await sim.run('pct', ['push', '101', join(sim.dir, 'nope'), '/etc/x']);
    expect(missing.exitCode).toBe(0);
    expect(missing.stderr).toContain('failed to open');
  });
});
