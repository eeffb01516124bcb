/** Features on the node itself (host = true) through the real CLI on the simulator's sandboxed host shell. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';

function config(exportsLine: string): string {
  return `
resource "feature" "nfs_server" {
  host     = true
  name     = "nfs-server"
  script   = "apt-get install -y nfs-kernel-server\\necho \\"$PHOENIX_INPUT_EXPORTS\\" > /etc/exports\\nexportfs -ra\\n"
  inputs   = { exports = "${exportsLine}" }
  uninstall_script = "rm -f /etc/exports"
}

resource "lxc" "app" {
  vmid       = 150
  hostname   = "app"
  ostemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
  depends_on = [feature.nfs_server]
}
`;
}

interface HostExec {
  argv: string[];
  env: Record<string, string>;
  script: string;
}

describe('host features on the simulator', () => {
  let ws: Workspace;
  const log = (): HostExec[] =>
    existsSync(join(ws.dir, '.phoenix-sim/var/sim/host-exec.log'))
      ? readFileSync(join(ws.dir, '.phoenix-sim/var/sim/host-exec.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HostExec)
      : [];
  beforeAll(() => {
    ws = workspace({ 'main.hcl': config('/tank/share 10.0.0.0/24(rw)') });
  });
  afterAll(() => ws.remove());

  it('runs the script in the host sandbox with its inputs before the guest that depends on it, then plans no changes', async () => {
    const applied = await ws.run(['apply', '-auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('installing feature nfs-server on node pve');
    expect(applied.stdout.indexOf('feature.nfs_server: Creation complete')).toBeLessThan(applied.stdout.indexOf('lxc.app: Creating'));
    const [run] = log();
    expect(run!.script).toContain('nfs-kernel-server');
    expect(run!.env).toEqual({ PHOENIX_INPUT_EXPORTS: '/tank/share 10.0.0.0/24(rw)' });
    expect(readFileSync(join(ws.dir, '.phoenix-sim/etc/phoenix/host-features/nfs-server.sha256'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');
  });

  it('re-runs the script when an input changes (new sha256), and sees a removed marker as gone', async () => {
    ws.write('main.hcl', config('/tank/share 10.0.0.0/16(rw)'));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('feature.nfs_server will be updated in-place');
    await ws.run(['apply', '-auto-approve']);
    expect(log().at(-1)!.env.PHOENIX_INPUT_EXPORTS).toBe('/tank/share 10.0.0.0/16(rw)');
    const { rmSync } = await import('node:fs');
    rmSync(join(ws.dir, '.phoenix-sim/etc/phoenix/host-features/nfs-server.sha256'));
    expect((await ws.run(['plan'])).stdout).toContain('feature.nfs_server will be created');
    await ws.run(['apply', '-auto-approve']);
  });

  it('fails with the script output when the host script fails, naming the node', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(ws.dir, '.phoenix-sim/faults.json'), JSON.stringify([{ match: '/^sh /', action: 'fail', stderr: 'E: Unable to locate package nfs-kernel-server', exitCode: 100 }]));
    ws.write('main.hcl', config('/tank/other 10.0.0.0/16(rw)'));
    const applied = await ws.run(['apply', '-auto-approve']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('Feature "nfs-server" install failed on node pve');
    expect(applied.stderr).toContain('E: Unable to locate package nfs-kernel-server');
    writeFileSync(join(ws.dir, '.phoenix-sim/faults.json'), '[]');
  });

  it('runs the uninstall script and removes the marker on destroy', async () => {
    const destroyed = await ws.run(['destroy', '-auto-approve']);
    expect(destroyed.code).toBe(0);
    expect(log().at(-1)!.script).toBe('rm -f /etc/exports');
    expect(existsSync(join(ws.dir, '.phoenix-sim/etc/phoenix/host-features/nfs-server.sha256'))).toBe(false);
  });

  it('requires exactly one of guest and host', async () => {
    const bad = workspace({ 'main.hcl': 'resource "feature" "x" {\n  name = "x"\n  script = "true"\n}\nresource "feature" "y" {\n  name = "y"\n  script = "true"\n  host = true\n  guest = 100\n}\n' });
    const result = await bad.run(['validate']);
    expect(result.stderr).toContain('Missing guest');
    expect(result.stderr).toContain('A feature runs in a guest or on the host, not both');
    bad.remove();
  });
});
