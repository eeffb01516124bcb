/**
 * The simulated node's seed `convert --simulator` writes (.phoenix-sim/sim.json of the output directory):
 * what it declares, how it joins a sim.json already there, and the warning when that node was already used.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { convertDirectory } from '../../src/legacy/load.js';
import { lxcFile } from './helpers.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function legacyTree(): { etc: string; out: string; seed: string } {
  dir = mkdtempSync(join(tmpdir(), 'phoenix-seed-'));
  const etc = join(dir, 'etc');
  mkdirSync(etc);
  const template = '/fastData/shared-iso/template/cache/ubuntu-24.04-standard_24.04-2_amd64.tar.zst';
  writeFileSync(join(etc, 'phoenix_lxc_configs.json'), lxcFile({ '900': { name: 'base', template, storage_pool: 'lxc-disks', network_config: { name: 'eth0', bridge: 'vmbr0', ip: 'dhcp' } } }));
  writeFileSync(join(etc, 'phoenix_hypervisor_config.json'), JSON.stringify({ zfs: { datasets: [{ pool: 'fastData', name: 'shared-iso' }] } }));
  const out = join(dir, 'estate');
  return { etc, out, seed: join(out, '.phoenix-sim/sim.json') };
}

describe('the simulator seed', () => {
  it('declares the undeclared pools, the storages no dataset registers, and the templates', () => {
    const { etc, out, seed } = legacyTree();
    const result = convertDirectory({ legacyDir: etc, outDir: out, simulator: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(JSON.parse(readFileSync(seed, 'utf8'))).toEqual({
      pools: ['rpool', 'rpool/data', 'tank', 'fastData', 'rpool/sim/lxc-disks'],
      storages: [{ id: 'lxc-disks', type: 'zfspool', pool: 'rpool/sim/lxc-disks', content: 'images,rootdir' }],
      templates: ['ubuntu-24.04-standard_24.04-2_amd64.tar.zst'],
      images: [],
      directories: [],
    });
    // Without --simulator there is no seed.
    rmSync(out, { recursive: true });
    convertDirectory({ legacyDir: etc, outDir: out });
    expect(() => readFileSync(seed)).toThrow();
  });

  it('joins a sim.json already there, keeping its settings, and warns when that node was already used', () => {
    const { etc, out, seed } = legacyTree();
    mkdirSync(join(out, '.phoenix-sim'), { recursive: true });
    writeFileSync(seed, JSON.stringify({ latency_ms: 5, pools: ['tank', 'backup'] }));
    const first = convertDirectory({ legacyDir: etc, outDir: out, simulator: true });
    const merged = JSON.parse(readFileSync(seed, 'utf8')) as { latency_ms: number; pools: string[]; storages: { id: string }[] };
    expect(merged.latency_ms).toBe(5);
    expect(merged.pools).toEqual(['tank', 'backup', 'rpool', 'rpool/data', 'fastData', 'rpool/sim/lxc-disks']);
    expect(merged.storages.map((s) => s.id)).toEqual(['lxc-disks']);
    expect(first.diagnostics.map((d) => d.summary)).not.toContain('The simulated node in the output directory was already used');

    writeFileSync(join(out, '.phoenix-sim/initialised'), '');
    const again = convertDirectory({ legacyDir: etc, outDir: out, simulator: true });
    expect(again.diagnostics.map((d) => d.summary)).toContain('The simulated node in the output directory was already used');
    // Converting again adds nothing twice.
    expect((JSON.parse(readFileSync(seed, 'utf8')) as { pools: string[] }).pools).toEqual(merged.pools);
  });
});
