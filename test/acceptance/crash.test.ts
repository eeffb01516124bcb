/**
 * Issue 3 crash safety: phoenix killed with SIGKILL in the middle of an apply (the simulator slowed down
 * so operations are in flight) must not forget any guest. Commands already started finish on the host
 * after phoenix died, exactly like a real crash; the next plan has to account for every guest on the node
 * (recorded in state, or adopted from the pending record), and the next apply converges.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until, type Workspace } from '../cli/harness.js';
import { guestIds, homelab, stateFile } from './harness.js';

/** The homelab's guests by vmid. */
const GUESTS: Record<number, string> = {
  211: 'lxc.app["jellyfin"]',
  212: 'lxc.app["immich"]',
  213: 'lxc.app["paperless"]',
  220: 'lxc.photos',
  301: 'vm.k3s[0]',
  302: 'vm.k3s[1]',
  310: 'vm.desktop',
  900: 'lxc.base',
  9000: 'vm.debian_template',
};

function allGuestIds(simDir: string): number[] {
  return [...guestIds(simDir, 'pct'), ...guestIds(simDir, 'qm')].sort((a, b) => a - b);
}

/** Whether any process still runs against this simulated node (orphans of the killed apply). */
function simulatorBusy(simDir: string): boolean {
  const marker = `PHOENIX_SIM_DIR=${simDir}\0`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return `${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(marker);
      } catch {
        return false; // exited meanwhile, or not ours to read
      }
    });
}

async function killMidway(ws: Workspace & { simDir: string }, when: string): Promise<void> {
  // Every simulator command sleeps this long (the knob in sim.json), so operations are in flight.
  mkdirSync(ws.simDir, { recursive: true });
  writeFileSync(join(ws.simDir, 'sim.json'), JSON.stringify({ latency_ms: 300 }));
  const running = ws.start(['apply', '-auto-approve']);
  await running.waitFor(when);
  await until(() => simulatorBusy(ws.simDir));
  running.child.kill('SIGKILL');
  const { signal } = await running.result;
  expect(signal).toBe('SIGKILL');
  // Host commands phoenix had started carry on without it, as they would on a real node.
  await until(() => !simulatorBusy(ws.simDir));
  rmSync(join(ws.simDir, 'sim.json'));
}

describe('kill -9 in the middle of an apply', () => {
  let ws: (Workspace & { simDir: string }) | undefined;
  afterEach(() => ws?.remove());

  // Kill points: while containers are cloned, while VMs are cloned, while a feature script runs.
  for (const when of ['cloning CT 21', 'cloning VM 30', 'installing feature nvidia']) {
    it(`forgets no guest when killed at "${when}", and the next apply converges`, async () => {
      ws = homelab();
      await killMidway(ws, when);

      const onNode = allGuestIds(ws.simDir);
      expect(onNode.length).toBeGreaterThan(0);
      const recorded = stateFile(ws);
      const known = new Set([
        ...recorded.resources.map((r) => r.attributes.vmid),
        ...(recorded.pending ?? []).map((p) => (p as { identity?: { vmid?: number } }).identity?.vmid),
      ]);
      // Every guest on the node is in state or in a pending record: nothing was created behind phoenix's back.
      for (const vmid of onNode) expect(known, `guest ${vmid}`).toContain(vmid);

      const plan = await ws.run(['plan']);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stderr).not.toContain('already exists');
      for (const vmid of onNode) expect(plan.stdout).not.toContain(`# ${GUESTS[vmid]} will be created`);

      const apply = await ws.run(['apply', '-auto-approve']);
      expect(apply.stderr).not.toContain('already exists');
      expect(apply.code, apply.stdout + apply.stderr).toBe(0);
      expect(allGuestIds(ws.simDir)).toEqual([211, 212, 213, 220, 301, 302, 310, 900, 9000]);
      expect(stateFile(ws).pending ?? []).toEqual([]);
      const settled = await ws.run(['plan', '-detailed-exitcode']);
      expect(settled.code, settled.stdout + settled.stderr).toBe(0);
    }, 300_000);
  }
});
