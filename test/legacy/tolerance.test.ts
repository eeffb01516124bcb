/**
 * The legacy format changed many times: unknown fields, missing files, wrong types, cycles and dangling
 * ids must each give a diagnostic naming the JSON path, and never an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allText, convert, errorsOf, loadOutput, lxcFile, resourceBlock, withSubject } from './helpers.js';

const BASE = { name: 'base', template: '/var/lib/vz/template/cache/debian-12-standard_12.7-1_amd64.tar.zst', memory_mb: 1024, template_snapshot_name: 'golden' };

describe('tolerance of the legacy format', () => {
  it('keeps unknown fields as comments and warns with their JSON path', () => {
    const result = convert({ 'phoenix_lxc_configs.json': lxcFile({ '900': { ...BASE, shiny_new_option: { level: 3 } } }, { generated_by: 'v9' }) });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["900"].shiny_new_option')).toEqual([
      expect.objectContaining({ severity: 'warning', summary: 'Legacy field "shiny_new_option" is not modelled by phoenix' }),
    ]);
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.generated_by')).toHaveLength(1);
    expect(resourceBlock(result, 'lxc', 'base')).toContain('#   shiny_new_option = {"level":3}');
    expect(loadOutput(result).diagnostics).toEqual([]);
  });

  it('converts whichever files exist, warning about the missing ones', () => {
    const result = convert({ 'phoenix_lxc_configs.json': lxcFile({ '900': BASE }) });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    const missing = result.diagnostics.filter((d) => /not found$/.test(d.summary)).map((d) => d.summary);
    expect(missing).toEqual(['phoenix_vm_configs.json not found', 'phoenix_hypervisor_config.json not found']);
    expect(result.files.map((f) => f.name)).toEqual(['main.hcl', 'containers.hcl']);
    // Without the hypervisor file the storage stays a plain storage ID.
    expect(convert({ 'phoenix_lxc_configs.json': lxcFile({ '900': { ...BASE, storage_pool: 'local-zfs' } }) }).files[1]!.content).toContain('storage = "local-zfs"');
  });

  it('reports an error, not an exception, when no legacy file exists', () => {
    const result = convert({});
    expect(errorsOf(result.diagnostics).map((d) => d.summary)).toEqual(['No legacy configuration found']);
    expect(result.files).toEqual([]);
  });

  it('names every member of a dependency cycle, across containers and VMs', () => {
    const lxc = lxcFile({
      '900': BASE,
      '101': { name: 'web', clone_from_ctid: '900', dependencies: ['1001'] },
      '102': { name: 'db', clone_from_ctid: '900', dependencies: ['101'] },
    });
    const vms = JSON.stringify({ vms: [{ vmid: 1001, name: 'proxy', dependencies: ['102'] }] });
    const result = convert({ 'phoenix_lxc_configs.json': lxc, 'phoenix_vm_configs.json': vms });
    const [cycle, ...others] = errorsOf(result.diagnostics);
    expect(others).toEqual([]);
    expect(cycle!.summary).toBe('Dependency cycle: 101 (web) → 1001 (proxy) → 102 (db) → 101 (web)');
    expect(cycle!.subject).toBe('phoenix_lxc_configs.json $.lxc_configs["102"].dependencies[0]');
    expect(result.files).toEqual([]);
  });

  it('drops a dependency on a missing id with a warning naming its path', () => {
    const result = convert({ 'phoenix_lxc_configs.json': lxcFile({ '900': { ...BASE, dependencies: ['101', '955'] }, '101': { name: 'dns', template: BASE.template } }) });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["900"].dependencies[1]').map((d) => d.summary)).toEqual([
      'Dependency on guest 955, which does not exist',
    ]);
    expect(resourceBlock(result, 'lxc', 'base')).toMatch(/depends_on = \[lxc\.dns\]/);
  });

  it('reports a missing clone source and a missing application script with their paths', () => {
    const locateScript = ({ file }: { file: string }) => ({ path: `/legacy/bin/${file}`, written: `legacy/bin/${file}`, exists: file !== 'phoenix_hypervisor_lxc_101.sh' });
    const result = convert({ 'phoenix_lxc_configs.json': lxcFile({ '101': { name: 'app', clone_from_ctid: 950, application_script: 'phoenix_hypervisor_lxc_101.sh' } }) }, { locateScript });
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["101"].clone_from_ctid')[0]!.summary).toBe('Clone source 950 does not exist');
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["101"].application_script')[0]!.summary).toBe(
      'No application script of container 101 (app) found: tried /legacy/bin/phoenix_hypervisor_lxc_101.sh',
    );
    expect(resourceBlock(result, 'lxc', 'app')).toMatch(/source_vmid = 950/);
    // Never a file() of the missing script: the estate still loads, and that feature fails with the message.
    const feature = resourceBlock(result, 'feature', 'app_application');
    expect(feature).not.toContain('file(');
    expect(feature).toContain("echo 'phoenix convert found no application script of container 101 (app); tried legacy/bin/phoenix_hypervisor_lxc_101.sh.");
    expect(feature).toContain('exit 1');
    expect(errorsOf(loadOutput(result).diagnostics)).toEqual([]);
  });

  it('warns about values of the wrong type and keeps them as comments', () => {
    const result = convert({ 'phoenix_lxc_configs.json': lxcFile({ '900': { ...BASE, memory_mb: 'lots', features: ['docker', 7, { x: 1 }], gpu_assignment: 'all' } }) });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["900"].memory_mb')[0]!.summary).toBe('Expected a number for "memory_mb"');
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["900"].features[2]')[0]!.summary).toBe('Expected a string');
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs["900"].gpu_assignment')[0]!.summary).toBe('Invalid gpu_assignment "all"');
    const base = resourceBlock(result, 'lxc', 'base');
    expect(base).toContain('#   memory_mb = "lots"');
    expect(base).not.toMatch(/^\s+memory\s+=/m);
  });

  it('reports a syntax error with its line and column, and still reads the other files', () => {
    const result = convert({ 'phoenix_lxc_configs.json': '{\n  "lxc_configs": {\n    "900": { "name": "x" "cores": 2 }\n  }\n}', 'phoenix_vm_configs.json': '{"vms": [{"vmid": 9000, "name": "t", "is_template": true}]}' });
    const [parseError] = errorsOf(result.diagnostics);
    expect(parseError!.summary).toBe('Cannot parse phoenix_lxc_configs.json');
    expect(parseError!.detail).toMatch(/^line 3, column 26: expected "," or "}"/);
    expect(result.summary).toMatchObject({ containers: 0, vms: 1 });
  });

  it('accepts the older list-shaped guest files and string ids', () => {
    const result = convert({ 'phoenix_lxc_configs.json': JSON.stringify({ lxc_configs: [{ ctid: '900', ...BASE }, { ctid: 'abc', name: 'broken' }] }) });
    expect(resourceBlock(result, 'lxc', 'base')).toContain('vmid');
    expect(withSubject(result.diagnostics, 'phoenix_lxc_configs.json $.lxc_configs[1]')[0]!.summary).toBe('Guest without a valid id ("abc")');
  });

  it('derives readable, unique resource names from guest names', () => {
    const result = convert({
      'phoenix_lxc_configs.json': lxcFile({ '900': { ...BASE, name: 'Copy-Cuda12.8' }, '901': { ...BASE, name: 'copy cuda12 8' }, '902': { ...BASE, name: '3d-render' }, '903': { template: BASE.template } }),
    });
    const names = [...allText(result).matchAll(/resource "lxc" "([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['copy_cuda12_8', 'copy_cuda12_8_901', 'ct_3d_render', 'ct_903']);
    expect(loadOutput(result).diagnostics).toEqual([]);
  });

  it('never throws, whatever JSON replaces a field or the whole file', () => {
    const fields = ['name', 'memory_mb', 'features', 'clone_from_ctid', 'dependencies', 'network_config', 'zfs_volumes', 'mount_points', 'firewall', 'health_check', 'vllm_engine_config', 'lxc_options'];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.jsonValue(), fc.jsonValue(), (field, value, document) => {
        const guest = convert({ 'phoenix_lxc_configs.json': lxcFile({ '900': { ...BASE, [field]: value }, '901': { name: 'c', clone_from_ctid: '900' } }) });
        const whole = convert({ 'phoenix_lxc_configs.json': JSON.stringify(document), 'phoenix_hypervisor_config.json': JSON.stringify({ zfs: document, shared_volumes: document }) });
        for (const result of [guest, whole]) {
          if (result.files.length > 0) expect(loadOutput(result).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('turns secrets into sensitive variables without writing their values anywhere', () => {
    const lxc = lxcFile({ '900': { ...BASE, password: 'hunter2' } });
    const hypervisor = JSON.stringify({ portainer_api: { admin_user: 'admin', admin_password: 'Sup3r$ecret' }, core_paths: { hf_token_file: '/etc/token.conf' } });
    const result = convert({ 'phoenix_lxc_configs.json': lxc, 'phoenix_hypervisor_config.json': hypervisor });
    const text = allText(result);
    expect(text).not.toMatch(/hunter2|Sup3r/);
    expect(resourceBlock(result, 'lxc', 'base')).toMatch(/password\s+= var\.base_password/);
    expect(text).toMatch(/variable "base_password" \{[^}]*sensitive\s+= true/);
    expect(text).toContain('"admin_password":"(sensitive: var.portainer_api_admin_password)"');
    // A path to a token file is not a secret.
    expect(text).toContain('"hf_token_file":"/etc/token.conf"');
    expect(loadOutput(result).diagnostics).toEqual([]);
  });
});
