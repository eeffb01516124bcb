/**
 * A guest's own firewall aliases and IP sets (kept in its <vmid>.fw, pve-firewall VMAliases/CTAliases and
 * VMIPSetList/CTIPSetList) through the real CLI on the simulated node: created beside the guest's rules that
 * use them, changed in place, refused while taken until imported as VMID/NAME, and gone with the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { workspace, type Workspace } from '../cli/harness.js';
import { showProofs } from '../helpers/proof-markers.js';
import { BIN_DIR } from '../sim/helpers.js';

const config = (nas: string, network: string) => `node "pve" {
  connection = "simulator"
}

resource "firewall_alias" "nas" {
  guest = 150
  name  = "nas"
  cidr  = "${nas}"
}

resource "firewall_ipset" "ipfilter" {
  guest = 150
  name  = "ipfilter-net0"
  entry {
    cidr = "10.0.0.50"
  }
  entry {
    cidr = "${network}"
  }
}

resource "firewall_options" "app" {
  guest    = 150
  enable   = true
  ipfilter = true
}

resource "firewall_rules" "app" {
  guest = 150
  rule {
    type   = "out"
    action = "ACCEPT"
    dest   = "guest/\${firewall_alias.nas.name}"
  }
  rule {
    type   = "in"
    action = "ACCEPT"
    source = "+\${firewall_ipset.ipfilter.name}"
  }
}
`;

describe("a guest's own aliases and IP sets on the simulated node", () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const fw = () => showProofs(readFileSync(join(ws.dir, '.phoenix-sim/etc/pve/firewall/150.fw'), 'utf8'));
  const pvesh = (...args: string[]) => execa(join(BIN_DIR, 'pvesh'), args, { env: { PHOENIX_SIM_DIR: join(ws.dir, '.phoenix-sim'), PHOENIX_SIM_NODE: 'pve' } });

  it('creates them in the guest file before the rules that use them, changes them in place, destroys them', async () => {
    ws = workspace({ 'main.hcl': config('10.0.0.5', '10.0.1.0/24') });
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.');
    expect(fw()).toContain('[ALIASES]\n\nnas 10.0.0.5 # [proof firewall_alias/150/nas]\n\n[IPSET ipfilter-net0] # [proof firewall_ipset/150/ipfilter-net0]\n\n10.0.0.50\n10.0.1.0/24\n\n[RULES]\n\nOUT ACCEPT -dest guest/nas\nIN ACCEPT -source +ipfilter-net0\n');
    expect(existsSync(join(ws.dir, '.phoenix-sim/etc/pve/firewall/cluster.fw'))).toBe(false);
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');

    ws.write('main.hcl', config('10.0.0.6', '10.0.2.0/24'));
    const edit = await ws.run(['apply', '-auto-approve']);
    expect(edit.stdout).toContain('0 added, 2 changed, 0 destroyed');
    expect(fw()).toContain('[ALIASES]\n\nnas 10.0.0.6 # [proof firewall_alias/150/nas]\n\n[IPSET ipfilter-net0] # [proof firewall_ipset/150/ipfilter-net0]\n\n10.0.0.50\n10.0.2.0/24\n');

    expect((await ws.run(['destroy', '-auto-approve'])).stdout).toContain('Destroy complete! Resources: 4 destroyed.');
    expect(existsSync(join(ws.dir, '.phoenix-sim/etc/pve/firewall/150.fw'))).toBe(false);
  });

  it('refuses a guest alias set by hand until it is imported as VMID/NAME', async () => {
    ws = workspace({ 'main.hcl': config('10.0.0.5', '10.0.1.0/24') });
    await pvesh('create', '/nodes/pve/lxc/150/firewall/aliases', '--name', 'nas', '--cidr', '10.0.0.9');
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: firewall alias 150/nas is already taken on the node');
    expect(plan.stderr).toContain('phoenix import firewall_alias.nas 150/nas');
    expect((await ws.run(['import', 'firewall_alias.nas', '150/nas'])).code).toBe(0);
    const adopted = await ws.run(['plan']);
    expect(adopted.stdout).toContain('~ cidr = "10.0.0.9" -> "10.0.0.5"');
    expect(adopted.stdout).toContain('Plan: 3 to add, 1 to change, 0 to destroy.');
  });
});
