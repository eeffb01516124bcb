/**
 * os_template and download_file through the real CLI on the simulator: downloads ordered before the guests
 * that use them, a second plan with no changes, a checksum mismatch that fails the apply and records
 * nothing, a file already on the node that phoenix neither overwrites nor adopts, destroy that deletes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';
import { sim } from '../acceptance/harness.js';

const CLOUD = 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2';

const ESTATE = `
resource "zfs_dataset" "images" {
  name = "tank/images"
  storage {
    id      = "images"
    type    = "dir"
    content = ["import", "iso", "vztmpl"]
  }
}

resource "os_template" "debian" {
  storage  = zfs_dataset.images.storage.id
  template = "debian-12-standard_12.12-1_amd64.tar.zst"
}

resource "download_file" "cloud" {
  storage = zfs_dataset.images.storage.id
  content = "import"
  url     = "${CLOUD}"
}

resource "lxc" "web" {
  vmid       = 120
  hostname   = "web"
  ostemplate = os_template.debian.volid
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
}

output "image" {
  value = download_file.cloud.path
}
`;

describe('downloads on the simulated node', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const simDir = () => join(ws.dir, '.phoenix-sim');

  it('downloads before the guests that use them, converges, and deletes on destroy', async () => {
    ws = workspace({ 'main.hcl': ESTATE });
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.stderr).not.toContain('Error');
    expect(apply.stdout).toContain('Apply complete! Resources: 4 added');
    expect(apply.stdout.indexOf('os_template.debian: Creation complete')).toBeLessThan(apply.stdout.indexOf('lxc.web: Creating...'));
    expect(apply.stdout).toContain('image = "/tank/images/import/debian-12-genericcloud-amd64.qcow2"');
    expect(sim(simDir(), 'pct', 'list')).toMatch(/^120 +(running|stopped) +web/m);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);

    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.code).toBe(0);
    expect(sim(simDir(), 'pveam', 'list', 'local')).not.toContain('12.12-1');
    expect(existsSync(join(simDir(), 'tank/images/import/debian-12-genericcloud-amd64.qcow2'))).toBe(false);
  });

  it('fails the apply on a checksum mismatch, showing the node\'s message, and records nothing', async () => {
    ws = workspace({
      'main.hcl': `
resource "download_file" "iso" {
  content            = "iso"
  url                = "https://files.example/tool.iso"
  checksum           = "${'0'.repeat(64)}"
  checksum_algorithm = "sha256"
}
`,
    });
    sim(simDir(), 'pvesm', 'status'); // lays out the simulated node
    mkdirSync(join(simDir(), 'var/sim/remote/files.example'), { recursive: true });
    writeFileSync(join(simDir(), 'var/sim/remote/files.example/tool.iso'), 'an iso');
    const failed = await ws.run(['apply', '-auto-approve']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('downloading tool.iso failed: checksum mismatch');
    expect(existsSync(ws.statePath) ? ws.stateAddresses() : []).toEqual([]);

    ws.write('main.hcl', ws.read('main.hcl').replace('0'.repeat(64), createHash('sha256').update('an iso').digest('hex')));
    const fixed = await ws.run(['apply', '-auto-approve']);
    expect(fixed.stdout).toContain('Apply complete! Resources: 1 added');
    expect(ws.stateAddresses()).toEqual(['download_file.iso']);
  });

  it('neither overwrites nor adopts a file it did not download, and points at phoenix import', async () => {
    ws = workspace({ 'main.hcl': 'resource "os_template" "debian" {\n  template = "debian-12-standard_12.12-1_amd64.tar.zst"\n}\n' });
    sim(simDir(), 'pveam', 'download', 'local', 'debian-12-standard_12.12-1_amd64.tar.zst');
    const refused = await ws.run(['apply', '-auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('file local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst is already taken on the node');
    expect(refused.stderr).toContain('phoenix import os_template.debian local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst');

    // Without the plan-time check (no refresh), the create itself refuses, leaving no pending record behind.
    const raced = await ws.run(['apply', '-refresh=false', '-auto-approve']);
    expect(raced.code).toBe(1);
    expect(raced.stderr).toContain('local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst already exists on node pve');
    const again = await ws.run(['plan']);
    expect(again.stdout + again.stderr).not.toContain('Adopted');
    expect(again.stderr).toContain('is already taken on the node');
    expect(sim(simDir(), 'pveam', 'list', 'local')).toContain('12.12-1');

    const imported = await ws.run(['import', 'os_template.debian', 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst']);
    expect(imported.code).toBe(0);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
  });

  it('rejects at validate what the node would refuse', async () => {
    ws = workspace({
      'main.hcl': `
resource "download_file" "a" {
  content = "import"
  url     = "https://files.example/disk.img"
}
resource "download_file" "b" {
  content  = "iso"
  url      = "ftp://files.example/x.iso"
  checksum = "abc"
}
resource "os_template" "c" {
  template = "debian.zip"
}
`,
    });
    const result = await ws.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid file name "disk.img" for content "import"');
    expect(result.stderr).toContain('Invalid url "ftp://files.example/x.iso"');
    expect(result.stderr).toContain('"checksum" and "checksum_algorithm" go together');
    expect(result.stderr).toContain('Invalid template name "debian.zip"');
  });
});
