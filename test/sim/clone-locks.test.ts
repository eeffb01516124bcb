/**
 * A clone locks its source for the whole copy, as Proxmox does: pct clone sets `lock: disk` on the source
 * CT (pve-container API2/LXC.pm clone_vm), qm clone holds the source VM's config flock (shared while it is
 * stopped) and writes `lock: clone` into the new VM (qemu-server API2/Qemu.pm clone_vm).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

// A full copy of an 8 GiB disk lasts 8 × 1 s here: time enough to run commands against the source.
const SLOW_COPY = { PHOENIX_SIM_CLONE_S_PER_GIB: '50', PHOENIX_SIM_SECOND_MS: '20', PHOENIX_SIM_LOCK_WAIT_S: '0' };

/** Resolves once `vmid`'s config says `lock: LOCK` (the clone's copy has begun). */
async function lockedWith(kind: 'lxc' | 'qemu-server', vmid: number, lock: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if (sim.file(`etc/pve/nodes/pve/${kind}/${vmid}.conf`).includes(`\nlock: ${lock}\n`)) return;
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${vmid} never got lock ${lock}`);
}

describe('pct clone holds the source locked (disk) for the whole copy', () => {
  it('refuses commands on the source and a second clone of it with "CT is locked (disk)", then unlocks both guests', async () => {
    await sim.ok('pct', ['create', '100', DEBIAN, '--rootfs', 'local-zfs:8', '--hostname', 'base']);
    const clone = sim.run('pct', ['clone', '100', '101', '--full', '1'], { env: SLOW_COPY });
    await lockedWith('lxc', 101, 'create');
    expect(sim.file('etc/pve/nodes/pve/lxc/100.conf')).toMatch(/^lock: disk$/m);

    const set = await sim.run('pct', ['set', '100', '--memory', '1024'], { env: SLOW_COPY });
    const second = await sim.run('pct', ['clone', '100', '102', '--full', '1'], { env: SLOW_COPY });
    const start = await sim.run('pct', ['start', '101'], { env: SLOW_COPY });
    expect([set.exitCode, set.stderr]).toEqual([255, 'CT is locked (disk)\n']);
    expect([second.exitCode, second.stderr]).toEqual([255, 'CT is locked (disk)\n']);
    expect(start.stderr).toBe('CT is locked (create)\n');

    expect((await clone).exitCode).toBe(0);
    expect(sim.file('etc/pve/nodes/pve/lxc/100.conf')).not.toMatch(/^lock:/m);
    expect(sim.file('etc/pve/nodes/pve/lxc/101.conf')).not.toMatch(/^lock:/m);
    await sim.ok('pct', ['set', '100', '--memory', '1024']);
  });

  it('removes the source lock when the clone fails', async () => {
    await sim.ok('pct', ['create', '100', DEBIAN, '--rootfs', 'local-zfs:8', '--start', '1']);
    const failed = await sim.run('pct', ['clone', '100', '101', '--full', '1'], { env: SLOW_COPY });
    expect(failed.stderr).toContain('Full clone of a running container is only possible from a snapshot');
    expect(sim.file('etc/pve/nodes/pve/lxc/100.conf')).not.toMatch(/^lock:/m);
  });
});

describe('qm clone holds the source config flock for the whole copy', () => {
  it('a stopped source: clones side by side, `qm set` on it times out, the new VM is locked (clone) until done', async () => {
    await sim.ok('qm', ['create', '9000', '--name', 'base', '--scsi0', 'local-zfs:8']);
    await sim.ok('qm', ['template', '9000']);
    const first = sim.run('qm', ['clone', '9000', '201', '--full', '1'], { env: SLOW_COPY });
    await lockedWith('qemu-server', 201, 'clone');
    // Shared lock: a second clone of the stopped template runs during the first one's copy.
    const second = sim.run('qm', ['clone', '9000', '202', '--full', '1'], { env: SLOW_COPY });
    await lockedWith('qemu-server', 202, 'clone');
    const set = await sim.run('qm', ['set', '9000', '--description', 'x'], { env: SLOW_COPY });
    expect(set.stderr).toBe("can't lock file '/var/lock/qemu-server/lock-9000.conf' - got timeout\n");
    // vm_start takes the new VM's config flock first (QemuServer.pm vm_start), which the clone holds.
    const start = await sim.run('qm', ['start', '201'], { env: SLOW_COPY });
    expect(start.stderr).toBe("can't lock file '/var/lock/qemu-server/lock-201.conf' - got timeout\n");
    expect(await sim.ok('qm', ['config', '201'])).toMatch(/^lock: clone$/m);

    expect([(await first).exitCode, (await second).exitCode]).toEqual([0, 0]);
    expect(sim.file('etc/pve/nodes/pve/qemu-server/201.conf')).not.toMatch(/^lock:/m);
    await sim.ok('qm', ['set', '9000', '--description', 'x']);
  });

  it('a running source: held exclusively, so a second clone fails after qm clone\'s 1 s wait, not lock_config\'s 10 s', async () => {
    await sim.ok('qm', ['create', '300', '--name', 'app', '--scsi0', 'local-zfs:8', '--start', '1']);
    const copy = { ...SLOW_COPY, PHOENIX_SIM_LOCK_WAIT_S: '10' }; // the copy lasts 8 s: a 10 s wait would outlast it
    const first = sim.run('qm', ['clone', '300', '201', '--full', '1'], { env: copy });
    await lockedWith('qemu-server', 201, 'clone');
    const second = await sim.run('qm', ['clone', '300', '202', '--full', '1'], { env: copy });
    expect([second.exitCode, second.stderr]).toEqual([255, "can't lock file '/var/lock/qemu-server/lock-300.conf' - got timeout\n"]);
    expect((await first).exitCode).toBe(0);
  });

  it('refuses to clone a source that carries a lock', async () => {
    await sim.ok('qm', ['create', '9000', '--name', 'base']);
    await sim.ok('qm', ['set', '9000', '--lock', 'backup']);
    const clone = await sim.run('qm', ['clone', '9000', '201']);
    expect(clone.stderr).toBe('VM is locked (backup)\n');
  });
});
