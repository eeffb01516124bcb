/**
 * Ownership proof for the objects that are not guests or datasets, end to end through the real CLI on the
 * simulator: pools (`phoenix:owner` on the root dataset), backup jobs and firewall aliases, IP sets and
 * security groups (a marker in the comment) carry a token; storages and the cluster's firewall options are
 * proven by their definition. A create interrupted after the host made the object (the state holds only
 * the pending record) is adopted only with that proof; without it the object is named and left alone.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';
import { sim } from './harness.js';
import { join } from 'node:path';

const CONFIG = `node "pve" {
  connection = "simulator"
}
resource "zfs_pool" "fast" {
  name = "fast"
  vdev {
    type  = "mirror"
    disks = ["/dev/disk/by-id/ata-A", "/dev/disk/by-id/ata-B"]
  }
  allow_destroy = true
}
resource "backup_job" "nightly" {
  id       = "nightly"
  schedule = "02:30"
  all      = true
  comment  = "every guest"
}
resource "storage" "nas" {
  id      = "nas"
  type    = "nfs"
  server  = "10.0.10.5"
  export  = "/export/proxmox"
  content = ["backup"]
}
resource "firewall_alias" "router" {
  name = "router"
  cidr = "10.0.10.1"
}
resource "firewall_ipset" "admins" {
  name = "admins"
  entry {
    cidr = "10.0.10.0/28"
  }
}
resource "firewall_security_group" "web" {
  name    = "web"
  comment = "web access"
}
resource "firewall_cluster_options" "dc" {
  enable    = true
  policy_in = "DROP"
}
`;

interface Resource {
  address: string;
  type: string;
  owner?: string;
  attributes: Record<string, unknown>;
}
interface StateFile {
  resources: Resource[];
  pending: unknown[];
}

/** The identity each type's create records as pending (its provider's `identity`). */
function identityOf(r: Resource): Record<string, unknown> {
  const a = r.attributes;
  if (r.type === 'zfs_pool') return { node: 'pve', name: a.name };
  if (r.type === 'firewall_cluster_options') return { node: 'pve', id: 'cluster' };
  return { node: 'pve', id: a.id ?? a.name };
}

