/**
 * Issue 3, "Done means": the whole life of examples/homelab through the real CLI on the simulator —
 * plan → parallel apply in dependency order → "No changes" → drift made by hand on the node shows in
 * the plan → apply repairs it → destroy in reverse order leaves the node empty.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { datasets, guestConf, homelab, operationOn, peakConcurrency, sim, stateResources, timeline, type StateResource } from './harness.js';

const CONFIG_POOLS = ['rpool', 'rpool/data', 'tank'];

describe('examples/homelab: plan, apply, drift, repair, destroy', () => {
  const ws = homelab();
  afterAll(() => ws.remove());
  let applied: StateResource[] = [];

  it('plans the whole estate', async () => {
    const plan = await ws.run(['plan', '-detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toContain('Plan: 45 to add, 0 to change, 0 to destroy.');
  });

  it('applies it in parallel, every object after the objects it depends on', async () => {
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 45 added, 0 changed, 0 destroyed.');

    const ops = timeline(apply.stdout);
    expect(ops).toHaveLength(45);
    const snapshot = operationOn(ops, 'snapshot.base_final');
    for (const app of ['jellyfin', 'immich', 'paperless']) {
      expect(operationOn(ops, `lxc.app["${app}"]`).start).toBeGreaterThan(snapshot.end!);
    }
    const template = operationOn(ops, 'vm.debian_template');
    for (const k3s of ['vm.k3s[0]', 'vm.k3s[1]']) expect(operationOn(ops, k3s).start).toBeGreaterThan(template.end!);

    applied = stateResources(ws);
    expect(applied.map((r) => r.address)).toHaveLength(45);
    for (const resource of applied) {
      for (const dependency of resource.dependencies) {
        expect(operationOn(ops, resource.address).start, `${resource.address} after ${dependency}`).toBeGreaterThan(
          operationOn(ops, dependency).end!,
        );
      }
    }
    expect(peakConcurrency(ops)).toBeGreaterThan(1);
  });

  it('then plans no changes', async () => {
    const plan = await ws.run(['plan', '-detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('shows drift made by hand on the node, and only that', async () => {
    sim(ws.simDir, 'pct', 'set', '211', '--memory', '1234');
    sim(ws.simDir, 'zfs', 'set', 'compression=off', 'tank/media');

    const plan = await ws.run(['plan', '-detailed-exitcode', '-compact']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');
    expect(plan.stdout).toContain('# lxc.app["jellyfin"] will be updated in-place');
    expect(plan.stdout).toMatch(/memory\s+= 1234 -> 4096/);
    expect(plan.stdout).toContain('# zfs_dataset.media will be updated in-place');
    expect(plan.stdout).toMatch(/compression = "off" -> "lz4"/);
    // The container keeps its MAC: an update must not plan to drop what Proxmox generated.
    expect(plan.stdout).not.toMatch(/hwaddr = "[^"]+" -> null/);
  });

  it('repairs the drift on apply', async () => {
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 0 added, 2 changed, 0 destroyed.');
    expect(guestConf(ws.simDir, 'lxc', 211)).toMatch(/^memory: 4096$/m);
    expect(sim(ws.simDir, 'zfs', 'get', '-H', '-o', 'value', 'compression', 'tank/media').trim()).toBe('lz4');

    const plan = await ws.run(['plan', '-detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('destroys everything, dependents before what they depend on, leaving the node empty', async () => {
    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 45 destroyed.');

    const ops = timeline(destroy.stdout);
    expect(ops).toHaveLength(45);
    for (const resource of applied) {
      for (const dependency of resource.dependencies) {
        expect(operationOn(ops, dependency).start, `${dependency} destroyed after ${resource.address}`).toBeGreaterThan(
          operationOn(ops, resource.address).end!,
        );
      }
    }

    expect(sim(ws.simDir, 'pct', 'list')).toBe('');
    expect(sim(ws.simDir, 'qm', 'list')).toBe('');
    expect(datasets(ws.simDir)).toEqual(CONFIG_POOLS);
    expect(sim(ws.simDir, 'pvesm', 'status')).not.toContain('tank-vols');
    expect(stateResources(ws)).toEqual([]);
  });
});
