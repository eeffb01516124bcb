/** The storage resource through the real CLI on the simulated node: pvesm add/set/remove, storage.cfg read back, secrets never printed. */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';
import { simSettings, simTool } from './sim-node.js';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');

function storages(options: { nfsContent?: string; keepLast?: number; password?: string } = {}): string {
  return `
variable "smb_password" {
  type      = string
  sensitive = true
}

resource "storage" "nas" {
  id            = "nas"
  type          = "nfs"
  server        = "10.0.0.5"
  export        = "/export/pve"
  content       = [${options.nfsContent ?? '"backup", "iso"'}]
  options       = "vers=4.2"
  prune_backups = { keep-last = ${options.keepLast ?? 3}, keep-weekly = 2 }
}

resource "storage" "smb" {
  id       = "smb"
  type     = "cifs"
  server   = "files.lan"
  share    = "media"
  username = "pve"
  password = var.smb_password
  content  = ["iso"]
}

resource "storage" "pbs" {
  id          = "pbs"
  type        = "pbs"
  server      = "pbs.lan"
  datastore   = "main"
  username    = "backup@pbs"
  password    = "${options.password ?? 'pbs-secret-1'}"
  fingerprint = "${FINGERPRINT}"
}

resource "storage" "thin" {
  id       = "thin"
  type     = "lvmthin"
  vgname   = "pve"
  thinpool = "data"
  nodes    = ["pve"]
}
`;
}

describe('storage on the simulator', () => {
  let ws: Workspace;
  const env = { PHOENIX_VAR_smb_password: 'smb-secret-9' };
  const cfg = () => readFileSync(join(ws.dir, '.phoenix-sim/etc/pve/storage.cfg'), 'utf8');
  beforeAll(() => {
    ws = workspace({ 'main.hcl': storages() });
  });
  afterAll(() => ws.remove());

  it('adds nfs, cifs, pbs and lvmthin storages; the secrets land in priv/storage and are never printed', async () => {
    const plan = await ws.run(['plan'], { env });
    expect(plan.stdout).toContain('Plan: 4 to add');
    expect(plan.stdout).toMatch(/password += \(sensitive value\)/);
    const applied = await ws.run(['apply', '-auto-approve'], { env });
    expect(applied.stdout).toContain('Apply complete! Resources: 4 added');
    for (const output of [plan.stdout, plan.stderr, applied.stdout, applied.stderr]) {
      expect(output).not.toContain('smb-secret-9');
      expect(output).not.toContain('pbs-secret-1');
      expect(output).not.toContain(FINGERPRINT);
    }
    const nas = /nfs: nas\n((?:\t.*\n)+)/.exec(cfg())![1]!.split('\n').filter(Boolean).sort();
    expect(nas).toEqual(['\tcontent backup,iso', '\texport /export/pve', '\toptions vers=4.2', '\tpath /mnt/pve/nas', '\tprune-backups keep-last=3,keep-weekly=2', '\tserver 10.0.0.5']);
    expect(cfg()).toContain('lvmthin: thin\n');
    expect(cfg()).not.toContain('secret');
    expect(readFileSync(join(ws.dir, '.phoenix-sim/etc/pve/priv/storage/smb.pw'), 'utf8')).toBe('password=smb-secret-9\n');
    expect(readFileSync(join(ws.dir, '.phoenix-sim/etc/pve/priv/storage/pbs.pw'), 'utf8')).toBe('pbs-secret-1\n');
    expect((await ws.run(['plan'], { env })).stdout).toContain('No changes.');
  });

  it('changes content, retention and password in place with one pvesm set each, and sees drift in storage.cfg', async () => {
    ws.write('main.hcl', storages({ nfsContent: '"backup"', keepLast: 5, password: 'pbs-secret-2' }));
    const plan = await ws.run(['plan'], { env });
    expect(plan.stdout).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');
    expect(plan.stdout).not.toContain('pbs-secret-2');
    await ws.run(['apply', '-auto-approve'], { env });
    expect(cfg()).toContain('\tcontent backup\n');
    expect(cfg()).toContain('prune-backups keep-last=5,keep-weekly=2');
    expect(readFileSync(join(ws.dir, '.phoenix-sim/etc/pve/priv/storage/pbs.pw'), 'utf8')).toBe('pbs-secret-2\n');
    simTool(ws.dir, 'pvesm', 'set', 'nas', '--content', 'iso');
    expect((await ws.run(['plan'], { env })).stdout).toMatch(/~ content += \[\n\s+- "iso",\n\s+\+ "backup",/);
  });

  it('replaces a storage whose fixed option changes, and removes storages with their credentials', async () => {
    ws.write('main.hcl', storages({ nfsContent: '"backup"', keepLast: 5, password: 'pbs-secret-2' }).replace('/export/pve', '/export/pve2'));
    expect((await ws.run(['plan'], { env })).stdout).toMatch(/storage\.nas must be replaced/);
    const destroyed = await ws.run(['destroy', '-auto-approve'], { env });
    expect(destroyed.stdout).toContain('Resources: 4 destroyed');
    expect(cfg()).not.toMatch(/nas|smb|pbs|thin/);
    expect(existsSync(join(ws.dir, '.phoenix-sim/etc/pve/priv/storage/smb.pw'))).toBe(false);
  });
});

describe('storage validation and host errors', () => {
  it('rejects options of another type and missing required ones at validate', async () => {
    const ws = workspace({
      'main.hcl': `resource "storage" "x" {\n  id = "x"\n  type = "nfs"\n  server = "a"\n  share = "s"\n  content = ["rootdir", "vztmpl2"]\n}\n`,
    });
    const result = await ws.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('A nfs storage needs "export".');
    expect(result.stderr).toContain('"share" does not apply to a nfs storage.');
    expect(result.stderr).toContain('does not hold content type "vztmpl2"');
    ws.remove();
  });

  it('quotes pvesm when the host refuses (a thin pool that does not exist)', async () => {
    const ws = workspace({ 'main.hcl': `resource "storage" "t" {\n  id = "tp"\n  type = "lvmthin"\n  vgname = "vg0"\n  thinpool = "thin"\n}\n` });
    simSettings(ws.dir, { lvm_thinpools: ['pve/data'] });
    const result = await ws.run(['apply', '-auto-approve']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('create storage failed: no such logical volume vg0/thin');
    ws.remove();
  });

  it('imports an nfs storage made by hand', async () => {
    const ws = workspace({ 'main.hcl': `resource "storage" "nas" {\n  id = "nas"\n  type = "nfs"\n  server = "10.0.0.5"\n  export = "/e"\n}\n` });
    expect(simTool(ws.dir, 'pvesm', 'add', 'nfs', 'nas', '--server', '10.0.0.5', '--export', '/e').code).toBe(0);
    expect((await ws.run(['import', 'storage.nas', 'nas'])).code).toBe(0);
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');
    ws.remove();
  });
});
