/**
 * Ownership, end to end through the real CLI on the simulator: phoenix adopts, replaces or destroys only
 * objects that carry the proof its own create (or import) wrote; everything else is named and left alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';
import { guestConf, guestIds, injectFaults, sim } from './harness.js';

const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
const NODE = 'node "pve" {\n  connection = "simulator"\n}\n';

function container(name: string, vmid: number, extra = ''): string {
  return `resource "lxc" "${name}" {\n  vmid       = ${vmid}\n  hostname   = "${name}"\n  ostemplate = "${TEMPLATE}"\n  state      = "stopped"\n  rootfs {\n    storage = "local-zfs"\n    size    = "4G"\n  }\n${extra}}\n`;
}

interface StateFile {
  resources: { address: string; owner?: string; attributes: Record<string, unknown> }[];
  pending: { address: string; owner?: string }[];
}

describe('ownership proof', () => {
  let ws: Workspace & { simDir: string };
  const setup = (hcl: string) => {
    const w = workspace({ 'main.hcl': NODE + hcl });
    ws = Object.assign(w, { simDir: join(w.dir, '.phoenix-sim') });
    return ws;
  };
  const state = (): StateFile => JSON.parse(readFileSync(ws.statePath, 'utf8')) as StateFile;
  afterEach(() => ws?.remove());

  it('a hand-made CT on the declared vmid: plan refuses with the import command; after the fix it is never adopted, replaced or destroyed', async () => {
    setup(container('db', 105));
    // 1. A container made by hand holds vmid 105.
    sim(ws.simDir, 'pct', 'create', '105', TEMPLATE, '--rootfs', 'local-zfs:4', '--hostname', 'homeassistant');
    // 2. The config declares vmid 105: plan (and so apply) stops before anything runs, naming the object and the import.
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/vmid 105 is already taken on the node/);
    expect(plan.stderr).toMatch(/lxc 105 on node pve already exists and is not in phoenix's state/);
    expect(plan.stderr).toMatch(/phoenix import lxc\.db 105/);
    expect(plan.stderr).toMatch(/on main\.hcl line \d+/);
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code).toBe(1);
    expect(ws.exists('phoenix.state.json') ? state().pending : []).toEqual([]);
    // 3. The user moves to vmid 106: the next plan creates 106 and does not touch 105.
    ws.write('main.hcl', NODE + container('db', 106));
    const next = await ws.run(['plan', '-no-color']);
    expect(next.code).toBe(0);
    expect(next.stdout).not.toMatch(/Adopted/);
    expect(next.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
    const applied = await ws.run(['apply', '-auto-approve']);
    expect(applied.code).toBe(0);
    expect(guestConf(ws.simDir, 'lxc', 105)).toMatch(/hostname: homeassistant/);
    expect(guestIds(ws.simDir, 'pct')).toEqual([105, 106]);
    expect(ws.stateAddresses()).toEqual(['lxc.db']);
    expect(state().resources[0]!.attributes.vmid).toBe(106);
    // Destroy removes only what phoenix created.
    expect((await ws.run(['destroy', '-auto-approve'])).code).toBe(0);
    expect(guestIds(ws.simDir, 'pct')).toEqual([105]);
  });

  it('a create the host refused leaves no pending record, and a pending record without proof adopts nothing', async () => {
    setup(container('db', 105));
    // The plan is made while 105 is free; the hand-made CT appears before apply runs.
    expect((await ws.run(['plan', '-out=plan.bin'])).code).toBe(0);
    sim(ws.simDir, 'pct', 'create', '105', TEMPLATE, '--rootfs', 'local-zfs:4', '--hostname', 'homeassistant');
    const apply = await ws.run(['apply', 'plan.bin']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/CT 105 already exists/);
    expect(state().pending).toEqual([]);
    expect(state().resources).toEqual([]);
    // Even a stale pending record (a crash recorded it) does not adopt an object without its proof.
    const file = state();
    file.pending = [
      { id: 'p1', address: 'lxc.db', type: 'lxc', action: 'create', identity: { node: 'pve', vmid: 105 }, owner: 'not-this-one', dependencies: [], started_at: '2026-01-01T00:00:00Z' } as never,
    ];
    ws.write('phoenix.state.json', JSON.stringify(file));
    ws.write('main.hcl', NODE + container('db', 106));
    const next = await ws.run(['plan', '-no-color']);
    expect(next.code).toBe(0);
    expect(next.stderr + next.stdout).toMatch(/Not adopted: an object phoenix did not create/);
    expect(next.stderr + next.stdout).toMatch(/lxc 105 on node pve exists/);
    expect(next.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
    expect(guestConf(ws.simDir, 'lxc', 105)).toMatch(/hostname: homeassistant/);
  });

  it('validate refuses two resources with one vmid (lxc and vm alike), naming both with carets on both', async () => {
    setup(container('a', 120) + container('b', 120) + 'resource "vm" "c" {\n  vmid = 121\n}\n' + container('d', 121));
    const result = await ws.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Two resources with one vmid 120/);
    expect(result.stderr).toMatch(/lxc\.a and lxc\.b both declare vmid 120/);
    expect(result.stderr).toMatch(/lxc\.b declares the same vmid 120 here/);
    expect(result.stderr).toMatch(/Two resources with one vmid 121/);
    expect(result.stderr.match(/\^/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
  });

  it("two resources sharing a vmid never take over each other's guest", async () => {
    setup(container('a', 130));
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const owner = state().resources[0]!.owner;
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeURIComponent(guestConf(ws.simDir, 'lxc', 130))).toContain(`#phoenix-owner: ${owner} lxc/130`);
    // Another resource declaring the same vmid: refused, in plan and apply, before anything runs.
    ws.write('main.hcl', NODE + container('a', 130) + container('b', 130));
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/Two resources with one vmid 130/);
    // A second state (another working copy) declaring the vmid: refused as occupied, never adopted.
    const other = workspace({ 'main.hcl': NODE.replace('"simulator"', `"simulator"\n  simulator_dir = "${ws.simDir}"`) + container('b', 130) });
    try {
      const result = await other.run(['apply', '-auto-approve']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/vmid 130 is already taken on the node/);
      expect(other.exists('phoenix.state.json') ? JSON.parse(other.read('phoenix.state.json')).resources : []).toEqual([]);
    } finally {
      other.remove();
    }
    expect(guestConf(ws.simDir, 'lxc', 130)).toMatch(/hostname: a/);
  });

  it('a guest replaced by hand under the same vmid is not the one phoenix created: dropped from state, left alone', async () => {
    setup(container('a', 140));
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    sim(ws.simDir, 'pct', 'destroy', '140');
    sim(ws.simDir, 'pct', 'create', '140', TEMPLATE, '--rootfs', 'local-zfs:4', '--hostname', 'impostor');
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.stdout + plan.stderr).toMatch(/Object replaced outside phoenix/);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/phoenix import lxc\.a 140/);
    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.code).toBe(0);
    expect(guestConf(ws.simDir, 'lxc', 140)).toMatch(/hostname: impostor/);
  });

  it('import writes the proof; the description keeps the marker across updates and hides it from plans', async () => {
    setup(container('legacy', 150, '  description = "hello"\n'));
    sim(ws.simDir, 'pct', 'create', '150', TEMPLATE, '--rootfs', 'local-zfs:4', '--hostname', 'legacy', '--description', 'hello');
    expect((await ws.run(['import', 'lxc.legacy', '150'])).code).toBe(0);
    const owner = state().resources[0]!.owner!;
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeURIComponent(guestConf(ws.simDir, 'lxc', 150))).toContain(`#phoenix-owner: ${owner} lxc/150`);
    ws.write('main.hcl', NODE + container('legacy', 150, '  description = "changed"\n'));
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.stdout).not.toMatch(/phoenix-owner/);
    expect(plan.stdout).toMatch(/description\s+= "hello" -> "changed"/);
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    expect(decodeURIComponent(guestConf(ws.simDir, 'lxc', 150))).toMatch(new RegExp(`#changed\\n#phoenix-owner: ${owner} lxc/150`));
    const again = await ws.run(['plan', '-no-color']);
    expect(again.stdout).toMatch(/No changes/);
  });

  it('gone means gone: a destroy that fails while the guest still exists keeps it in state', async () => {
    setup(container('a', 160));
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    // pct destroy fails with a "does not exist" that is not about the guest.
    injectFaults(ws.simDir, [{ match: 'pct destroy 160', action: 'fail', times: 1, stderr: "storage 'x' does not exist\n", exitCode: 255 }]);
    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toMatch(/destroying CT 160 failed: storage 'x' does not exist/);
    expect(ws.stateAddresses()).toEqual(['lxc.a']);
    expect(guestIds(ws.simDir, 'pct')).toEqual([160]);
    // The next destroy succeeds: the read shows it gone, so it leaves state.
    expect((await ws.run(['destroy', '-auto-approve'])).code).toBe(0);
    expect(ws.stateAddresses()).toEqual([]);
  });

  it('renaming a container with the same vmid is refused with the moved block, never run as destroy + create; with it the CT is kept', async () => {
    setup(container('db', 111));
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const before = guestConf(ws.simDir, 'lxc', 111);
    ws.write('main.hcl', NODE + container('database', 111).replace('hostname   = "database"', 'hostname   = "db"'));
    const refused = await ws.run(['apply', '-auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('lxc.db would be destroyed and lxc.database created with the same vmid 111');
    expect(refused.stderr).toMatch(/from = lxc\.db\n│\s+to\s+= lxc\.database/);
    expect(guestConf(ws.simDir, 'lxc', 111)).toBe(before);
    ws.write('moved.hcl', 'moved {\n  from = lxc.db\n  to   = lxc.database\n}\n');
    const applied = await ws.run(['apply', '-auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('# lxc.db has moved to lxc.database');
    expect(ws.stateAddresses()).toEqual(['lxc.database']);
    expect(guestConf(ws.simDir, 'lxc', 111)).toBe(before);
  });

  it('datasets: one name twice is refused by validate; an existing dataset not in state stops the plan; phoenix creates without -p', async () => {
    const dataset = (name: string, path: string) => `resource "zfs_dataset" "${name}" {\n  name = "${path}"\n}\n`;
    setup(dataset('a', 'tank/shared') + dataset('b', 'tank/shared'));
    const validate = await ws.run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/Two resources with one dataset tank\/shared/);
    ws.write('main.hcl', NODE + dataset('a', 'tank/shared'));
    sim(ws.simDir, 'zfs', 'create', '-o', 'compression=gzip', 'tank/shared');
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/phoenix import zfs_dataset\.a tank\/shared/);
    ws.write('main.hcl', NODE + dataset('a', 'tank/mine/data'));
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const owner = state().resources[0]!.owner!;
    expect(sim(ws.simDir, 'zfs', 'get', '-H', '-o', 'name,value,source', 'phoenix:owner', 'tank/mine', 'tank/mine/data')).toBe(
      `tank/mine\t${owner} tank/mine\tlocal\ntank/mine/data\t${owner} tank/mine/data\tlocal\n`,
    );
    expect((await ws.run(['destroy', '-auto-approve'])).code).toBe(0);
    expect(sim(ws.simDir, 'zfs', 'list', '-H', '-o', 'name', '-r', 'tank')).toMatch(/^tank\ntank\/mine\ntank\/shared\n$/);
  });
});
