/** `phoenix convert` through the real CLI (`npm run build` first): files, warnings, errors, usage. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';
import { ROOT, SNAPSHOT_ETC } from './helpers.js';

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

describe('phoenix convert', () => {
  it('writes the HCL, lists each warning with its JSON path and validates', async () => {
    ws = workspace();
    const result = await ws.run(['convert', '--from-legacy', SNAPSHOT_ETC, '-o', 'estate', '--simulator']);
    expect(result.code, result.stderr).toBe(0);
    // Template snapshots plus lifecycle snapshots (enable_lifecycle_snapshots), but CT 910 has a bind mount:
    // Proxmox cannot snapshot it, so none of its snapshots is converted.
    expect(result.stdout).toContain('Converted: 12 containers, 3 VMs, 11 datasets, 24 features, 12 snapshots');
    expect(result.stderr).toContain('Snapshot "final-form" of 910 not converted');
    for (const name of ['main.hcl', 'storage.hcl', 'containers.hcl', 'vms.hcl', 'simulator.auto.hcl']) expect(ws.exists(`estate/${name}`), name).toBe(true);
    expect(result.stderr).toContain('Warning: Legacy field "ports" is not modelled by phoenix (phoenix_lxc_configs.json $.lxc_configs["801"].ports)');
    // The feature scripts default to the legacy layout next to etc/.
    expect(ws.read('estate/main.hcl')).toMatch(/default\s+= ".*examples\/phoenix-estate\/legacy\/bin\/lxc_setup"/);
    const validate = await ws.run(['-chdir=estate', 'validate']);
    expect(validate.stdout + validate.stderr).toContain('The configuration is valid');
  });

  it('writes nothing when the legacy dependencies form a cycle', async () => {
    ws = workspace();
    const result = await ws.run(['convert', '--from-legacy', join(ROOT, 'test/fixtures/legacy/cycle'), '-o', 'estate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Error: Dependency cycle: 101 \(web\) → 102 \(db\) → 101 \(web\)/);
    expect(result.stderr).toContain('with phoenix_lxc_configs.json $.lxc_configs["102"].dependencies[0]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(ws.exists('estate')).toBe(false);
  });

  it('explains its usage when --from-legacy is missing or the directory does not exist', async () => {
    ws = workspace();
    const missingFlag = await ws.run(['convert']);
    expect(missingFlag.code).toBe(1);
    expect(missingFlag.stderr).toContain('Expected --from-legacy DIR');
    const missingDir = await ws.run(['convert', '--from-legacy', 'nowhere']);
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr).toContain('Legacy directory not found');
  });
});
