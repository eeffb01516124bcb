/**
 * The committed examples/phoenix-estate on the simulator, through the real CLI (`npm run build` first):
 * a fresh apply creates everything in dependency order and converges; and an estate built by the legacy
 * tool's commands (no phoenix state) is adopted by `import -all` (features included) without creating or
 * replacing anything, and converges after one apply.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { resourceGraph } from '../../src/plan/resource-graph.js';
import { workspace, type Workspace } from '../cli/harness.js';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { ESTATE_DIR, SNAPSHOT_ETC } from './helpers.js';
import { LegacyTool } from './legacy-tool.js';

const json = (name: string) => JSON.parse(readFileSync(join(SNAPSHOT_ETC, name), 'utf8'));
const hypervisor = json('phoenix_hypervisor_config.json');

/** `# ADDR will be created` lines of a human plan, by action. */
function planned(output: string): Record<'create' | 'update' | 'replace' | 'delete', string[]> {
  const pick = (phrase: RegExp) => [...output.matchAll(new RegExp(`^\\s*# (\\S+) ${phrase.source}`, 'gm'))].map((m) => m[1]!).sort();
  return { create: pick(/will be created/), update: pick(/will be updated in-place/), replace: pick(/must be replaced/), delete: pick(/will be destroyed/) };
}

/**
 * The committed estate in a fresh directory: the pools are resources of the estate; the node's seed it
 * ships (.phoenix-sim/sim.json) holds the host directories its bind mounts need, as the legacy host setup made them.
 */
function estateWorkspace(): Workspace {
  return workspace({}, { copyFrom: ESTATE_DIR });
}

const ESTATE_FILES = ['main.hcl', 'host.hcl', 'storage.hcl', 'containers.hcl', 'vms.hcl'];

function configuredAddresses(ws: Workspace): string[] {
  const files = ESTATE_FILES.map((name) => ({ name, source: ws.read(name) }));
  return [...loadConfig(files).config.resources.keys()].sort();
}

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

describe('the converted legacy estate on the simulator', () => {
  it('validates, plans every guest and dataset, applies in dependency order and converges', async () => {
    ws = estateWorkspace();
    expect((await ws.run(['validate'])).stdout).toContain('The configuration is valid');

    const plan = await ws.run(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    const all = configuredAddresses(ws);
    expect(planned(plan.stdout).create).toEqual(all);
    expect(all.filter((a) => a.startsWith('lxc.') || a.startsWith('vm.'))).toHaveLength(15);
    expect(all.filter((a) => a.startsWith('zfs_dataset.'))).toHaveLength(11);
    expect(all.filter((a) => a.startsWith('zfs_pool.'))).toEqual(['zfs_pool.fastdata', 'zfs_pool.quickos']);
    expect(all.filter((a) => a.startsWith('storage.'))).toHaveLength(4);

    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain(`Apply complete! Resources: ${all.length} added, 0 changed, 0 destroyed.`);
    // Every object is started only after everything it depends on has finished.
    const lines = apply.stdout.split('\n');
    const started = (a: string) => lines.findIndex((l) => l.startsWith(`${a}: Creating...`));
    const finished = (a: string) => lines.findIndex((l) => l.startsWith(`${a}: Creation complete`));
    const files = ESTATE_FILES.map((name) => ({ name, source: ws!.read(name) }));
    const { edges } = resourceGraph(loadConfig(files).config);
    expect(edges.length).toBeGreaterThan(60);
    for (const { from, to } of edges) expect(finished(from), `${from} before ${to}`).toBeLessThan(started(to));

    // The node refused nothing: every command was valid for Proxmox, none failed and was retried away.
    expect(rejectedCommands(join(ws.dir, '.phoenix-sim'))).toEqual([]);

    const again = await ws.run(['plan', '-detailed-exitcode']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes.');
  }, 240_000);

  it('adopts an estate the legacy tool built: import -all, then nothing created and nothing replaced', async () => {
    ws = estateWorkspace();
    const legacy = new LegacyTool(join(ws.dir, '.phoenix-sim'));
    legacy.createPools(hypervisor);
    legacy.setupZfs(hypervisor);
    legacy.addNfsStorages(hypervisor);
    legacy.createContainers(json('phoenix_lxc_configs.json'), hypervisor);
    legacy.createVms(json('phoenix_vm_configs.json'));
    expect(legacy.commands.filter(([tool]) => tool === 'pct' || tool === 'qm').length).toBeGreaterThan(40);

    const imported = await ws.run(['import', '-all']);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    const adopted = [...imported.stdout.matchAll(/^(\S+): Import prepared!/gm)].map((m) => m[1]!).sort();
    // Every instance is adopted: features (their guests exist, host features on the node), pools, NFS storages.
    const all = configuredAddresses(ws);
    const hostFeatures = [...ws.read('host.hcl').matchAll(/^resource "feature" "(\w+)"/gm)].map((m) => `feature.${m[1]}`).sort();
    expect(hostFeatures.length).toBeGreaterThan(5);
    // The legacy managers never wrote guests' firewall options or rules (only the NIC flag): nothing to adopt there.
    const firewall = all.filter((a) => a.startsWith('firewall_'));
    expect(firewall.length).toBeGreaterThan(0);
    expect(adopted, imported.stdout + imported.stderr).toEqual(all.filter((a) => !firewall.includes(a)));

    const plan = await ws.run(['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    const actions = planned(plan.stdout);
    expect(actions.create, plan.stdout).toEqual(firewall);
    expect(actions.replace, plan.stdout).toEqual([]);
    expect(actions.delete).toEqual([]);
    // The legacy tool left no feature markers: each feature's script runs once, in place, and writes its marker
    // (host features on the node too).
    const features = all.filter((a) => a.startsWith('feature.'));
    for (const feature of hostFeatures) expect(features).toContain(feature);
    expect(features.length).toBeGreaterThan(20);
    for (const feature of features) expect(actions.update).toContain(feature);
    // Create-only inputs the host keeps no record of are adopted from config, not shown as changes.
    expect(plan.stdout).not.toMatch(/\+ clone\s+=|\+ import_from\s+=|hwaddr\s+=.*-> null/);
    // Real differences remain, e.g. VM 1002's disk_size_gb, which the legacy tool never applied.
    expect(actions.update).toContain('vm.drphoenix');

    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');
  }, 900_000);
});
