/**
 * Mount points the host cannot mount (pve-container LXC.pm __mountpoint_mount): a bind mount whose host
 * directory is missing, a device mount of no block device. pct create (mount_all), pct start (the
 * pre-start hook) and the hotplug of pct set on a running CT each refuse them in their own words.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(async () => {
  sim = createSim();
  // What the operator has on the host: a directory, a file, a dataset mounted and one never mounted.
  writeFileSync(join(sim.dir, 'sim.json'), JSON.stringify({ directories: ['/srv/media'] }));
  await sim.ok('zfs', ['create', 'tank/photos']);
  await sim.ok('zfs', ['create', '-o', 'canmount=off', 'tank/archive']);
  writeFileSync(join(sim.dir, 'srv/notes.txt'), 'a file, not a directory\n');
});
afterEach(() => sim.cleanup());

const bindRefused = (path: string) => `directory '${path}' does not exist`;
const mountRefused = (device: string, target: string, reason: string) => ({
  output: `mount: ${target.replace(/\/+/g, '/')}: ${reason}.\n       dmesg(1) may have more information after failed mount system call.\n`,
  error: `command 'mount ${device} ${target}' failed: exit code 32`,
});

/** [mount point value, what LXC.pm dies with (undefined: it mounts), the hook's exit status]. */
const CASES: [string, ((target: string) => { output: string; error: string }) | undefined, number][] = [
  ['/srv/media,mp=/media', undefined, 0],
  ['/tank/photos,mp=/photos', undefined, 0],
  ['/dev/sda,mp=/disk', undefined, 0],
  ['/srv/missing,mp=/data', () => ({ output: '', error: bindRefused('/srv/missing') }), 2],
  ['/srv/notes.txt,mp=/notes', () => ({ output: '', error: bindRefused('/srv/notes.txt') }), 2],
  ['/tank/archive,mp=/archive', () => ({ output: '', error: bindRefused('/tank/archive') }), 2],
  ['/dev/sdz,mp=/disk', (target) => mountRefused('/dev/sdz', target, 'special device /dev/sdz does not exist'), 32],
  ['/dev/null,mp=/disk,ro=1', (target) => mountRefused('-o ro /dev/null', target, '/dev/null is not a block device'), 32],
];

describe('pct create (API2/LXC.pm create_vm → LXC.pm mount_all)', () => {
  it.each(CASES)('mp0 %s', async (value, refusal) => {
    const result = await sim.run('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:1', '--mp0', value]);
    if (!refusal) {
      expect(result.exitCode).toBe(0);
      return;
    }
    const { output, error } = refusal(`/var/lib/lxc/101/rootfs//${value.split('mp=/')[1]!.split(',')[0]}`);
    expect([result.exitCode, result.stderr]).toEqual([255, `${output}mounting container failed\nunable to create CT 101 - ${error}\n`]);
    // The create is undone: no config, no volume.
    expect((await sim.run('pct', ['config', '101'])).exitCode).not.toBe(0);
    expect((await sim.run('zfs', ['list', 'rpool/data/subvol-101-disk-0'])).exitCode).toBe(1);
  });
});

describe('pct start (the pre-start hook: LXC.pm mountpoint_stage)', () => {
  it.each(CASES)('mp0 %s', async (value, refusal, status) => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:1']);
    // A stopped CT takes any mount point: nothing is mounted until it starts.
    await sim.ok('pct', ['set', '101', '--mp0', value]);
    const result = await sim.run('pct', ['start', '101']);
    if (!refusal) {
      expect(result.exitCode).toBe(0);
      return;
    }
    // lxc keeps the hook's words in its DEBUG log: pct start shows lxc's three lines only.
    const lxc = `run_buffer: 571 Script exited with status ${status}\nlxc_init: 845 Failed to run lxc.hook.pre-start for container "101"\n__lxc_start: 2034 Failed to initialize container "101"\n`;
    expect([result.exitCode, result.stderr]).toEqual([255, `${lxc}startup for container '101' failed\n`]);
    expect(await sim.ok('pct', ['status', '101'])).toBe('status: stopped\n');
    const debug = await sim.run('pct', ['start', '101', '--debug']);
    const { output, error } = refusal('/var/lib/lxc/.pve-staged-mounts/mp0');
    expect(debug.stderr).toContain(`lxc-pve-prestart-hook 101 lxc pre-start produced output: ${output}${error}\n\n`);
    expect(debug.stderr.endsWith(`startup for container '101' failed\n`)).toBe(true);
  });

  it('fails a reboot the same way: the container stays down', async () => {
    mkdirSync(join(sim.dir, 'srv/gone'), { recursive: true });
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:1', '--mp0', '/srv/gone,mp=/gone']);
    await sim.ok('pct', ['start', '101']);
    rmSync(join(sim.dir, 'srv/gone'), { recursive: true }); // an operator removed it meanwhile
    const result = await sim.run('pct', ['reboot', '101']);
    expect(result.stderr).toContain("startup for container '101' failed\n");
    expect(await sim.ok('pct', ['status', '101'])).toBe('status: stopped\n');
  });
});

describe('pct set on a running CT (Config.pm vmconfig_hotplug_pending → LXC.pm mountpoint_hotplug)', () => {
  it.each(CASES)('mp1 %s', async (value, refusal) => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:1', '--mp0', '/srv/media,mp=/media']);
    await sim.ok('pct', ['start', '101']);
    const before = await sim.ok('pct', ['config', '101']);
    const result = await sim.run('pct', ['set', '101', '--mp1', value, '--hostname', 'renamed']);
    if (!refusal) {
      expect(result.exitCode).toBe(0);
      expect(await sim.ok('pct', ['config', '101'])).toContain(`mp1: ${value}\n`);
      return;
    }
    const { output, error } = refusal('/var/lib/lxc/.pve-staged-mounts/mp1');
    expect([result.exitCode, result.stderr]).toEqual([
      255,
      `${output}400 Parameter verification failed.\nmp1: unable to hotplug mp1: ${error}\n\npct set <vmid> [OPTIONS]\n`,
    ]);
    // API2/LXC/Config.pm raises before write_config: nothing of the call is kept, not even the hostname.
    expect(await sim.ok('pct', ['config', '101'])).toBe(before);
  });

  it('leaves a changed mount point pending without looking at it, as Proxmox does', async () => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:1', '--mp0', '/srv/media,mp=/media']);
    await sim.ok('pct', ['start', '101']);
    await sim.ok('pct', ['set', '101', '--mp0', '/srv/missing,mp=/media']);
    expect(await sim.ok('pct', ['pending', '101'])).toContain('new mp0: /srv/missing,mp=/media\n');
    expect((await sim.run('pct', ['reboot', '101'])).stderr).toContain("startup for container '101' failed\n");
  });
});
