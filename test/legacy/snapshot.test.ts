/**
 * The real legacy snapshot (examples/phoenix-estate/legacy/etc, a copy of the public project's etc/):
 * converts without errors, into configuration phoenix loads, with one resource per guest and dataset and
 * every clone and dependency edge; the committed example is exactly what the converter produces today.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceGraph } from '../../src/plan/resource-graph.js';
import { allText, committedFile, convert, errorsOf, loadOutput, resourceBlock, SNAPSHOT_ETC, snapshotOptions, snapshotSources, withSubject } from './helpers.js';

const result = convert(snapshotSources(), { ...snapshotOptions(), simulator: true });
const lxcJson = JSON.parse(readFileSync(join(SNAPSHOT_ETC, 'phoenix_lxc_configs.json'), 'utf8')) as { lxc_configs: Record<string, { clone_from_ctid?: string; dependencies?: string[]; features?: string[] }> };
const vmJson = JSON.parse(readFileSync(join(SNAPSHOT_ETC, 'phoenix_vm_configs.json'), 'utf8')) as { vms: { vmid: number; clone_from_vmid?: number }[] };
const hypervisorJson = JSON.parse(readFileSync(join(SNAPSHOT_ETC, 'phoenix_hypervisor_config.json'), 'utf8')) as { zfs: { datasets: { pool: string; name: string }[] } };

/** vmid → address of the guest resource declaring it. */
function guestAddresses(): Map<number, string> {
  const map = new Map<number, string>();
  for (const match of allText(result).matchAll(/resource "(lxc|vm)" "([a-z0-9_]+)" \{\n\s+vmid\s+= (\d+)/g)) map.set(Number(match[3]), `${match[1]}.${match[2]}`);
  return map;
}

function reachable(edges: { from: string; to: string }[], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(next.get(node) ?? []));
  }
  return false;
}

