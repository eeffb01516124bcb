/**
 * Refresh cost on a node: the same host commands whatever the number of guests and features — one
 * cluster listing and one live listing per guest kind shared by every resource type of a plan, one
 * batched config read per guest kind, the markers of every running container in one grep under
 * /proc/PID/root (the pids come from the shared live listing), and the host-side feature records of
 * every VM in one more grep.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attrs } from '../../src/config/values.js';
import { createReadMemo } from '../../src/plan/provider-context.js';
import { featureProvider as feature } from '../../src/resources/feature/provider.js';
import { lxcProvider as lxc } from '../../src/resources/lxc/provider.js';
import type { ProviderContext, ReadRequest, ResourceProvider } from '../../src/resources/provider.js';
import { snapshotProvider as snapshot } from '../../src/resources/snapshot/provider.js';
import { vmProvider as vm } from '../../src/resources/vm/provider.js';
import { simHarness } from './harness.js';

function planned(provider: ResourceProvider, config: Attrs): Attrs {
  const attrs: Attrs = {};
  for (const [name, schema] of Object.entries(provider.schema.attributes)) attrs[name] = config[name] ?? schema.default ?? null;
  return provider.normalize!(attrs);
}

const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
const requests = (priors: Attrs[]): ReadRequest[] => priors.map((prior, i) => ({ address: `x[${i}]`, prior }));

describe('refresh with featured guests', () => {
  const sim = simHarness();
  const containers: Attrs[] = [];
  const vms: Attrs[] = [];
  const features: Attrs[] = [];
  const markerFile = (vmid: number, name: string) => join(sim.dir, `var/sim/guests/${vmid}/rootfs/etc/phoenix/features/${name}.sha256`);

  beforeAll(async () => {
    for (const vmid of [500, 501, 502, 503, 504, 505]) {
      containers.push(await lxc.create(sim.ctx, planned(lxc, { vmid, ostemplate: TEMPLATE, rootfs: { storage: 'local-zfs', size: '1G' }, state: 'running' })));
      for (const name of ['docker', 'tools']) {
        features.push(await feature.create(sim.ctx, planned(feature, { guest: vmid, name, script: `#!/bin/sh\necho ${name}\n` })));
      }
    }
    for (const vmid of [600, 601, 602]) {
      vms.push(await vm.create(sim.ctx, planned(vm, { vmid, name: `vm${vmid}`, agent: true, state: 'running' })));
      for (const name of ['docker', 'tools']) {
        features.push(await feature.create(sim.ctx, planned(feature, { guest: vmid, guest_type: 'vm', name, script: `#!/bin/sh\necho ${name}\n` })));
      }
    }
  }, 240_000);

  /** What one plan's refresh of these objects issues: every type read with the plan's shared memo. */
  async function refresh(guests: number): Promise<{ commands: string[][]; features: (Attrs | null)[] }> {
    const ctx: ProviderContext = { ...sim.ctx, memo: createReadMemo() };
    const vmids = new Set([...containers.slice(0, guests), ...vms.slice(0, guests)].map((c) => c.vmid));
    const cts = containers.filter((c) => vmids.has(c.vmid));
    sim.reset();
    await lxc.read(ctx, requests(cts));
    await vm.read(ctx, requests(vms.filter((v) => vmids.has(v.vmid))));
    await snapshot.read(ctx, requests(cts.map((c) => ({ guest: c.vmid, guest_type: 'lxc', name: 'base', node: 'pve' }))));
    const read = await feature.read(ctx, requests(features.filter((f) => vmids.has(f.guest))));
    return { commands: [...sim.commands], features: read };
  }

  it('issues the same commands for 1 guest of each kind as for 9: one cluster listing and one live listing per kind', async () => {
    const one = await refresh(1);
    const nine = await refresh(6);
    const shape = (commands: string[][]) => commands.map((c) => c.slice(0, 3).map((word) => word.replace(/\d+/g, 'N')).join(' '));
    expect(shape(nine.commands).sort()).toEqual(shape(one.commands).sort());
    expect(nine.commands.filter((c) => c.join(' ').startsWith('pvesh get /cluster/resources'))).toHaveLength(1);
    expect(nine.commands.filter((c) => c.join(' ').startsWith('pvesh get /nodes/pve/lxc'))).toHaveLength(1);
    expect(nine.commands.filter((c) => c.join(' ').startsWith('pvesh get /nodes/pve/qemu'))).toHaveLength(1);
    expect(nine.commands.filter((c) => c[0] === 'pct' || c[0] === 'qm')).toEqual([]); // nothing runs inside the guests
    // cluster listing, live listing of CTs and of VMs, lxc configs, qemu configs, snapshot configs,
    // CT markers, VM feature records
    expect(nine.commands).toHaveLength(8);
    expect(nine.features).toEqual(features);
  });

  it('a VM is read from its records while stopped; a rollback makes its features unknown until an apply asks the guest', async () => {
    await sim.host('qm', 'stop', '601');
    let { features: read, commands } = await refresh(6);
    expect(read).toEqual(features); // no agent to ask, yet the records answer
    expect(commands.filter((c) => c[0] === 'qm')).toEqual([]);
    await sim.host('qm', 'start', '601');
    await sim.host('qm', 'snapshot', '602', 'before');
    await sim.host('qm', 'rollback', '602', 'before', '--start', '1'); // a new vmgenid: another generation of its disks
    ({ features: read } = await refresh(6));
    const unknown = features.flatMap((f, i) => (read[i] !== null && read[i]!.sha256 === null ? [`${f.guest}/${f.name}`] : []));
    expect(unknown).toEqual(['602/docker', '602/tools']);
    // The in-place update that plan shows finds the guest's own marker, runs nothing and records it again.
    const index = features.findIndex((f) => f.guest === 602 && f.name === 'docker');
    sim.reset();
    await feature.update(sim.ctx, read[index]!, features[index]!, { changed: [['sha256']], replacePaths: [] } as never);
    expect(sim.progress).toContain('feature docker already present in guest 602');
    ({ features: read } = await refresh(6));
    expect(read[index]).toEqual(features[index]);
  });

  it('a marker gone from one guest shows only that feature as gone; a stopped guest keeps what state says', async () => {
    rmSync(markerFile(501, 'tools'));
    writeFileSync(markerFile(502, 'docker'), `${'0'.repeat(64)}\n`); // another version installed by hand
    await sim.host('pct', 'stop', '503');
    const { features: read } = await refresh(6);
    const gone = features.flatMap((f, i) => (read[i] === null ? [`${f.guest}/${f.name}`] : []));
    expect(gone).toEqual(['501/tools', '502/docker']);
    expect(read[features.findIndex((f) => f.guest === 503 && f.name === 'docker')]).toEqual(features.find((f) => f.guest === 503 && f.name === 'docker'));
  });

  it('the simulated host shows a running container root at /proc/PID/root, and only while it runs', async () => {
    await sim.host('pct', 'start', '503');
    const pid = /pid: (\d+)/.exec(await sim.host('pct', 'status', '503', '--verbose'))![1]!;
    expect(await sim.host('cat', join(sim.dir, `proc/${pid}/root/etc/phoenix/features/docker.sha256`))).toMatch(/^[0-9a-f]{64}\n$/);
    await sim.host('pct', 'stop', '503');
    const after = await sim.node.runner.run({ argv: ['cat', join(sim.dir, `proc/${pid}/root/etc/hostname`)], timeoutMs: 10_000 });
    expect(after.exitCode).not.toBe(0);
  });
});
