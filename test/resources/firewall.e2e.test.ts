/**
 * The firewall resources through the real CLI on the simulated node: create, a second plan with no
 * changes, in-place edits and a reorder by position, a rule list phoenix did not write refused until
 * imported, validation with the caret on the rule's attribute, and destroy leaving no firewall file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { workspace, type Workspace } from '../cli/harness.js';
import { showProofs } from '../helpers/proof-markers.js';
import { BIN_DIR } from '../sim/helpers.js';

const CLUSTER = `
node "pve" {
  connection = "simulator"
}

resource "firewall_alias" "router" {
  name    = "router"
  cidr    = "10.0.10.1/32"
  comment = "the gateway"
}

resource "firewall_ipset" "admins" {
  name = "admins"
  entry {
    cidr = "10.0.10.0/24"
  }
  entry {
    cidr    = "10.0.10.66"
    nomatch = true
  }
}

resource "firewall_security_group" "web" {
  name = "web"
  rule {
    type   = "in"
    action = "ACCEPT"
    macro  = "https"
  }
}

resource "firewall_options" "app" {
  guest  = 150
  enable = true
}
`;

const rulesBlock = (rules: string) => `
resource "firewall_rules" "app" {
  guest = 150
${rules}
}
`;

const SSH = `  rule {
    type    = "in"
    action  = "ACCEPT"
    macro   = "SSH"
    source  = "+\${firewall_ipset.admins.name}"
    comment = "ssh from admins"
  }`;
const GROUP = `  rule {
    type   = "group"
    action = firewall_security_group.web.name
  }`;
const DNS = `  rule {
    type   = "out"
    action = "ACCEPT"
    dest   = firewall_alias.router.name
    proto  = "udp"
    dport  = "53"
  }`;

describe('firewall resources on the simulated node', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const fw = (file: string) => showProofs(readFileSync(join(ws.dir, '.phoenix-sim/etc/pve/firewall', file), 'utf8'));
  const pvesh = (...args: string[]) => execa(join(BIN_DIR, 'pvesh'), args, { env: { PHOENIX_SIM_DIR: join(ws.dir, '.phoenix-sim'), PHOENIX_SIM_NODE: 'pve' } });
  const commandLog = () => readFileSync(join(ws.dir, '.phoenix-sim/var/sim/commands.log'), 'utf8').trim().split('\n');

  it('creates, converges, edits and reorders in place, and destroys', async () => {
    ws = workspace({ 'main.hcl': CLUSTER + rulesBlock([GROUP, SSH, DNS].join('\n')) });
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.');
    expect(fw('150.fw')).toContain('[RULES]\n\nGROUP web\nIN SSH(ACCEPT) -source +admins # ssh from admins\nOUT ACCEPT -dest router -p udp -dport 53\n');
    expect(fw('cluster.fw')).toContain('[ALIASES]\n\nrouter 10.0.10.1 # the gateway [proof firewall_alias/router]\n');
    expect(commandLog().filter((line) => JSON.parse(line).rejected)).toEqual([]);

    // Canonical forms (the /32 Proxmox drops, the macro's spelling, defaults) leave nothing to change.
    const logged = commandLog().length;
    const second = await ws.run(['plan', '-detailed-exitcode']);
    expect(second.stdout).toContain('No changes.');
    expect(second.code).toBe(0);
    expect(commandLog().slice(logged).filter((line) => JSON.parse(line).tool === 'pvesh')).toEqual([]); // read with one grep, no pvesh

    // Reorder (DNS first) and edit a comment: in place, rule by rule.
    ws.write('main.hcl', CLUSTER + rulesBlock([DNS, GROUP, SSH.replace('ssh from admins', 'admins only')].join('\n')));
    const edit = await ws.run(['plan']);
    expect(edit.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(edit.stdout).toContain('# firewall_rules.app will be updated in-place');
    const before = commandLog().length;
    expect((await ws.run(['apply', '-auto-approve'])).stdout).toContain('0 added, 1 changed, 0 destroyed');
    expect(fw('150.fw')).toContain('[RULES]\n\nOUT ACCEPT -dest router -p udp -dport 53\nGROUP web\nIN SSH(ACCEPT) -source +admins # admins only\n');
    const writes = commandLog().slice(before).map((line) => JSON.parse(line) as { tool: string; args: string[] }).filter((c) => c.tool === 'pvesh' && c.args[0] !== 'get');
    expect(writes.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['set /nodes/pve/lxc/150/firewall/rules/0', 'set /nodes/pve/lxc/150/firewall/rules/1', 'set /nodes/pve/lxc/150/firewall/rules/2']);
    expect(writes.every((c) => c.args.includes('--digest'))).toBe(true);
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');

    // Fewer rules: the surplus goes from the end.
    ws.write('main.hcl', CLUSTER + rulesBlock(DNS));
    expect((await ws.run(['apply', '-auto-approve'])).stdout).toContain('0 added, 1 changed, 0 destroyed');
    expect(fw('150.fw')).toContain('[RULES]\n\nOUT ACCEPT -dest router -p udp -dport 53\n\n');

    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 5 destroyed.');
    expect(existsSync(join(ws.dir, '.phoenix-sim/etc/pve/firewall/150.fw'))).toBe(false);
    expect(existsSync(join(ws.dir, '.phoenix-sim/etc/pve/firewall/cluster.fw'))).toBe(false);
  });

  it('refuses a rule list phoenix did not write until it is imported, and an edit made after the plan', async () => {
    ws = workspace({ 'main.hcl': CLUSTER + rulesBlock(DNS) });
    expect((await ws.run(['apply', '-auto-approve', '-target=firewall_alias.router'])).code).toBe(0);
    await pvesh('create', '/nodes/pve/lxc/150/firewall/rules', '--type', 'in', '--action', 'DROP', '--proto', 'tcp', '--dport', '25', '--enable', '1');
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: the firewall rule list of guest 150 is already taken on the node');
    expect(plan.stderr).toContain('phoenix import firewall_rules.app 150');
    expect(fw('150.fw')).toContain('IN DROP -p tcp -dport 25\n'); // left alone

    expect((await ws.run(['import', 'firewall_rules.app', '150'])).code).toBe(0);
    const adopted = await ws.run(['plan']);
    expect(adopted.stdout).toContain('# firewall_rules.app will be updated in-place');

    // Someone edits the list between plan and apply: apply stops instead of overwriting it.
    expect((await ws.run(['plan', '-out=fw.plan'])).code).toBe(0);
    await pvesh('set', '/nodes/pve/lxc/150/firewall/rules/0', '--dport', '587');
    const apply = await ws.run(['apply', 'fw.plan']);
    expect(apply.stderr).toContain('The rules of CT 150\'s firewall changed since the plan');
    expect(fw('150.fw')).toContain('IN DROP -p tcp -dport 587\n');
  });

  it('validates rules against pve-firewall with the caret on the attribute', async () => {
    ws = workspace({
      'main.hcl': `node "pve" {
  connection = "simulator"
}
resource "firewall_rules" "bad" {
  guest = 150
  rule {
    type   = "in"
    action = "ACCEPT"
    proto  = "tcp"
    dport  = "8080:80"
  }
  rule {
    type   = "in"
    action = "ACCEPT"
    macro  = "NoSuchMacro"
    iface  = "eth0"
  }
}
resource "firewall_ipset" "Admins" {
  name = "Admins"
}
`,
    });
    const result = await ws.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Proxmox rejects "8080:80": backwards range '8080:80' not allowed, did you mean '80:8080'?`);
    expect(result.stderr).toMatch(/10: {5}dport {2}= "8080:80"\n│ {20}\^{9}\n/);
    expect(result.stderr).toContain(`Proxmox rejects "NoSuchMacro": unknown macro 'NoSuchMacro'`);
    expect(result.stderr).toContain(`Proxmox rejects "eth0": value does not match the regex pattern 'net\\d+'`);
    expect(result.stderr).toContain('"Admins" would be stored as "admins"');
  });

  it("fails the apply with the node's message for a rule naming an IP set that does not exist", async () => {
    ws = workspace({
      'main.hcl': `node "pve" {
  connection = "simulator"
}
resource "firewall_rules" "app" {
  guest = 150
  rule {
    type   = "in"
    action = "ACCEPT"
    source = "+nosuch"
  }
}
`,
    });
    expect((await ws.run(['validate'])).code).toBe(0);
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('adding rule 0 to CT 150\'s firewall failed: 400 Parameter verification failed.');
    expect(apply.stderr).toContain("source: no such ipset 'nosuch'");
    expect(existsSync(join(ws.dir, '.phoenix-sim/etc/pve/firewall/150.fw'))).toBe(false);
    expect((await ws.run(['plan'])).stdout).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
  });
});
