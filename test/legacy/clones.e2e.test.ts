/**
 * Clones as converted legacy estates write them, through the real CLI on the simulator (`npm run build`
 * first): a clone source that neither the configuration nor the node has fails the plan, positioned on
 * `source_vmid`, even when the clone waits for other objects; and a clone that declares its own mount
 * points over the volumes its source's copy brings converges (the second plan is empty).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { workspace, type Workspace } from '../cli/harness.js';
import { join } from 'node:path';

const NODE = 'node "pve" {\n  connection = "simulator"\n}\n';
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

/** A source container with two volume mount points and a snapshot to clone from. */
const SOURCE = `
resource "lxc" "base" {
  vmid       = 900
  hostname   = "base"
  ostemplate = "${TEMPLATE}"
  rootfs {
    storage = "local-zfs"
    size    = "1G"
  }
  mountpoint {
    slot   = "mp0"
    volume = "local-zfs"
    path   = "/data"
    size   = "1G"
  }
  mountpoint {
    slot   = "mp1"
    volume = "local-zfs"
    path   = "/cache"
    size   = "2G"
  }
}

resource "snapshot" "base_final" {
  guest = lxc.base.vmid
  name  = "final-form"
}
`;

describe('legacy clones on the simulator', () => {
  it('fails the plan on a clone source neither the configuration nor the node has, even behind a dependency', async () => {
    ws = workspace({
      'main.hcl': `${NODE}
resource "zfs_dataset" "disks" {
  name = "tank/lxc-disks"
}

resource "lxc" "app" {
  vmid     = 101
  hostname = "app"
  clone {
    source_vmid = 903
  }
  depends_on = [zfs_dataset.disks]
}
`,
    });
    const plan = await ws.run(['plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    expect(plan.stderr).toContain('Error: Clone source 903 not found');
    expect(plan.stderr).toContain("pct clone would fail with \"Configuration file 'nodes/pve/lxc/903.conf' does not exist\"");
    // Positioned on the attribute at fault.
    expect(plan.stderr).toMatch(/on main\.hcl line 13, in resource "lxc" "app":\n.*13:\s+source_vmid = 903\n.* {20,}\^\^\^\n/);
    expect(plan.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails the plan on a source this configuration creates in no particular order, and passes once it is referenced', async () => {
    const config = (source: string) => `${NODE}${SOURCE}
resource "lxc" "app" {
  vmid     = 101
  hostname = "app"
  clone {
    source_vmid = ${source}
    snapshot    = "final-form"
  }
  depends_on = [snapshot.base_final]
}
`;
    ws = workspace({ 'main.hcl': config('900') });
    // Only a direct reference makes the source a dependency the plan creates first: a literal vmid is
    // looked for on the node, where it is not.
    const literal = await ws.run(['plan']);
    expect(literal.code, literal.stdout + literal.stderr).toBe(1);
    expect(literal.stderr).toContain('Clone source 900 not found');
    expect(literal.stderr).toContain('source_vmid = lxc.base.vmid');
    ws.write('main.hcl', config('lxc.base.vmid'));
    const referenced = await ws.run(['plan']);
    expect(referenced.code, referenced.stdout + referenced.stderr).toBe(0);
    expect(referenced.stdout).toContain('3 to add');
  });

  it('converges a clone that declares its mount points for other paths and sizes than the copied ones', async () => {
    ws = workspace({
      'main.hcl': `${NODE}${SOURCE}
resource "lxc" "app" {
  vmid     = 101
  hostname = "app"
  clone {
    source_vmid = lxc.base.vmid
    snapshot    = snapshot.base_final.name
    full        = true
  }
  # mp0: the copy's slot, another path; mp1: same path, smaller than the copy; mp2: new.
  mountpoint {
    slot   = "mp0"
    volume = "local-zfs"
    path   = "/srv/app"
    size   = "1G"
  }
  mountpoint {
    slot   = "mp1"
    volume = "local-zfs"
    path   = "/cache"
    size   = "1G"
  }
  mountpoint {
    slot   = "mp2"
    volume = "local-zfs"
    path   = "/logs"
    size   = "1G"
  }
}
`,
    });
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
    expect(rejectedCommands(join(ws.dir, '.phoenix-sim'))).toEqual([]);
    const conf = ws.read('.phoenix-sim/etc/pve/nodes/pve/lxc/101.conf');
    expect(conf).toMatch(/^mp0: local-zfs:subvol-101-disk-\d+,mp=\/srv\/app,size=1G$/m);
    expect(conf).toMatch(/^mp1: local-zfs:subvol-101-disk-\d+,mp=\/cache,size=1G$/m);
    expect(conf).toMatch(/^mp2: local-zfs:subvol-101-disk-\d+,mp=\/logs,size=1G$/m);
    const again = await ws.run(['plan', '-detailed-exitcode']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes.');
  }, 120_000);
});
