/** zfs_pool through the real CLI on the simulated node: create with proof, never take over an existing pool, import, in-place properties, no destroy without consent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnostic, workspace, type Workspace } from '../cli/harness.js';
import { simSettings, simTool } from './sim-node.js';

const DISK_A = '/dev/disk/by-id/ata-A';
const DISK_B = '/dev/disk/by-id/ata-B';

function poolConfig(options: { autotrim?: string; allowDestroy?: boolean; layout?: string } = {}): string {
  return `
resource "zfs_pool" "fast" {
  name   = "fast"
  ashift = 12
  ${options.layout ?? `vdev {\n    type  = "mirror"\n    disks = ["${DISK_A}", "${DISK_B}"]\n  }`}
  vdev {
    class = "log"
    type  = "disk"
    disks = ["nvme0n1"]
  }
  properties = { autotrim = "${options.autotrim ?? 'on'}" }
  ${options.allowDestroy ? 'allow_destroy = true' : ''}
}

resource "zfs_dataset" "media" {
  name       = "\${zfs_pool.fast.name}/media"
  properties = { compression = "lz4" }
}
`;
}

describe('zfs_pool on the simulator', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace({ 'main.hcl': poolConfig() });
  });
  afterAll(() => ws.remove());

  it('creates the pool with its layout before the dataset on it, then plans no changes', async () => {
    const applied = await ws.run(['apply', '-auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    expect(applied.stdout.indexOf('zfs_pool.fast: Creation complete')).toBeLessThan(applied.stdout.indexOf('zfs_dataset.media: Creating'));
    const status = simTool(ws.dir, 'zpool', 'status', '-P', 'fast').stdout;
    expect(status).toMatch(/mirror-0[\s\S]*ata-A[\s\S]*ata-B[\s\S]*logs\n\t  \/dev\/nvme0n1/);
    expect(simTool(ws.dir, 'zpool', 'get', '-H', '-o', 'value', 'ashift,autotrim', 'fast').stdout).toBe('12\non\n');
    expect(simTool(ws.dir, 'zfs', 'list', '-H', '-o', 'name', 'fast/media').stdout).toBe('fast/media\n');
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');
  });

  it('changes a pool property in place with zpool set, and shows drift made by hand', async () => {
    ws.write('main.hcl', poolConfig({ autotrim: 'off' }));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toMatch(/zfs_pool\.fast will be updated in-place/);
    expect(plan.stdout).toMatch(/autotrim = "on" -> "off"/);
    expect((await ws.run(['apply', '-auto-approve'])).stdout).toContain('0 added, 1 changed, 0 destroyed');
    expect(simTool(ws.dir, 'zpool', 'get', '-H', '-o', 'value', 'autotrim', 'fast').stdout).toBe('off\n');
    simTool(ws.dir, 'zpool', 'set', 'autotrim=on', 'fast');
    expect((await ws.run(['plan'])).stdout).toMatch(/autotrim = "on" -> "off"/);
    await ws.run(['apply', '-auto-approve']);
  });

  it('refuses in the plan to destroy the pool or change its layout', async () => {
    const destroy = await ws.run(['plan', '-destroy']);
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toContain('Error: Pool cannot be destroyed');
    expect(destroy.stderr).toContain('allow_destroy = false by default');

    ws.write('main.hcl', poolConfig({ autotrim: 'off', layout: `vdev {\n    type  = "raidz1"\n    disks = ["${DISK_A}", "${DISK_B}", "/dev/sdz"]\n  }` }));
    const relayout = await ws.run(['plan']);
    expect(relayout.code).toBe(1);
    expect(relayout.stderr).toContain('Pool cannot be destroyed');
    expect(simTool(ws.dir, 'zpool', 'list', '-H', '-o', 'name', 'fast').stdout).toBe('fast\n');
  });

  it('destroys the pool once allow_destroy is applied, but never with a dataset phoenix does not manage on it', async () => {
    ws.write('main.hcl', poolConfig({ autotrim: 'off', allowDestroy: true }));
    expect((await ws.run(['apply', '-auto-approve'])).stdout).toContain('0 added, 1 changed, 0 destroyed');
    expect(simTool(ws.dir, 'zfs', 'create', 'fast/handmade').stderr).toBe('');
    const refused = await ws.run(['destroy', '-auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error: Pool fast still holds datasets: not destroyed');
    expect(refused.stderr).toContain('phoenix does not manage them: fast/handmade.');
    expect(simTool(ws.dir, 'zfs', 'list', '-H', '-o', 'name', 'fast/handmade').stdout).toBe('fast/handmade\n');
    expect(ws.stateAddresses()).toEqual(['zfs_pool.fast']); // its own dataset went first

    expect(simTool(ws.dir, 'zfs', 'destroy', 'fast/handmade').stderr).toBe('');
    const destroyed = await ws.run(['destroy', '-auto-approve']);
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 1 destroyed.');
    expect(simTool(ws.dir, 'zpool', 'list', 'fast').stderr).toBe("cannot open 'fast': no such pool\n");
  });
});

describe('zfs_pool ownership: a pool phoenix did not create is never taken over by a create', () => {
  const layout = { name: 'fast', vdevs: [{ type: 'mirror', disks: [DISK_A, DISK_B] }, { type: 'disk', class: 'log', disks: ['/dev/nvme0n1'] }] };

  it('writes its proof with zpool create -O: a local phoenix:owner naming the pool, the token state records', async () => {
    const ws = workspace({ 'main.hcl': poolConfig() });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const [value, source] = simTool(ws.dir, 'zfs', 'get', '-H', '-o', 'value,source', 'phoenix:owner', 'fast').stdout.trim().split('\t');
    const state = JSON.parse(ws.read('phoenix.state.json')) as { resources: { address: string; owner?: string }[] };
    const owner = state.resources.find((r) => r.address === 'zfs_pool.fast')?.owner;
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect([value, source]).toEqual([`${owner} fast`, 'local']);
    // The dataset on it inherits the pool's value, which names the pool: it carries its own proof.
    expect(simTool(ws.dir, 'zfs', 'get', '-H', '-o', 'source', 'phoenix:owner', 'fast/media').stdout).toBe('local\n');
    ws.remove();
  });

  it('stops the plan at an existing pool not in state, then adopts it only through phoenix import', async () => {
    const ws = workspace({ 'main.hcl': poolConfig() });
    simSettings(ws.dir, { pools: ['rpool', 'rpool/data', layout] });
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: pool fast is already taken on the node');
    expect(plan.stderr).toContain('phoenix import zfs_pool.fast fast');
    expect(simTool(ws.dir, 'zfs', 'get', '-H', '-o', 'value', 'phoenix:owner', 'fast').stdout).toBe('-\n');

    expect((await ws.run(['import', 'zfs_pool.fast', 'fast'])).code).toBe(0);
    expect(simTool(ws.dir, 'zfs', 'get', '-H', '-o', 'value', 'phoenix:owner', 'fast').stdout).toMatch(/^[0-9a-f-]{36} fast\n$/);
    const applied = await ws.run(['apply', '-auto-approve']);
    expect(applied.stdout).toContain('Apply complete! Resources: 1 added, 1 changed, 0 destroyed.'); // the dataset; autotrim set
    expect(simTool(ws.dir, 'zpool', 'get', '-H', '-o', 'value,source', 'autotrim', 'fast').stdout).toBe('on\tlocal\n');
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');
    ws.remove();
  });

  it('stops the plan at an exported pool of that name; phoenix import brings it in with zpool import', async () => {
    const ws = workspace({ 'main.hcl': poolConfig() });
    simSettings(ws.dir, { pools: ['rpool', { ...layout, exported: true }] });
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Pool fast exists on the node, exported');
    expect(diagnostic(plan.stderr, /exists on the node, exported/, 'name   = "fast"')).toContain('phoenix import zfs_pool.fast fast');
    expect(simTool(ws.dir, 'zpool', 'list', 'fast').stderr).toBe("cannot open 'fast': no such pool\n");

    const imported = await ws.run(['import', 'zfs_pool.fast', 'fast']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(simTool(ws.dir, 'zpool', 'list', '-H', '-o', 'name,health', 'fast').stdout).toBe('fast\tONLINE\n');
    ws.remove();
  });

  it('after importing a pool whose layout differs, the plan refuses to replace it', async () => {
    const ws = workspace({ 'main.hcl': poolConfig() });
    simSettings(ws.dir, { pools: ['rpool', { name: 'fast', vdevs: [{ type: 'disk', disks: [DISK_A] }] }] });
    expect((await ws.run(['import', 'zfs_pool.fast', 'fast'])).code).toBe(0);
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Pool cannot be destroyed');
    expect(simTool(ws.dir, 'zpool', 'list', '-H', '-o', 'name', 'fast').stdout).toBe('fast\n');
    ws.remove();
  });

  it('validates the layout at plan time with zpool\'s rules', async () => {
    const ws = workspace({
      'main.hcl': `resource "zfs_pool" "bad" {\n  name = "mirror1"\n  vdev {\n    type  = "raidz2"\n    disks = ["sda", "sdb"]\n  }\n  properties = { size = "1" }\n}\n`,
    });
    const validated = await ws.run(['validate']);
    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain('raidz2 requires at least 3 devices');
    expect(validated.stderr).toContain('reserved word');
    expect(validated.stderr).toContain('Pool property "size" cannot be managed');
    ws.remove();
  });
});
