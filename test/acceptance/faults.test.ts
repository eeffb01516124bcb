/**
 * Issue 3, "Done means" — fault tests through the CLI on examples/homelab, with faults injected into the
 * simulator (`$PHOENIX_SIM_DIR/faults.json`): a failing guest skips only what depends on it, lock
 * contention is retried, a hung command is cut off by the node's operation_timeout, and in every case
 * the next plan/apply converges.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../cli/harness.js';
import { faultCounts, guestIds, homelab, injectFaults, sim, stateFile } from './harness.js';

// An injected lock timeout makes the simulator wait like Proxmox's 10 s lock wait: keep it short.
const SHORT_LOCK_WAIT = { PHOENIX_SIM_LOCK_WAIT_S: '0' };

describe('faults injected into the simulator, through the CLI', () => {
  let ws: (Workspace & { simDir: string }) | undefined;
  afterEach(() => ws?.remove());

  it('a failed clone skips its dependents, applies its siblings, and the next apply creates it', async () => {
    ws = homelab();
    injectFaults(ws.simDir, [{ match: 'pct clone 900 212', action: 'fail', stderr: 'clone failed: simulated I/O error' }]);

    const failed = await ws.run(['apply', '-auto-approve']);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toContain('lxc.app["immich"]: Creation errored after');
    expect(failed.stdout).toContain('feature.app_docker["immich"]: Skipped because lxc.app["immich"] failed');
    expect(failed.stderr).toContain('clone failed: simulated I/O error');
    expect(failed.stdout).toMatch(/Apply failed\. Resources: \d+ added, 0 changed, 0 destroyed; 1 failed, \d+ skipped\./);

    const state = stateFile(ws);
    const managed = state.resources.map((r) => r.address);
    expect(managed).toEqual(expect.arrayContaining(['lxc.app["jellyfin"]', 'lxc.app["paperless"]', 'snapshot.base_final', 'vm.k3s[1]']));
    expect(managed).not.toContain('lxc.app["immich"]');
    expect(managed).not.toContain('feature.app_docker["immich"]');
    // At most a pending record of the failed create remains, for the next plan to reconcile.
    expect((state.pending ?? []).every((p) => p.address === 'lxc.app["immich"]')).toBe(true);
    expect(guestIds(ws.simDir, 'pct')).toEqual([211, 213, 220, 900]);

    injectFaults(ws.simDir, []);
    const plan = await ws.run(['plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('# lxc.app["immich"] will be created');
    expect(plan.stdout).not.toMatch(/lxc\.app\["(jellyfin|paperless)"\] will be/);

    const retried = await ws.run(['apply', '-auto-approve']);
    expect(retried.code, retried.stdout + retried.stderr).toBe(0);
    expect(guestIds(ws.simDir, 'pct')).toEqual([211, 212, 213, 220, 900]);
    expect(stateFile(ws).pending ?? []).toEqual([]);
    const settled = await ws.run(['plan', '-detailed-exitcode']);
    expect(settled.code, settled.stdout + settled.stderr).toBe(0);
  }, 240_000);

  it('a create that fails after the guest exists does not orphan it: the next apply adopts and finishes it', async () => {
    ws = homelab();
    // The clone succeeds, then starting the new VM fails: VM 301 exists, its create errored.
    injectFaults(ws.simDir, [{ match: 'qm start 301', action: 'fail', stderr: 'start failed: simulated' }]);

    const failed = await ws.run(['apply', '-auto-approve']);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toContain('vm.k3s[0]: Creation errored after');
    expect(guestIds(ws.simDir, 'qm')).toContain(301);

    injectFaults(ws.simDir, []);
    const converged = await ws.run(['apply', '-auto-approve']);
    expect(converged.stderr).not.toContain('already exists');
    expect(converged.code, converged.stdout + converged.stderr).toBe(0);
    expect(sim(ws.simDir, 'qm', 'status', '301').trim()).toBe('status: running');
    expect(stateFile(ws).resources.map((r) => r.address)).toContain('vm.k3s[0]');
    const settled = await ws.run(['plan', '-detailed-exitcode']);
    expect(settled.code, settled.stdout + settled.stderr).toBe(0);
  }, 240_000);

  it('retries a clone that hit a Proxmox lock timeout, and the apply succeeds', async () => {
    ws = homelab();
    injectFaults(ws.simDir, [{ match: 'pct clone 900 211', action: 'lock-timeout', times: 2 }]);

    const apply = await ws.run(['apply', '-auto-approve'], { env: SHORT_LOCK_WAIT });
    expect(apply.stderr).toBe('');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 45 added, 0 changed, 0 destroyed.');
    // Two calls got "can't lock file ... got timeout", the third cloned.
    expect(Object.values(faultCounts(ws.simDir))).toEqual([3]);
    expect(guestIds(ws.simDir, 'pct')).toContain(211);
  }, 240_000);

  it('cuts off a hung command at the operation timeout with a clear error; the next apply converges', async () => {
    ws = homelab();
    ws.write('main.hcl', ws.read('main.hcl').replace('connection = "simulator"', 'connection = "simulator"\n  operation_timeout = "8s"'));
    injectFaults(ws.simDir, [{ match: 'qm clone 9000 302', action: 'hang' }]);

    const hung = await ws.run(['apply', '-auto-approve']);
    expect(hung.code, hung.stdout + hung.stderr).toBe(1);
    expect(hung.stdout).toContain('vm.k3s[1]: Creation errored after');
    expect(hung.stderr).toMatch(/Error: cloning VM 9000 to 302 timed out after \d+s/);
    expect(hung.stderr).toContain('Command: qm clone 9000 302');
    expect(hung.stderr).toContain("operation_timeout");
    expect(hung.stdout).toContain('feature.k3s[1]: Skipped because vm.k3s[1] failed');
    expect(hung.stderr).not.toMatch(/\n\s+at /); // no stack trace

    injectFaults(ws.simDir, []);
    const plan = await ws.run(['plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/# vm\.k3s\[1\] will be (created|replaced)/);
    expect(plan.stderr).not.toContain('already exists');

    const converged = await ws.run(['apply', '-auto-approve']);
    expect(converged.stderr).toBe('');
    expect(converged.code, converged.stdout + converged.stderr).toBe(0);
    expect(guestIds(ws.simDir, 'qm')).toEqual([301, 302, 310, 9000]);
    const settled = await ws.run(['plan', '-detailed-exitcode']);
    expect(settled.code, settled.stdout + settled.stderr).toBe(0);
  }, 240_000);
});
