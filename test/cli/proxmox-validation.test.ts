/**
 * `phoenix validate` refuses, with the caret on the attribute, every value of issue #11's "accepted by
 * validate and plan, failing at apply" list and the injections of #16; `plan` adds what only the node can
 * tell (an image to import). Runs the real CLI on a temporary copy of the configuration.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { diagnostic, workspace, type Workspace } from './harness.js';

const BAD = `
node "pve1" {
  connection = "simulator"
}
node "pve2" {
  connection = "simulator"
}
resource "lxc" "web" {
  vmid       = 120
  node       = "pve1"
  hostname   = "web_server"
  ostemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  network {
    name   = "eth0"
    bridge = "vmbr0"
    ip     = "10.0.0.300/24"
    gw     = "10.0.0.1/24"
    hwaddr = "BC:24:11:ZZ:00:01"
    tag    = 5000
  }
  network {
    name   = "eth1"
    bridge = "vmbr0"
    ip     = "dhcp,firewall=1"
  }
  mountpoint {
    slot   = "mp0"
    volume = "/tank/media"
    path   = "/srv,ro=1"
  }
  startup {
    order = -1
  }
  lxc_raw = ["lock: backup", "[fake_snapshot]"]
}
resource "lxc" "elsewhere" {
  vmid        = 121
  node        = "pve3"
  ostemplate  = "--help"
  description = "nul\\u0000here"
}
resource "vm" "app" {
  vmid  = 130
  disks = [{ slot = "scsi99", storage = "local-zfs", size = "8G" }]
  network {
    model  = "virtio-net"
    bridge = "vmbr0"
  }
}
resource "zfs_dataset" "data" {
  name       = "tank/data"
  node       = "pve1"
  properties = { compression = "gzip-12", quota = "lots" }
}
resource "feature" "on_vm" {
  guest      = vm.app.vmid
  guest_type = "lxc"
  node       = "pve1"
  name       = "docker"
  script     = "true"
}
`;

describe('validate with Proxmox formats', () => {
  const spaces: Workspace[] = [];
  afterAll(() => spaces.forEach((w) => w.remove()));

  it('refuses every value a node would refuse, with the caret on the attribute and what Proxmox accepts', async () => {
    const w = workspace({ 'main.hcl': BAD });
    spaces.push(w);
    const result = await w.run(['validate']);
    expect(result.code).toBe(1);
    const out = result.stdout + result.stderr;
    const expected: [RegExp, string][] = [
      [/Invalid value for hostname[\s\S]*valid DNS name/, 'hostname   = "web_server"'],
      [/network\[0\]\.ip[\s\S]*ipv4 network configuration/, 'ip     = "10.0.0.300/24"'],
      [/network\[0\]\.gw[\s\S]*valid IPv4 address/, 'gw     = "10.0.0.1/24"'],
      [/network\[0\]\.hwaddr[\s\S]*unicast MAC address/, 'hwaddr = "BC:24:11:ZZ:00:01"'],
      [/network\[0\]\.tag[\s\S]*maximum value of 4094/, 'tag    = 5000'],
      [/network\[1\]\.ip/, 'ip     = "dhcp,firewall=1"'],
      [/mountpoint\[0\]\.path/, 'path   = "/srv,ro=1"'],
      [/startup\.order[\s\S]*unable to parse startup options/, 'order = -1'],
      [/Invalid lxc_raw line[\s\S]*lock: backup/, 'lxc_raw = ["lock: backup", "[fake_snapshot]"]'],
      [/Invalid lxc_raw line[\s\S]*\[fake_snapshot\]/, 'lxc_raw = ["lock: backup", "[fake_snapshot]"]'],
      [/Undeclared node "pve3"[\s\S]*"pve1", "pve2"/, 'node        = "pve3"'],
      [/ostemplate[\s\S]*unable to parse volume ID '--help'/, 'ostemplate  = "--help"'],
      [/control character U\+0000/, 'description = "nul\\u0000here"'],
      [/disks\[0\]\.slot[\s\S]*scsi0-scsi30/, 'slot = "scsi99"'],
      [/network\[0\]\.model[\s\S]*virtio-net/, 'model  = "virtio-net"'],
      [/Missing node[\s\S]*vm\.app/, 'resource "vm" "app" {'],
      [/properties\.compression[\s\S]*gzip-\[1-9\]/, 'compression = "gzip-12"'],
      [/properties\.quota[\s\S]*bad numeric value 'lots'/, 'quota = "lots"'],
      [/guest_type "lxc" contradicts the guest[\s\S]*VM/, 'guest_type = "lxc"'],
    ];
    for (const [summary, source] of expected) expect(diagnostic(out, summary, source), `${summary} at ${source}\n${out}`).toBeDefined();
  });

  it('infers a feature\'s guest kind from the guest it references', async () => {
    const w = workspace({
      'main.hcl': `
resource "vm" "app" {
  vmid = 130
}
resource "feature" "agent" {
  guest  = vm.app.vmid
  name   = "tools"
  script = "true"
}
`,
    });
    spaces.push(w);
    expect((await w.run(['validate'])).code).toBe(0);
    const plan = await w.run(['plan', '-refresh=false']);
    expect(plan.stdout).toMatch(/feature\.agent will be created[\s\S]*guest_type\s+= "vm"/);
  });

  it('plan, not validate, refuses an import_from image the node does not have', async () => {
    const w = workspace({
      'main.hcl': `
resource "vm" "tmpl" {
  vmid  = 9000
  disks = [{ slot = "scsi0", storage = "local-zfs", import_from = "/var/lib/vz/import/missing.qcow2" }]
}
`,
    });
    spaces.push(w);
    expect((await w.run(['validate'])).code).toBe(0);
    const plan = await w.run(['plan']);
    expect(plan.code).toBe(1);
    expect(diagnostic(plan.stdout + plan.stderr, /Image to import not found on node pve[\s\S]*can't find file/, 'import_from = "/var/lib/vz/import/missing.qcow2"')).toBeDefined();
  });
});