describe('converting the legacy snapshot', () => {
  it('has no errors and writes the committed example byte for byte', () => {
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(result.files.map((f) => f.name)).toEqual(['main.hcl', 'host.hcl', 'storage.hcl', 'containers.hcl', 'vms.hcl', 'simulator.auto.hcl', '.phoenix-sim/sim.json']);
    for (const file of result.files.filter((f) => f.name.endsWith('.hcl'))) expect(file.content, `${file.name} is stale: run scripts/regen-phoenix-estate.mjs`).toBe(committedFile(file.name));
    // The estate declares its pools and storages, and the simulator ships its template: the seed adds nothing
    // but the template and image the estate is made from, and the directories its bind mounts need.
    expect(JSON.parse(result.files.at(-1)!.content)).toEqual({
      pools: ['rpool', 'rpool/data', 'tank'],
      storages: [],
      templates: ['ubuntu-24.04-standard_24.04-2_amd64.tar.zst'],
      images: ['var/lib/vz/template/iso/noble-server-cloudimg-amd64.img'],
      // Bind-mount sources no dataset create makes: the legacy tool made them with mkdir -p.
      directories: ['/mnt/pve/quickOS/shared-prod-data/logs/nginx', '/mnt/pve/quickOS/shared-prod-data/ssl', '/usr/local/phoenix_hypervisor/persistent-storage/ssl'],
    });
  });

  it('declares one resource per guest and dataset, and phoenix loads it without diagnostics', () => {
    const { config, diagnostics } = loadOutput(result);
    expect(diagnostics).toEqual([]);
    const ids = [...Object.keys(lxcJson.lxc_configs).map(Number), ...vmJson.vms.map((v) => v.vmid)].sort();
    expect([...guestAddresses().keys()].sort()).toEqual(ids);
    const datasets = [...config.resources.values()].filter((r) => r.type === 'zfs_dataset');
    expect(datasets).toHaveLength(hypervisorJson.zfs.datasets.length);
    expect(allText(result)).toContain('name = "${zfs_pool.fastdata.name}/shared-bulk-data"');
  });

  it('declares the pools, NFS exports and storages, Samba shares and host setup scripts of the hypervisor', () => {
    const { config } = loadOutput(result);
    const { edges } = resourceGraph(config);
    const ofType = (type: string) => [...config.resources.values()].filter((r) => r.type === type).map((r) => r.name).sort();
    expect(ofType('zfs_pool')).toEqual(['fastdata', 'quickos']);
    expect(resourceBlock(result, 'zfs_pool', 'quickos')).toMatch(/vdev \{\n\s+type\s+= "mirror"\n\s+disks = \["\/dev\/disk\/by-id\/nvme-Samsung_SSD_990_EVO_Plus_2TB_S7U6NJ0Y320880M"/);
    expect(ofType('storage')).toEqual(['nfs_shared_bulk_data', 'nfs_shared_prod_data', 'nfs_shared_prod_data_sync', 'nfs_vm_persistent_data']);
    expect(resourceBlock(result, 'feature', 'nfs_exports')).toContain('/quickOS/shared-prod-data 10.0.0.0/24(rw,sync,no_subtree_check,no_root_squash)');
    expect(resourceBlock(result, 'feature', 'samba_shares')).toContain('[shared-test-data]\\n   path = /fastData/shared-test-data');
    // Datasets wait for their pool, the NFS feature for the datasets it exports, the storages for the feature.
    expect(reachable(edges, 'zfs_pool.quickos', 'zfs_dataset.quickos_shared_prod_data')).toBe(true);
    expect(reachable(edges, 'zfs_dataset.quickos_shared_prod_data', 'feature.nfs_exports')).toBe(true);
    expect(reachable(edges, 'feature.nfs_exports', 'storage.nfs_shared_prod_data')).toBe(true);
    // Legacy setup scripts, chained in hypervisor-manager.sh's order.
    expect(reachable(edges, 'feature.host_initial_setup', 'feature.host_fix_apparmor_tunables')).toBe(true);
    expect(allText(result)).not.toMatch(/"(pools|exports|shares)" is not modelled/);
  });

  it('turns every clone source and dependency into an edge of the resource graph', () => {
    const { config } = loadOutput(result);
    const { edges } = resourceGraph(config);
    const address = guestAddresses();
    const expected: [number, number][] = [];
    for (const [id, guest] of Object.entries(lxcJson.lxc_configs)) {
      if (guest.clone_from_ctid) expected.push([Number(guest.clone_from_ctid), Number(id)]);
      for (const dep of guest.dependencies ?? []) expected.push([Number(dep), Number(id)]);
    }
    for (const vm of vmJson.vms) if (vm.clone_from_vmid) expected.push([vm.clone_from_vmid, vm.vmid]);
    expect(expected.length).toBeGreaterThan(15);
    for (const [from, to] of expected) expect(reachable(edges, address.get(from)!, address.get(to)!), `${from} → ${to}`).toBe(true);
    // Root disks and volumes reference the datasets registering their storages.
    expect(reachable(edges, 'zfs_dataset.quickos_lxc_disks', address.get(900)!)).toBe(true);
    expect(reachable(edges, 'zfs_dataset.fastdata_shared_bulk_data', address.get(801)!)).toBe(true);
    expect(reachable(edges, 'zfs_dataset.quickos_vm_disks', address.get(9000)!)).toBe(true);
  });

  it('clones from the source snapshot, taken after the source features', () => {
    expect(resourceBlock(result, 'lxc', 'copy_vllm_gpux2')).toMatch(/clone \{\n\s+source_vmid = lxc\.copy_cuda12_8\.vmid\n\s+snapshot\s+= snapshot\.copy_cuda12_8_final_form\.name/);
    expect(resourceBlock(result, 'snapshot', 'copy_cuda12_8_final_form')).toMatch(/depends_on = \[feature\.copy_cuda12_8_nvidia\]/);
    expect(resourceBlock(result, 'vm', 'portainer')).toMatch(/source_vmid = vm\.ubuntu_2404_cloud_template\.vmid/);
  });

  it('does not repeat features a clone inherits, but keeps those whose inputs differ', () => {
    const text = allText(result);
    // 910 lists nvidia and vllm; nvidia came with 901's snapshot.
    expect(text).not.toContain('resource "feature" "copy_vllm_gpux2_nvidia"');
    expect(text).toContain('resource "feature" "copy_vllm_gpux2_vllm"');
    // 801 is a clone of 911 (vllm installed) but serves another model: its vllm feature re-runs.
    expect(resourceBlock(result, 'feature', 'granite_embedding_vllm')).toContain('engine_config = jsonencode(local.granite_embedding_vllm_engine_config)');
    expect(allText(result)).toMatch(/locals \{\n\s+granite_embedding_vllm_engine_config = \{\n\s+ModelConfig = \{\n\s+model\s+= "ibm-granite\/granite-embedding-english-r2"/);
    expect(resourceBlock(result, 'feature', 'copy_cuda12_8_nvidia')).toMatch(/driver_version = var\.nvidia_driver_version/);
  });

  it('makes repeated values variables and secrets sensitive variables, never literals', () => {
    const main = result.files.find((f) => f.name === 'main.hcl')!.content;
    for (const name of ['bridge', 'gateway', 'nvidia_driver_version']) expect(main).toContain(`variable "${name}" {`);
    expect(main).toMatch(/variable "portainer_api_admin_password" \{[^}]*sensitive\s+= true/);
    expect(allText(result)).not.toContain('NewKick');
    expect(resourceBlock(result, 'lxc', 'copy_base')).toContain('gw     = var.gateway');
  });

  it('keeps unmodelled fields as comments next to their resource, each reported with its JSON path', () => {
    expect(resourceBlock(result, 'lxc', 'granite_embedding')).toContain('#   ports = ["8000:8000"]');
    const [warning] = withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["801"].ports');
    expect(warning?.summary).toBe('Legacy field "ports" is not modelled by phoenix');
    expect(withSubject(result.diagnostics, 'phoenix_hypervisor_config.json $.shared_volumes.firewall').map((d) => d.summary)).toContain('Duplicate key "firewall"');
    expect(withSubject(result.diagnostics, 'phoenix_hypervisor_config.json $.shared_volumes.ollama_models.mounts["955"]')[0]?.summary).toMatch(/container 955, which does not exist/);
  });
});
