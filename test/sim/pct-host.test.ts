/**
 * The simulated node's container-facing host (src/sim/hostfs.ts, pct/update-checks.ts, pct/start-checks.ts):
 * passthrough devices judged against its /dev, devN hot-plugged or left pending as pve-container does,
 * protection of drives, id maps checked at start (overlaps, /etc/subuid and /etc/subgid), and `chown` /
 * `stat` over its directories — each with Proxmox's (or coreutils') words.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

const create = (extra: string[] = []) => sim.ok('pct', ['create', '120', DEBIAN, '--rootfs', 'local-zfs:8', '--unprivileged', '1', ...extra]);
const conf = () => sim.file('etc/pve/nodes/pve/lxc/120.conf');

describe('simulated host for containers', () => {
  it('refuses devices the host does not have, as get_device_mode_and_rdev does', async () => {
    await create();
    expect((await sim.run('pct', ['set', '120', '--dev0', '/dev/nope'])).stderr).toContain('Device /dev/nope does not exist');
    expect((await sim.run('pct', ['set', '120', '--dev0', '/dev/dri'])).stderr).toContain('/dev/dri is not a device');
    await sim.ok('pct', ['set', '120', '--dev0', '/dev/dri/renderD128,gid=104,mode=0660']);
    expect(conf()).toContain('dev0: /dev/dri/renderD128,gid=104,mode=0660\n');
    // An NVIDIA GPU the Proxmox 8 way: its driver's nodes as devices.
    const nvidia = ['/dev/nvidia0', '/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia-uvm-tools'];
    await sim.ok('pct', ['set', '120', ...nvidia.flatMap((path, i) => [`--dev${i + 1}`, path])]);
    expect(conf()).toContain('dev4: /dev/nvidia-uvm-tools\n');
  });

  it('hot-plugs a new devN into a running container and leaves a changed one pending', async () => {
    await create(['--dev0', '/dev/dri/renderD128']);
    await sim.ok('pct', ['start', '120']);
    await sim.ok('pct', ['set', '120', '--dev1', '/dev/ttyUSB0']);
    await sim.ok('pct', ['set', '120', '--dev0', '/dev/dri/renderD128,mode=0600']);
    const current = await sim.ok('pct', ['config', '120', '--current']);
    expect(current).toContain('dev1: /dev/ttyUSB0\n');
    expect(current).toContain('dev0: /dev/dri/renderD128\n');
    expect(conf()).toMatch(/\[pve:pending\]\n(.*\n)*dev0: \/dev\/dri\/renderD128,mode=0600\n/);
  });

  it('refuses drive changes of a protected container', async () => {
    await create(['--protection', '1']);
    const refused = await sim.run('pct', ['set', '120', '--mp0', '/tank,mp=/data']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("can't update CT 120 drive 'mp0' - protection mode enabled");
  });

  it('starts only with id maps that do not overlap and that root may make', async () => {
    await create();
    const idmap = (lines: string[]) => appendFileSync(join(sim.dir, 'etc/pve/nodes/pve/lxc/120.conf'), lines.map((l) => `lxc.idmap: ${l}\n`).join(''));
    idmap(['u 0 100000 1000', 'u 1000 1000 1', 'u 1001 101001 64535', 'g 0 100000 65536']);
    await sim.ok('pct', ['start', '120']);
    await sim.ok('pct', ['stop', '120']);

    // Proxmox's default range only: uid 1000 is not root's to map.
    writeFileSync(join(sim.dir, 'etc/subuid'), 'root:100000:65536\n');
    const refused = await sim.run('pct', ['start', '120']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toBe("newuidmap: uid range [1000-1001) -> [1000-1001) not allowed\nstartup for container '120' failed\n");

    writeFileSync(join(sim.dir, 'etc/subuid'), 'root:100000:65536\nroot:1000:1\n');
    idmap(['g 500 100400 1']);
    const overlap = await sim.run('pct', ['start', '120']);
    expect(overlap.stderr).toContain("lxc.idmap: invalid map entry 'g 500 100400 1': container gid 500 is also mapped by entry 'g 0 100000 65536'");
    expect(overlap.stderr).toContain("startup for container '120' failed");
  });

  it('chowns and stats host directories, with coreutils texts for a missing one', async () => {
    await create();
    mkdirSync(join(sim.dir, 'srv/photos'), { recursive: true });
    await sim.ok('chown', ['101000:101000', '--', '/srv/photos']);
    expect(await sim.ok('stat', ['-L', '-c', '%u:%g %F', '--', '/srv/photos', '/dev/dri/renderD128'])).toBe(
      '101000:101000 directory\n0:0 character special file\n',
    );
    // A dataset's mountpoint exists as a directory of the host.
    expect(await sim.ok('stat', ['-c', '%F', '/tank'])).toBe('directory\n');
    const missing = await sim.run('chown', ['1000', '/srv/nope']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe("chown: cannot access '/srv/nope': No such file or directory\n");
    expect((await sim.run('stat', ['-c', '%u', '/srv/nope'])).stderr).toBe("stat: cannot statx '/srv/nope': No such file or directory\n");
  });
});