describe('ownership proof of pools, jobs, storages and firewall objects', () => {
  let ws: Workspace;
  let applied: StateFile;
  const simDir = () => join(ws.dir, '.phoenix-sim');
  beforeAll(async () => {
    ws = workspace({ 'main.hcl': CONFIG });
    const result = await ws.run(['apply', '-auto-approve']);
    expect(result.code, result.stderr).toBe(0);
    applied = JSON.parse(readFileSync(ws.statePath, 'utf8')) as StateFile;
  });
  afterAll(() => ws.remove());

  /** The state as a run killed right after the host made `address` would leave it: only the pending record. */
  function interrupted(address: string, change: (r: Resource) => Partial<Resource & { planned: Record<string, unknown> }> = () => ({})): void {
    const r = applied.resources.find((x) => x.address === address)!;
    const record = { id: 'p1', address, type: r.type, action: 'create', identity: identityOf(r), owner: r.owner, planned: r.attributes, dependencies: [], started_at: '2026-12-07T00:00:00Z', ...change(r) };
    ws.write('phoenix.state.json', JSON.stringify({ ...applied, serial: 900, resources: applied.resources.filter((x) => x.address !== address), pending: [record] }));
  }

  const tokenTypes = ['zfs_pool.fast', 'backup_job.nightly', 'firewall_alias.router', 'firewall_ipset.admins', 'firewall_security_group.web'];
  const definitionTypes = ['storage.nas', 'firewall_cluster_options.dc'];

  it('every created object carries a proof: a token for pools, jobs and firewall objects', () => {
    for (const address of tokenTypes) expect(applied.resources.find((r) => r.address === address)?.owner, address).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([...tokenTypes, ...definitionTypes])('%s: an interrupted create whose object carries its proof is adopted, and the plan is empty', async (address) => {
    interrupted(address);
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).toContain('Adopted an object from an interrupted create');
    expect(plan.stdout).toContain('No changes.');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0); // records the adoption
    expect((JSON.parse(readFileSync(ws.statePath, 'utf8')) as StateFile).resources.map((r) => r.address)).toContain(address);
  });

  it.each(tokenTypes)('%s: an object with another create\'s token is left alone, named, and the create is refused at plan', async (address) => {
    interrupted(address, () => ({ owner: '00000000-0000-4000-8000-000000000000' }));
    const before = readFileSync(join(simDir(), 'etc/pve/firewall/cluster.fw'), 'utf8') + readFileSync(join(simDir(), 'etc/pve/jobs.cfg'), 'utf8');
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.stdout + plan.stderr).toContain('Not adopted: an object phoenix did not create');
    expect(plan.stdout + plan.stderr).toContain("does not carry that create's ownership proof");
    expect(plan.code).toBe(1); // the object is in the way of the create: named, with its import
    expect(plan.stderr).toMatch(new RegExp(`phoenix import ${address.replace('.', '\\.')} `));
    expect(readFileSync(join(simDir(), 'etc/pve/firewall/cluster.fw'), 'utf8') + readFileSync(join(simDir(), 'etc/pve/jobs.cfg'), 'utf8')).toBe(before);
  });

  it.each([
    ['storage.nas', { content: ['backup', 'iso'] }, /its content is not what that create wrote/],
    ['firewall_cluster_options.dc', { policy_in: 'REJECT' }, /its policy_in is not what that create wrote/],
  ] as const)('%s: a definition other than the one the create wrote is left alone and named', async (address, planned, why) => {
    interrupted(address, (r) => ({ planned: { ...r.attributes, ...planned } }));
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.stdout + plan.stderr).toContain('Not adopted: an object phoenix did not create');
    expect(plan.stdout + plan.stderr).toMatch(why);
  });

  it('a copied marker proves nothing: a job made by hand with the comment of phoenix\'s job is not adopted', async () => {
    const job = applied.resources.find((r) => r.address === 'backup_job.nightly')!;
    sim(simDir(), 'pvesh', 'create', '/cluster/backup', '--id', 'copied', '--schedule', '03:00', '--all', '1', '--comment', `every guest [phoenix-owner ${job.owner} backup_job/nightly]`);
    ws.write('main.hcl', CONFIG.replace('id       = "nightly"', 'id       = "copied"'));
    interrupted('backup_job.nightly', (r) => ({ identity: { node: 'pve', id: 'copied' }, planned: { ...r.attributes, id: 'copied' } }));
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.stdout + plan.stderr).toContain('Not adopted: an object phoenix did not create');
    expect(plan.stderr).toContain('backup job copied is already taken on the node');
    ws.write('main.hcl', CONFIG);
  });

  it('phoenix import writes the proof into a hand-made IP set\'s comment, keeping its text, and the plan is then empty', async () => {
    const own = workspace({ 'main.hcl': 'node "pve" {\n  connection = "simulator"\n}\nresource "firewall_ipset" "lan" {\n  name    = "lan"\n  comment = "by hand"\n}\n' });
    try {
      expect((await own.run(['validate'])).code).toBe(0); // lays out the simulated node
      sim(join(own.dir, '.phoenix-sim'), 'pvesh', 'create', '/cluster/firewall/ipset', '--name', 'lan', '--comment', 'by hand');
      const imported = await own.run(['import', 'firewall_ipset.lan', 'lan']);
      expect(imported.code, imported.stderr).toBe(0);
      const owner = (JSON.parse(own.read('phoenix.state.json')) as StateFile).resources[0]?.owner;
      expect(readFileSync(join(own.dir, '.phoenix-sim/etc/pve/firewall/cluster.fw'), 'utf8')).toContain(`[IPSET lan] # by hand [phoenix-owner ${owner} firewall_ipset/lan]`);
      expect((await own.run(['plan'])).stdout).toContain('No changes.');
    } finally {
      own.remove();
    }
  });
});
