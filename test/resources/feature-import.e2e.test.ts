/** Adopting features another tool installed (`phoenix import`): by marker hash when there is one, else reinstalled once in place. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attrs } from '../../src/config/values.js';
import { featureProvider as feature } from '../../src/resources/feature/provider.js';
import { lxcProvider as lxc } from '../../src/resources/lxc/provider.js';
import type { ResourceProvider } from '../../src/resources/provider.js';
import { proposedDiff, simHarness } from './harness.js';

function planned(provider: ResourceProvider, config: Attrs): Attrs {
  const attrs: Attrs = {};
  for (const [name, schema] of Object.entries(provider.schema.attributes)) attrs[name] = config[name] ?? schema.default ?? null;
  return provider.normalize!(attrs);
}

const SCRIPT = '#!/bin/sh\nset -e\necho installed\n';
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

describe('importing features', () => {
  const sim = simHarness();
  const markerFile = (vmid: number) => join(sim.dir, `var/sim/guests/${vmid}/rootfs/etc/phoenix/features/app.sha256`);
  const config = (guest: number) => planned(feature, { guest, name: 'app', script: SCRIPT });

  beforeAll(async () => {
    for (const vmid of [400, 401]) await lxc.create(sim.ctx, planned(lxc, { vmid, ostemplate: TEMPLATE, rootfs: { storage: 'local-zfs', size: '4G' } }));
    await feature.create(sim.ctx, config(400)); // 400 has the marker; 401 was set up without phoenix
  });

  it('records the marker hash when the guest has one: the configured feature then shows no difference', async () => {
    sim.reset();
    const imported = feature.adoptConfigured!(await feature.import(sim.ctx, '400/app'), config(400));
    expect(imported).toMatchObject({ guest: 400, guest_type: 'lxc', node: 'pve', name: 'app', script: SCRIPT, sha256: config(400).sha256 });
    expect(sim.issued('pct', 'exec')).toEqual([['pct', 'exec', '400', '--keep-env', '0', '--', 'cat', '/etc/phoenix/features/app.sha256']]);
    expect(await feature.read(sim.ctx, [{ address: 'feature.app', prior: imported }])).toEqual([imported]);
  });

  it('without a marker records no hash: still present, and the first update runs the script once and writes the marker', async () => {
    const imported = feature.adoptConfigured!(await feature.import(sim.ctx, '401/app'), config(401));
    expect(imported.sha256).toBeNull();
    expect(await feature.read(sim.ctx, [{ address: 'feature.app', prior: imported }])).toEqual([imported]);
    expect(existsSync(markerFile(401))).toBe(false);

    const diff = feature.diff!(imported, config(401), proposedDiff('sha256'));
    expect(diff.changed).toEqual([['sha256']]);
    expect(diff.replacePaths).toEqual([]);
    sim.reset();
    const updated = await feature.update(sim.ctx, imported, config(401), diff);
    expect(sim.issued('pct', 'exec', '401', '--keep-env', '0', '--', 'env')).toHaveLength(1);
    expect(readFileSync(markerFile(401), 'utf8').trim()).toBe(updated.sha256);
  });

  it('a record still pending creation (identity only) is not present', async () => {
    expect(await feature.read(sim.ctx, [{ address: 'feature.app', prior: { node: 'pve', guest: 401, name: 'other' } }])).toEqual([null]);
  });

  it('explains a malformed id or a missing guest', async () => {
    await expect(feature.import(sim.ctx, 'app')).rejects.toThrow(/Invalid feature ID "app"/);
    await expect(feature.import(sim.ctx, '499/app')).rejects.toThrow(/Guest 499 does not exist/);
  });
});
