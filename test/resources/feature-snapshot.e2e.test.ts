/** feature and snapshot providers against the simulated node. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureProvider as feature } from '../../src/resources/feature/provider.js';
import { snapshotProvider as snapshot } from '../../src/resources/snapshot/provider.js';
import { lxcProvider as lxc } from '../../src/resources/lxc/provider.js';
import type { Attrs } from '../../src/config/values.js';
import type { ResourceProvider } from '../../src/resources/provider.js';
import { proposedDiff, simHarness } from './harness.js';

function planned(provider: ResourceProvider, config: Attrs): Attrs {
  const attrs: Attrs = {};
  for (const [name, schema] of Object.entries(provider.schema.attributes)) attrs[name] = config[name] ?? schema.default ?? null;
  return provider.normalize!(attrs);
}

const DOCKER = '#!/bin/sh\nset -e\napt-get install -y docker.io\n';

describe('features and snapshots on the simulator', () => {
  const sim = simHarness();
  const execLog = () =>
    readFileSync(join(sim.dir, 'var/sim/exec.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { vmid: number; argv: string[]; env: Record<string, string> });
  let docker: Attrs;

  beforeAll(async () => {
    await lxc.create(sim.ctx, planned(lxc, { vmid: 300, ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', rootfs: { storage: 'local-zfs', size: '4G' } }));
    sim.reset();
    docker = await feature.create(sim.ctx, planned(feature, { guest: 300, name: 'docker', script: DOCKER, inputs: { version: '27.1' } }));
  });

  it('checks the marker, stages the script on the host, pushes, runs with inputs as environment, records the marker', () => {
    const argv = sim.commands.map((c) => c.slice(0, 7));
    expect(argv[0]).toEqual(['pct', 'exec', '300', '--keep-env', '0', '--', 'cat']);
    expect(sim.issued('mktemp')).toHaveLength(1);
    const [push] = sim.issued('pct', 'push');
    expect(push!.slice(0, 3)).toEqual(['pct', 'push', '300']);
    expect(push!.slice(4)).toEqual(['/root/.phoenix/features/docker.sh', '--perms', '0700']);
    expect(sim.issued('pct', 'exec', '300', '--keep-env', '0', '--', 'env')).toEqual([
      ['pct', 'exec', '300', '--keep-env', '0', '--', 'env', 'PHOENIX_INPUT_VERSION=27.1', 'sh', '/root/.phoenix/features/docker.sh'],
    ]);
    const marker = readFileSync(join(sim.dir, 'var/sim/guests/300/rootfs/etc/phoenix/features/docker.sha256'), 'utf8');
    expect(marker.trim()).toBe(docker.sha256);
    expect(readFileSync(join(sim.dir, 'var/sim/guests/300/rootfs/root/.phoenix/features/docker.sh'), 'utf8')).toBe(DOCKER);
  });

  it('hashes script and inputs: an input change is an update that re-runs the script', async () => {
    const next = planned(feature, { guest: 300, name: 'docker', script: DOCKER, inputs: { version: '27.2' } });
    expect(next.sha256).not.toBe(docker.sha256);
    expect(feature.diff!(docker, next, proposedDiff('inputs', 'sha256')).replacePaths).toEqual([]);
    sim.reset();
    docker = await feature.update(sim.ctx, docker, next, proposedDiff('inputs', 'sha256'));
    expect(sim.issued('pct', 'exec', '300', '--keep-env', '0', '--', 'env')).toHaveLength(1);
    expect(execLog().at(-2)!.env).toEqual({ PHOENIX_INPUT_VERSION: '27.2' });
  });

  let base: Attrs;
  it('takes a snapshot and finds it in the batched config read', async () => {
    sim.reset();
    base = await snapshot.create(sim.ctx, planned(snapshot, { guest: 300, name: 'base', triggers: { docker: String(docker.sha256) } }));
    expect(sim.commands).toEqual([['pct', 'snapshot', '300', 'base']]);
    sim.reset();
    expect(await snapshot.read(sim.ctx, [{ address: 'snapshot.base', prior: base }, { address: 'x', prior: { ...base, name: 'other' } }])).toEqual([
      { ...base, node: 'pve' },
      null,
    ]);
    expect(sim.commands.map((c) => c[0])).toEqual(['pvesh', 'grep']);
  });

  it('counts a feature inherited from the clone source snapshot as present: nothing runs', async () => {
    await lxc.create(sim.ctx, planned(lxc, { vmid: 301, clone: { source_vmid: 300, snapshot: 'base', full: true } }));
    sim.reset();
    const inherited = await feature.create(sim.ctx, planned(feature, { guest: 301, name: 'docker', script: DOCKER, inputs: { version: '27.2' } }));
    expect(sim.commands).toEqual([['pct', 'exec', '301', '--keep-env', '0', '--', 'cat', '/etc/phoenix/features/docker.sha256']]);
    expect(inherited.sha256).toBe(docker.sha256);
  });

  it('a failing script surfaces its output as a diagnostic', async () => {
    sim.injectFaults([{ match: 'pct exec 300 --keep-env 0 -- env', action: 'fail', exitCode: 100, stderr: 'E: Unable to locate package nvidia-driver' }]);
    const nvidia = planned(feature, { guest: 300, name: 'nvidia', script: 'apt-get install -y nvidia-driver\n' });
    await expect(feature.create(sim.ctx, nvidia)).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ summary: 'Feature "nvidia" install failed in guest 300', detail: expect.stringContaining('Unable to locate package') })],
    });
  });

  it('deleting a feature runs its uninstall script and removes the marker; deleting the snapshot uses delsnapshot', async () => {
    sim.reset();
    await feature.delete(sim.ctx, { ...docker, uninstall_script: 'apt-get purge -y docker.io\n' });
    expect(sim.issued('pct', 'push')[0]!.at(-3)).toBe('/root/.phoenix/features/docker.uninstall.sh');
    expect(sim.issued('pct', 'exec', '300', '--keep-env', '0', '--', 'rm')).toEqual([['pct', 'exec', '300', '--keep-env', '0', '--', 'rm', '-f', '/etc/phoenix/features/docker.sha256']]);
    sim.reset();
    await snapshot.delete(sim.ctx, base);
    expect(sim.commands).toEqual([['pct', 'delsnapshot', '300', 'base']]);
    expect(await snapshot.read(sim.ctx, [{ address: 'snapshot.base', prior: base }])).toEqual([null]);
  });
});
