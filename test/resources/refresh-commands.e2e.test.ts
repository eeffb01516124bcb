/**
 * Refresh cost on a node: the same host commands whatever the number of guests and features — one
 * cluster listing shared by every resource type of a plan, one batched config read per guest kind, and
 * the markers of every running container in two commands (its pid, then a grep under /proc/PID/root).
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
  const features: Attrs[] = [];
  const markerFile = (vmid: number, name: string) => join(sim.dir, `var/sim/guests/${vmid}/rootfs/etc/phoenix/features/${name}.sha256`);

  beforeAll(async () => {
    for (const vmid of [500, 501, 502, 503, 504, 505]) {
      containers.push(await lxc.create(sim.ctx, planned(lxc, { vmid, ostemplate: TEMPLATE, rootfs: { storage: 'local-zfs', size: '1G' }, state: 'running' })));
      for (const name of ['docker', 'tools']) {
        features.push(await feature.create(sim.ctx, planned(feature, { guest: vmid, name, script: `#!/bin/sh\necho ${name}\n` })));
      }
    }
  }, 240_000);

  /** What one plan's refresh of these objects issues: every type read with the plan's shared memo. */
  async function refresh(guests: number): Promise<{ commands: string[][]; features: (Attrs | null)[] }> {
    const ctx: ProviderContext = { ...sim.ctx, memo: createReadMemo() };
    const vmids = new Set(containers.slice(0, guests).map((c) => c.vmid));
    sim.reset();
    await lxc.read(ctx, requests(containers.filter((c) => vmids.has(c.vmid))));
    await snapshot.read(ctx, requests([...vmids].map((guest) => ({ guest, guest_type: 'lxc', name: 'base', node: 'pve' }))));
    const read = await feature.read(ctx, requests(features.filter((f) => vmids.has(f.guest))));
    return { commands: [...sim.commands], features: read };
  }

  it('issues the same commands for 1 guest as for 6: one cluster listing per plan, markers in two commands', async () => {
    const one = await refresh(1);
    const six = await refresh(6);
    const shape = (commands: string[][]) => commands.map((c) => c.slice(0, 3).map((word) => word.replace(/\d+/g, 'N')).join(' '));
    expect(shape(six.commands)).toEqual(shape(one.commands));
    expect(six.commands.filter((c) => c.join(' ').startsWith('pvesh get /cluster/resources'))).toHaveLength(1);
    expect(six.commands.filter((c) => c[0] === 'pct')).toEqual([]); // nothing runs inside the guests
    // cluster listing, live power states, lxc configs, snapshot configs, CT pids, markers
    expect(six.commands).toHaveLength(6);
    expect(six.features).toEqual(features);
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
