/**
 * How legacy fields land in phoenix attributes, on an older-format legacy tree read from disk
 * (test/fixtures/legacy/older-format: list-shaped guests, comments, string numbers, a script missing).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertDirectory } from '../../src/legacy/load.js';
import { allText, errorsOf, loadOutput, resourceBlock, ROOT, withSubject } from './helpers.js';

const legacyDir = join(ROOT, 'test/fixtures/legacy/older-format/etc');
const outDir = mkdtempSync(join(tmpdir(), 'phoenix-convert-'));
const result = convertDirectory({ legacyDir, outDir: join(outDir, 'estate') });
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const lxcPath = (id: string, ...rest: string[]) => `phoenix_lxc_configs.json $.lxc_configs[${id}]${rest.join('')}`;

describe('mapping an older legacy tree', () => {
  it('writes loadable files, with script directories relative to the output', () => {
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect(readdirSync(join(outDir, 'estate')).sort()).toEqual(['containers.hcl', 'main.hcl', 'vms.hcl']);
    expect(loadOutput(result).diagnostics).toEqual([]);
    const main = result.files.find((f) => f.name === 'main.hcl')!.content;
    expect(main).toMatch(/variable "features_dir" \{\n\s+type\s+= string\n\s+default\s+= "\.\.\/\.\.\/.*\/test\/fixtures\/legacy\/older-format\/bin\/lxc_setup"/);
    expect(main).toContain('default     = "192.168.1.1 1.1.1.1"');
  });

  it('maps sizes, GPUs, container features, health checks and the NIC firewall flag', () => {
    const base = resourceBlock(result, 'lxc', 'gpu_base');
    expect(base).toMatch(/memory\s+= 4096/);
    expect(base).toContain('ostemplate = var.lxc_template');
    expect(base).toMatch(/features \{\n\s+nesting = true\n\s+keyctl\s+= true\n\s+mknod\s+= true\n\s+\}/);
    expect(base).toMatch(/gpus\s+= \[0\]/);
    expect(base).toMatch(/health_check \{\n\s+name\s+= "legacy"\n\s+command\s+= "nvidia-smi"\n\s+retries\s+= 5\n\s+interval = 10/);
    expect(base).toMatch(/firewall = true/);
    expect(base).toMatch(/nameserver\s+= var\.nameserver/);
    // A port without a protocol is refused by Proxmox (verify_rule): the rule stays a comment, with a warning.
    expect(base).toContain('#   firewall.rules[0] = {"type":"in","action":"ACCEPT","port":"22"}');
    expect(withSubject(result.diagnostics, lxcPath('0', '.firewall.rules[0]')).map((d) => d.summary)).toEqual(['Firewall rule 0 of guest 950 has a port but no proto']);
    expect(resourceBlock(result, 'firewall_options', 'gpu_base')).toMatch(/guest\s+= lxc\.gpu_base\.vmid\n\s+enable = true/);
    expect(allText(result)).not.toContain('resource "firewall_rules" "gpu_base"');
    // lxc-manager.sh joined pct_options into `pct set --features`: mknod=1 is a feature phoenix models.
    expect(withSubject(result.diagnostics, lxcPath('0', '.pct_options[2]'))).toEqual([]);
    expect(allText(result)).toContain('default     = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"');
  });

  it('clones from the snapshot, grows the disk, mounts read-only and requires the inherited feature', () => {
    const inference = resourceBlock(result, 'lxc', 'inference');
    expect(inference).toMatch(/snapshot\s+= snapshot\.gpu_base_golden\.name/);
    expect(inference).toMatch(/size\s+= "64G"/);
    expect(inference).toMatch(/volume\s+= "\/tank\/models"\n\s+path\s+= "\/models"\n\s+read_only = true/);
    expect(allText(result)).not.toContain('resource "feature" "inference_nvidia"');
    expect(resourceBlock(result, 'feature', 'inference_ollama')).toMatch(/requires = \["nvidia"\]/);
    expect(withSubject(result.diagnostics, lxcPath('1', '.dependencies[0]'))[0]!.summary).toBe('Dependency on guest 999, which does not exist');
    expect(withSubject(result.diagnostics, lxcPath('1', '.application_script'))[0]!.summary).toMatch(/^No application script of container 951 \(inference\) found: tried .*\/bin\/phoenix_hypervisor_lxc_951\.sh$/);
  });

  it('builds the VM template from its cloud image and clones it with cloud-init settings', () => {
    const template = resourceBlock(result, 'vm', 'debian_template');
    expect(template).toMatch(/import_from = "\$\{var\.cloud_image_dir\}\/debian-12-genericcloud-amd64\.qcow2"/);
    expect(template).toMatch(/template = true/);
    expect(template).toMatch(/password = var\.debian_template_password/);
    expect(allText(result)).not.toContain('changeme-legacy');
    const k3s = resourceBlock(result, 'vm', 'k3s_1');
    expect(k3s).toMatch(/size\s+= "40G"/);
    expect(k3s).toMatch(/ipconfig = \["ip=192\.168\.1\.60\/24,gw=\$\{var\.gateway\}"\]/);
    expect(k3s).toMatch(/depends_on = \[lxc\.inference\]/);
    expect(resourceBlock(result, 'feature', 'k3s_1_docker')).toMatch(/guest_type = "vm"/);
    expect(withSubject(result.diagnostics, 'phoenix_vm_configs.json $.vms["9101"].features[0]')[0]!.summary).toMatch(
      /^No script of feature "docker" of VM 9101 \(k3s-1\) found: tried .*\/bin\/vm_features\/feature_install_docker\.sh, .*\/bin\/lxc_setup\/phoenix_hypervisor_feature_install_docker\.sh$/,
    );
  });
});
