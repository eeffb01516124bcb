/**
 * The cluster's and a node's own firewall through the real CLI on the simulated node: firewall_cluster_options,
 * firewall_node_options, firewall_cluster_rules and firewall_node_rules created as pve-firewall writes
 * cluster.fw and host.fw, a second plan with no changes, in-place edits (an option removed is deleted),
 * options set by hand refused until imported, validation carets, and destroy leaving no file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { workspace, type Workspace } from '../cli/harness.js';
import { showProofs } from '../helpers/proof-markers.js';
import { BIN_DIR } from '../sim/helpers.js';

const NODE = `node "pve" {
  connection = "simulator"
}
`;

const config = (ratelimit: string, helpers: string) => `${NODE}
resource "firewall_cluster_options" "dc" {
  enable = true
${ratelimit}
}

resource "firewall_node_options" "pve" {
  log_level_in     = "info"
  tcpflags         = true
  nf_conntrack_max = 524288
${helpers}
}

resource "firewall_ipset" "admins" {
  name = "admins"
  entry {
    cidr = "10.0.10.0/24"
  }
}

resource "firewall_cluster_rules" "dc" {
  rule {
    type    = "in"
    action  = "ACCEPT"
    proto   = "tcp"
    dport   = "8006"
    source  = "+\${firewall_ipset.admins.name}"
    comment = "web GUI"
  }
}

resource "firewall_node_rules" "pve" {
  rule {
    type   = "in"
    action = "ACCEPT"
    macro  = "ping"
    iface  = "vmbr0"
  }
}
`;

describe('cluster and node firewall on the simulated node', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const sim = (file: string) => join(ws.dir, '.phoenix-sim/etc/pve', file);
  const pvesh = (...args: string[]) => execa(join(BIN_DIR, 'pvesh'), args, { env: { PHOENIX_SIM_DIR: join(ws.dir, '.phoenix-sim'), PHOENIX_SIM_NODE: 'pve' } });
  const commandLog = () => readFileSync(join(ws.dir, '.phoenix-sim/var/sim/commands.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; args: string[]; rejected?: boolean });

  it('creates cluster.fw and host.fw as Proxmox writes them, converges, edits in place and destroys', async () => {
    ws = workspace({ 'main.hcl': config('  log_ratelimit = "enable=1,rate=10/minute,burst=20"', '  nf_conntrack_helpers = "ftp"') });
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toContain('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.');
    // Options at Proxmox's defaults are not written; `enable` always is.
    expect(showProofs(readFileSync(sim('firewall/cluster.fw'), 'utf8'))).toBe(
      '[OPTIONS]\n\nenable: 1\nlog_ratelimit: enable=1,rate=10/minute,burst=20\n\n[IPSET admins] # [proof firewall_ipset/admins]\n\n10.0.10.0/24\n\n[RULES]\n\nIN ACCEPT -source +admins -p tcp -dport 8006 # web GUI\n\n',
    );
    expect(readFileSync(sim('nodes/pve/host.fw'), 'utf8')).toBe(
      '[OPTIONS]\n\nenable: 1\nlog_level_in: info\nnf_conntrack_helpers: ftp\nnf_conntrack_max: 524288\ntcpflags: 1\n\n[RULES]\n\nIN Ping(ACCEPT) -i vmbr0\n\n',
    );
    expect(commandLog().filter((c) => c.rejected)).toEqual([]);

    const logged = commandLog().length;
    const second = await ws.run(['plan', '-detailed-exitcode']);
    expect(second.stdout).toContain('No changes.');
    expect(second.code).toBe(0);
    expect(commandLog().slice(logged).filter((c) => c.tool === 'pvesh')).toEqual([]); // read with the one grep (firewall-refresh.e2e.test.ts)

    // log_ratelimit and the helpers removed: deleted on the node, not set to a value.
    ws.write('main.hcl', config('', ''));
    const edit = await ws.run(['plan']);
    expect(edit.stdout).toContain('- log_ratelimit = "enable=1,rate=10/minute,burst=20" -> null');
    const before = commandLog().length;
    expect((await ws.run(['apply', '-auto-approve'])).stdout).toContain('0 added, 2 changed, 0 destroyed');
    const writes = commandLog().slice(before).filter((c) => c.tool === 'pvesh' && c.args[0] === 'set');
    expect(writes.map((c) => c.args.slice(0, 4).join(' '))).toEqual(
      expect.arrayContaining(['set /cluster/firewall/options --delete log_ratelimit', 'set /nodes/pve/firewall/options --delete nf_conntrack_helpers']),
    );
    expect(readFileSync(sim('firewall/cluster.fw'), 'utf8')).toMatch(/^\[OPTIONS\]\n\nenable: 1\n\n/);
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');

    // Drift made by hand on the node's options shows up and is undone.
    await pvesh('set', '/nodes/pve/firewall/options', '--smurf_log_level', 'info');
    expect((await ws.run(['plan'])).stdout).toContain('~ smurf_log_level = "info" -> "nolog"');

    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 5 destroyed.');
    expect(existsSync(sim('firewall/cluster.fw'))).toBe(false);
    expect(existsSync(sim('nodes/pve/host.fw'))).toBe(false);
  });

  it('refuses cluster options set outside phoenix until imported', async () => {
    ws = workspace({ 'main.hcl': `${NODE}\nresource "firewall_cluster_options" "dc" {\n  enable = true\n}\n` });
    await pvesh('set', '/cluster/firewall/options', '--enable', '0', '--policy_in', 'REJECT');
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("Error: the cluster's firewall options section is already taken on the node");
    expect(plan.stderr).toContain('phoenix import firewall_cluster_options.dc cluster');
    expect(plan.stderr).toContain('Otherwise remove firewall_cluster_options.dc from the configuration: there is only one.');
    expect(readFileSync(sim('firewall/cluster.fw'), 'utf8')).toContain('policy_in: REJECT'); // left alone

    expect((await ws.run(['import', 'firewall_cluster_options.dc', 'cluster'])).code).toBe(0);
    const adopted = await ws.run(['plan']);
    expect(adopted.stdout).toContain('~ enable    = false -> true');
    expect(adopted.stdout).toContain('~ policy_in = "REJECT" -> "DROP"');
  });

  it('validates options and rules with the caret on the attribute', async () => {
    ws = workspace({
      'main.hcl': `${NODE}
resource "firewall_cluster_options" "dc" {
  policy_forward = "REJECT"
  log_ratelimit  = "rate=fast"
}

resource "firewall_node_options" "pve" {
  nf_conntrack_max     = 1000
  nf_conntrack_helpers = "ftp,gopher"
}

resource "firewall_node_rules" "pve" {
  rule {
    type   = "forward"
    action = "REJECT"
    iface  = "vmbr0.x"
  }
}
`,
    });
    const result = await ws.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Proxmox rejects "REJECT": value 'REJECT' does not have a value in the enumeration 'ACCEPT, DROP'`);
    expect(result.stderr).toContain('Proxmox rejects "rate=fast": log_ratelimit.rate: value does not match the regex pattern');
    expect(result.stderr).toContain('Proxmox rejects "1000": value must have a minimum value of 32768');
    expect(result.stderr).toContain('Proxmox rejects "ftp,gopher": unknown helper gopher');
    expect(result.stderr).toContain('Proxmox rejects "REJECT": cannot define REJECT rules on forward chain');
    expect(result.stderr).toContain(`Proxmox rejects "vmbr0.x": invalid network interface name 'vmbr0.x'`);
    expect(result.stderr).toMatch(/nf_conntrack_max\s+= 1000\n│ +\^{4}\n/);
  });
});
