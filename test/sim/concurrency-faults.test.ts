import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

const createCt = (vmid: number, hostname = `ct${vmid}`) =>
  sim.ok('pct', ['create', String(vmid), DEBIAN, '--hostname', hostname, '--rootfs', 'local-zfs:4']);

/** Hold a lock file with the real flock(1) until the returned function is called. */
async function holdExternalLock(path: string): Promise<() => Promise<void>> {
  const holder = execa('flock', ['--no-fork', path, 'sleep', '60'], { reject: false, stdio: 'ignore' });
  for (;;) {
    const probe = await execa('flock', ['-n', path, 'true'], { reject: false });
    if (probe.exitCode !== 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return async () => {
    holder.kill();
    await holder;
  };
}

describe('guest locks', () => {
  it('times out with Proxmox\'s message while another process holds the CT lock', async () => {
    await createCt(101);
    const release = await holdExternalLock(join(sim.dir, 'run/lock/lxc/pve-config-101.lock'));
    try {
      const result = await sim.run('pct', ['set', '101', '--cores', '2'], { env: { PHOENIX_SIM_LOCK_WAIT_S: '0.3' } });
      expect(result).toEqual({ exitCode: 255, stdout: '', stderr: "can't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout\n" });
    } finally {
      await release();
    }
    await sim.ok('pct', ['set', '101', '--cores', '2']);
  });

  it('uses the qemu-server lock for VMs, reachable as /var/lock too', async () => {
    await sim.ok('qm', ['create', '100']);
    const release = await holdExternalLock(join(sim.dir, 'var/lock/qemu-server/lock-100.conf'));
    try {
      const result = await sim.run('qm', ['set', '100', '--cores', '2'], { env: { PHOENIX_SIM_LOCK_WAIT_S: '0.3' } });
      expect(result.stderr).toBe("can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\n");
    } finally {
      await release();
    }
  });

  it('keeps raw lxc lines an external editor appended under the lock', async () => {
    await createCt(101);
    const conf = join(sim.dir, 'etc/pve/nodes/pve/lxc/101.conf');
    const lock = join(sim.dir, 'run/lock/lxc/pve-config-101.lock');
    await execa('flock', [lock, 'perl', '-i', '-pe', 'print "lxc.cgroup2.devices.allow: c 10:200 rwm\\n" if eof', conf]);
    await sim.ok('pct', ['set', '101', '--cores', '3']);
    const config = await sim.ok('pct', ['config', '101']);
    expect(config.endsWith('unprivileged: 1\nlxc.cgroup2.devices.allow: c 10:200 rwm\n')).toBe(true);
    expect(config).toContain('cores: 3\n');
  });

  it('serialises concurrent changes to one CT without losing any', async () => {
    await createCt(101);
    await Promise.all(
      Array.from({ length: 8 }, (_, n) => sim.ok('pct', ['set', '101', `--net${n}`, `name=eth${n},bridge=vmbr0,ip=dhcp`])),
    );
    const config = await sim.ok('pct', ['config', '101']);
    for (let n = 0; n < 8; n++) expect(config).toContain(`net${n}: name=eth${n},bridge=vmbr0,`);
  });

  it('creates 30 distinct CTs concurrently', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => 200 + i);
    const results = await Promise.all(ids.map((vmid) => sim.run('pct', ['create', String(vmid), DEBIAN, '--hostname', `ct${vmid}`, '--rootfs', 'local-zfs:2'])));
    expect(results.filter((r) => r.exitCode !== 0)).toEqual([]);
    const rows = (await sim.ok('pct', ['list'])).trim().split('\n').slice(1);
    expect(rows.map((row) => Number(row.split(/\s+/)[0]))).toEqual(ids);
    const datasets = (await sim.ok('zfs', ['list', '-H', '-o', 'name', '-r', 'rpool/data'])).trim().split('\n');
    expect(datasets).toHaveLength(31);
  }, 120_000);

  it('gives one of two concurrent creates of the same id the "already exists" error', async () => {
    const results = await Promise.all([createCtResult(150), createCtResult(150)]);
    expect(results.map((r) => r.exitCode).sort()).toEqual([0, 255]);
    expect(results.find((r) => r.exitCode === 255)!.stderr).toBe("CT 150 already exists on node 'pve'\n");
  });
});

const createCtResult = (vmid: number) => sim.run('pct', ['create', String(vmid), DEBIAN, '--rootfs', 'local-zfs:4']);

describe('fault injection', () => {
  const faults = (rules: unknown[]) => writeFileSync(join(sim.dir, 'faults.json'), JSON.stringify(rules));

  it('fails exactly the nth matching call, counted across processes', async () => {
    faults([{ match: 'pct start', nth: 2, action: 'fail', stderr: 'simulated: start failed', exitCode: 255 }]);
    await createCt(101);
    await createCt(102);
    await createCt(103);
    expect((await sim.run('pct', ['start', '101'])).exitCode).toBe(0);
    expect(await sim.run('pct', ['start', '102'])).toEqual({ exitCode: 255, stdout: '', stderr: 'simulated: start failed\n' });
    expect(await sim.ok('pct', ['status', '102'])).toBe('status: stopped\n');
    expect((await sim.run('pct', ['start', '103'])).exitCode).toBe(0);
  });

  it('matches /regex/ rules and fires `times` times', async () => {
    faults([{ match: '/^zfs create tank\\/\\w+$/', times: 2, action: 'fail', stderr: 'boom', exitCode: 1 }]);
    expect((await sim.run('zfs', ['create', 'tank/a'])).exitCode).toBe(1);
    expect((await sim.run('zfs', ['create', 'tank/b'])).exitCode).toBe(1);
    expect((await sim.run('zfs', ['create', 'tank/c'])).exitCode).toBe(0);
    expect(await sim.ok('zfs', ['list', '-H', '-o', 'name', '-r', 'tank'])).toBe('tank\ntank/c\n');
  });

  it('behaves like a real lock timeout', async () => {
    faults([{ match: 'qm set 100', action: 'lock-timeout' }]);
    await sim.ok('qm', ['create', '100']);
    const result = await sim.run('qm', ['set', '100', '--cores', '2'], { env: { PHOENIX_SIM_LOCK_WAIT_S: '0.2' } });
    expect(result).toEqual({ exitCode: 255, stdout: '', stderr: "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\n" });
  });

  it('hangs until killed', async () => {
    faults([{ match: 'pct list', action: 'hang' }]);
    const hung = await sim.run('pct', ['list'], { timeout: 1500 });
    expect(hung.exitCode).not.toBe(0);
    expect((await sim.run('pct', ['list'])).exitCode).toBe(0);
  });

  it('scripts a guest command\'s exit while still recording it', async () => {
    faults([{ match: 'pct exec 101 -- sh -c', action: 'fail', exitCode: 3, stderr: 'script failed' }]);
    await createCt(101);
    await sim.ok('pct', ['start', '101']);
    expect(await sim.run('pct', ['exec', '101', '--', 'sh', '-c', 'apt-get install -y nginx'])).toEqual({ exitCode: 3, stdout: '', stderr: 'script failed\n' });
    const [entry] = sim.file('var/sim/exec.log').trim().split('\n').map((l) => JSON.parse(l));
    expect(entry).toMatchObject({ argv: ['sh', '-c', 'apt-get install -y nginx'], exitCode: 3 });
  });
});
