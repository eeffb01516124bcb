/**
 * Fields whose meaning the legacy format's drift changed, and values Proxmox would refuse: what the
 * converter makes of them, and the diagnostics that name the file and field.
 */
import { describe, expect, it } from 'vitest';
import { convert, errorsOf, loadOutput, lxcFile, resourceBlock, withSubject } from './helpers.js';

const TEMPLATE = '/var/lib/vz/template/cache/debian-12-standard_12.7-1_amd64.tar.zst';
const NET = { name: 'eth0', bridge: 'vmbr0', ip: '10.0.0.10/24', gw: '10.0.0.1' };

describe('legacy drift', () => {
  it('registers only "direct" datasets when storage_class is given, and says why in a comment', () => {
    const hypervisor = JSON.stringify({
      zfs: {
        datasets: [
          { pool: 'quickOS', name: 'lxc-disks', proxmox_storage_type: 'zfspool', proxmox_content_type: 'images,rootdir', storage_class: 'direct' },
          { pool: 'quickOS', name: 'shared-prod-data', proxmox_storage_type: 'zfspool', proxmox_content_type: 'images,rootdir', storage_class: 'shared' },
        ],
      },
    });
    const lxc = lxcFile({ '900': { name: 'base', template: TEMPLATE, storage_pool: 'quickOS-lxc-disks', zfs_volumes: [{ pool: 'quickOS-shared-prod-data', mount_point: '/data', size_gb: 10 }] } });
    const result = convert({ 'phoenix_lxc_configs.json': lxc, 'phoenix_hypervisor_config.json': hypervisor });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(resourceBlock(result, 'zfs_dataset', 'quickos_lxc_disks')).toMatch(/storage \{\n\s+id\s+= "quickOS-lxc-disks"/);
    const shared = resourceBlock(result, 'zfs_dataset', 'quickos_shared_prod_data');
    expect(shared).not.toContain('storage {');
    expect(shared).toContain('# storage_class = "shared": not registered as Proxmox storage "quickOS-shared-prod-data"');
    // The volume on it names a storage the estate does not declare: it must exist on the node.
    expect(resourceBlock(result, 'lxc', 'base')).toContain('volume = "quickOS-shared-prod-data"');
    expect(result.diagnostics.map((d) => d.summary)).toContain('Storage "quickOS-shared-prod-data" is registered by no dataset');
    expect(loadOutput(result).diagnostics).toEqual([]);
  });

  it('leaves out values Proxmox would refuse, each a warning naming its field', () => {
    const lxc = lxcFile({
      '900': { name: 'base', template: TEMPLATE, storage_pool: 'bad pool!', template_snapshot_name: 'x', network_config: { ...NET, ip: '10.0.0.300/24', gw: 'router' } },
      '901': { name: 'under_score', template: TEMPLATE, clone_from_ctid: 42, network_config: { name: 'eth0', ip: 'dhcp' } },
    });
    const result = convert({ 'phoenix_lxc_configs.json': lxc });
    const summary = (path: string) => withSubject(result.diagnostics, `phoenix_lxc_configs.json $.lxc_configs["${path}`).map((d) => d.summary);
    expect(summary('900"].storage_pool')).toEqual(['Invalid "storage_pool" "bad pool!"']);
    expect(summary('900"].template_snapshot_name')).toEqual(['Invalid "template_snapshot_name" "x"']);
    expect(summary('900"].network_config.ip')).toEqual(['Invalid "ip" "10.0.0.300/24"']);
    expect(summary('900"].network_config.gw')).toEqual(['Invalid "gw" "router"']);
    expect(summary('901"].name')).toEqual(['Invalid hostname "under_score" for 901']);
    expect(summary('901"].clone_from_ctid')).toEqual(['Invalid guest id 42 for "clone_from_ctid"']);
    expect(summary('901"].network_config')).toEqual(['Network of container 901 has no bridge']);
    expect(resourceBlock(result, 'lxc', 'base')).toContain('#   storage_pool = "bad pool!"');
    expect(resourceBlock(result, 'lxc', 'under_score')).not.toMatch(/hostname|network \{/);
  });

  it('refuses a container with nothing to create it from, naming it', () => {
    const result = convert({ 'phoenix_lxc_configs.json': lxcFile({ '900': { name: 'base', template_path: TEMPLATE } }) });
    const [refusal] = errorsOf(result.diagnostics);
    expect(refusal!.summary).toBe('Container 900 has neither "template" nor "clone_from_ctid"');
    expect(refusal!.subject).toBe('phoenix_lxc_configs.json $.lxc_configs["900"]');
    expect(result.files).toEqual([]);
  });

  it('clones a clone of a bind-mounted container from the nearest source Proxmox can clone', () => {
    const lxc = lxcFile({
      '900': { name: 'base', template: TEMPLATE, template_snapshot_name: 'golden', features: ['base_setup'] },
      '910': { name: 'vllm', clone_from_ctid: 900, template_snapshot_name: 'vllm-ready', features: ['vllm'], mount_points: [{ host_path: '/srv/models', container_path: '/models' }] },
      '950': { name: 'app', clone_from_ctid: 910, features: ['docker'] },
      '960': { name: 'root-bound', template: TEMPLATE, mount_points: [{ host_path: '/srv/x', container_path: '/x' }] },
      '961': { name: 'leaf', clone_from_ctid: 960 },
    });
    const result = convert({ 'phoenix_lxc_configs.json': lxc });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    const [warning] = withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["950"].clone_from_ctid');
    expect(warning!.summary).toBe('950 (app) cannot be cloned from 910 (vllm), which has a bind mount');
    expect(warning!.detail).toContain('It is cloned from 900 (base) instead; the features 910 (vllm) installed (vllm) are not on it');
    expect(resourceBlock(result, 'lxc', 'app')).toMatch(/source_vmid = lxc\.base\.vmid\n\s+snapshot\s+= snapshot\.base_golden\.name/);
    // No source up the chain can be cloned: created from the template instead.
    expect(resourceBlock(result, 'lxc', 'leaf')).toMatch(/ostemplate = /);
    expect(resourceBlock(result, 'lxc', 'leaf')).not.toContain('clone {');
    expect(loadOutput(result).diagnostics).toEqual([]);
  });

  it('writes AppArmor lines as apply_apparmor_profile did: none for "unconfined", nesting only with a profile', () => {
    const lxc = lxcFile({
      '900': { name: 'open', template: TEMPLATE, apparmor_profile: 'unconfined', apparmor_manages_nesting: true },
      '901': { name: 'docker', template: TEMPLATE, apparmor_profile: 'lxc-phoenix-v2', apparmor_manages_nesting: true },
    });
    const result = convert({ 'phoenix_lxc_configs.json': lxc });
    const open = resourceBlock(result, 'lxc', 'open');
    expect(open).not.toContain('lxc_raw');
    expect(open).not.toContain('apparmor_manages_nesting');
    const docker = resourceBlock(result, 'lxc', 'docker');
    expect(docker).toMatch(/apparmor_profile\s+= "lxc-phoenix-v2"/);
    expect(docker).toMatch(/lxc_raw\s+= \["lxc.apparmor.allow_nesting: 1", "lxc.include: \/usr\/share\/lxc\/config\/nesting.conf"\]/);
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["901"].apparmor_profile').map((d) => d.summary)).toEqual([
      'AppArmor profile "lxc-phoenix-v2" must be loaded on the node',
    ]);
    expect(loadOutput(result).diagnostics).toEqual([]);
  });
});
