/**
 * The simulated node lags, waits and refuses where a real node does (each rule cites its Proxmox or
 * OpenZFS source in src/sim): pvestatd's status lag, the guest agent's start, qm guest exec's 30 s
 * default, non-inheritable ZFS properties and canonical value names, MiB allocation, templates,
 * snapshots and clones Proxmox refuses, the q35 requirement of PCIe passthrough, `:s` password options.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCommandLog } from '../../src/sim/core/command-log.js';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

const ct = (vmid: number, ...extra: string[]) => sim.ok('pct', ['create', String(vmid), DEBIAN, '--rootfs', 'local-zfs:1', ...extra]);
const vm = (vmid: number, ...extra: string[]) => sim.ok('qm', ['create', String(vmid), '--agent', '1', '--scsi0', 'local-zfs:1', ...extra]);
const json = (text: string) => JSON.parse(text) as { vmid: number; status: string }[];

describe('power state', () => {
  it('/cluster/resources lags behind a start while /nodes/N/lxc and pct status are live', async () => {
    await ct(101);
    await sim.ok('pct', ['start', '101']);
    const cluster = json(await sim.ok('pvesh', ['get', '/cluster/resources', '--type', 'vm', '--output-format', 'json']));
    expect(cluster.find((g) => g.vmid === 101)!.status).toBe('stopped'); // what pvestatd saw before the start
    const live = json(await sim.ok('pvesh', ['get', '/nodes/pve/lxc', '--output-format', 'json']));
    expect(live.find((g) => g.vmid === 101)!.status).toBe('running');
    expect(await sim.ok('pct', ['status', '101'])).toBe('status: running\n');
    const current = JSON.parse(await sim.ok('pvesh', ['get', '/nodes/pve/lxc/101/status/current', '--output-format', 'json'])) as { status: string };
    expect(current.status).toBe('running');
    // Once pvestatd has run (status_lag_ms elapsed), the listing catches up.
    const caughtUp = json(await sim.ok('pvesh', ['get', '/cluster/resources', '--type', 'vm', '--output-format', 'json'], { env: { PHOENIX_SIM_STATUS_LAG_MS: '0' } }));
    expect(caughtUp.find((g) => g.vmid === 101)!.status).toBe('running');
  });
});

describe('the guest agent', () => {
  const slow = { PHOENIX_SIM_SECOND_MS: '10', PHOENIX_SIM_AGENT_START_S: '1000', PHOENIX_SIM_SCRIPT_RUN_S: '45' };

  it('does not answer right after qm start, then answers ping', async () => {
    await vm(300);
    await sim.ok('qm', ['start', '300']);
    const early = await sim.run('qm', ['guest', 'cmd', '300', 'ping'], { env: slow });
    expect([early.exitCode, early.stderr]).toEqual([255, 'QEMU guest agent is not running\n']);
    const ready = await sim.run('qm', ['guest', 'cmd', '300', 'ping'], { env: { ...slow, PHOENIX_SIM_AGENT_START_S: '0' } });
    expect([ready.exitCode, ready.stdout, ready.stderr]).toEqual([0, '', '']);
  });

  it('qm guest exec waits 30 s by default, then prints only the pid and exits 0; --timeout waits longer', async () => {
    await vm(300);
    await sim.ok('qm', ['start', '300']);
    const ready = { ...slow, PHOENIX_SIM_AGENT_START_S: '0' };
    const cut = await sim.run('qm', ['guest', 'exec', '300', '--', 'sh', '-c', 'apt-get install -y docker.io'], { env: ready });
    expect(cut.exitCode).toBe(0);
    expect(cut.stderr).toBe('timeout reached, returning pid\n');
    expect(cut.stdout).toMatch(/^\{\n {3}"pid" : \d+\n\}\n$/);
    const waited = await sim.run('qm', ['guest', 'exec', '300', '--timeout', '60', '--', 'sh', '-c', 'apt-get install -y docker.io'], { env: ready });
    expect(JSON.parse(waited.stdout)).toEqual({ exitcode: 0, exited: 1 });
  });
});

describe('ZFS', () => {
  it('refuses zfs inherit of a non-inheritable property with zfs\'s own words', async () => {
    await sim.ok('zfs', ['create', '-o', 'quota=10G', '-o', 'canmount=noauto', 'tank/data']);
    const quota = await sim.run('zfs', ['inherit', 'quota', 'tank/data']);
    expect([quota.exitCode, quota.stderr]).toEqual([
      1,
      "'quota' property cannot be inherited\nuse 'zfs set quota=none' to clear\nuse 'zfs inherit -S quota' to revert to received value\n",
    ]);
    const canmount = await sim.run('zfs', ['inherit', 'canmount', 'tank/data']);
    expect([canmount.exitCode, canmount.stderr]).toEqual([1, "'canmount' property cannot be inherited\n"]);
    const used = await sim.run('zfs', ['inherit', 'used', 'tank/data']);
    expect([used.exitCode, used.stderr]).toEqual([1, 'used property is read-only\n']);
    await sim.ok('zfs', ['set', 'quota=none', 'tank/data']);
    expect(await sim.ok('zfs', ['get', '-H', '-o', 'value', 'quota', 'tank/data'])).toBe('none\n');
  });

  it('prints the canonical name of a value given by an alias', async () => {
    await sim.ok('zfs', ['create', '-o', 'acltype=posixacl', '-o', 'xattr=on', 'tank/data']);
    expect(await sim.ok('zfs', ['get', '-H', '-o', 'value', 'acltype,xattr', 'tank/data'])).toBe('posix\nsa\n');
  });
});

describe('guest configuration rules', () => {
  it('allocates int(GiB * 1024) MiB for a container volume', async () => {
    await ct(101, '--mp0', 'local-zfs:0.488281,mp=/data', '--mp1', 'local-zfs:0.48828125,mp=/more');
    const config = await sim.ok('pct', ['config', '101']);
    expect(config).toMatch(/^mp0: local-zfs:subvol-101-disk-1,mp=\/data,size=499M$/m);
    expect(config).toMatch(/^mp1: local-zfs:subvol-101-disk-2,mp=\/more,size=500M$/m);
  });

  it('stores nameserver and searchdomain lists space-separated', async () => {
    await ct(101, '--nameserver', '1.1.1.1,8.8.8.8', '--searchdomain', 'a.lan;b.lan c.lan');
    const config = await sim.ok('pct', ['config', '101']);
    expect(config).toContain('nameserver: 1.1.1.1 8.8.8.8\n');
    expect(config).toContain('searchdomain: a.lan b.lan c.lan\n');
  });

  it('refuses a template with snapshots and a snapshot of a template', async () => {
    await ct(101);
    await sim.ok('pct', ['snapshot', '101', 'before']);
    expect((await sim.run('pct', ['template', '101'])).stderr).toBe('unable to create template, because CT contains snapshots\n');
    await ct(102);
    await sim.ok('pct', ['template', '102']);
    expect((await sim.run('pct', ['snapshot', '102', 'later'])).stderr).toBe("you can't take a snapshot if it's a template\n");
  });

  it('refuses to snapshot or clone a container with a bind mount', async () => {
    await sim.ok('zfs', ['create', 'tank/media']);
    await ct(101, '--mp0', '/tank/media,mp=/srv/media');
    const snapshot = await sim.run('pct', ['snapshot', '101', 'golden']);
    expect([snapshot.exitCode, snapshot.stderr]).toEqual([255, 'snapshot feature is not available\n']);
    const clone = await sim.run('pct', ['clone', '101', '102']);
    expect([clone.exitCode, clone.stderr]).toEqual([255, "unable to clone mountpoint 'mp0' (type bind)\n"]);
  });

  it('refuses to start a VM with PCIe passthrough unless its machine is q35', async () => {
    await vm(300, '--hostpci0', '0000:01:00,pcie=1');
    expect((await sim.run('qm', ['start', '300'])).stderr).toBe('q35 machine model is not enabled\n');
    const badMachine = await sim.run('qm', ['set', '300', '--machine', 'q36']);
    expect(badMachine.stderr).toContain('machine.type: value does not match the regex pattern');
    await sim.ok('qm', ['set', '300', '--machine', 'q35']);
    await sim.ok('qm', ['start', '300']);
  });

  it('reads `--password -x` as an empty password and an option -x, as Getopt :s does', async () => {
    const dashed = await sim.run('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:1', '--password', '-secret']);
    expect(dashed.stderr).toContain('Unknown option: secret');
    await ct(102, '--password=-secret');
  });

  it('records every command and whether the node refused it, without secrets', async () => {
    await ct(101, '--password=-secret');
    await sim.run('pct', ['start', '999']);
    const log = readCommandLog(sim.dir);
    expect(log.map((e) => [e.tool, e.args[0], e.rejected])).toEqual([
      ['pct', 'create', false],
      ['pct', 'start', true],
    ]);
    expect(JSON.stringify(log)).not.toContain('-secret');
  });
});
