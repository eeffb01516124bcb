/**
 * Power state of a guest through `pct` or `qm`, tolerant of the already-in-that-state answers
 * (`pct stop` is not idempotent; `qm start` on a running VM fails; see proxmox-cli.md §1, §2).
 */
import type { NodeHandle } from '../provider.js';
import { DiagnosticError } from '../../config/diagnostics.js';
import { classifyHostError, hostErrorDiagnostic, type HostErrorKind } from './errors.js';
import { runOnHost } from './host.js';

export type GuestTool = 'pct' | 'qm';

/** Seconds a graceful shutdown may take before the guest is stopped hard. */
const SHUTDOWN_TIMEOUT = '60';

export function guestLabel(tool: GuestTool, vmid: number): string {
  return `${tool === 'pct' ? 'CT' : 'VM'} ${vmid}`;
}

/** Runs a power command; failures of the listed kinds mean "already in that state" and are fine. */
async function runTolerating(node: NodeHandle, argv: string[], what: string, tolerated: HostErrorKind[]): Promise<void> {
  const result = await runOnHost(node, argv, { allowFailure: true });
  if (result.exitCode !== 0 && !tolerated.includes(classifyHostError(result.stderr))) {
    throw new DiagnosticError([hostErrorDiagnostic(what, result)]);
  }
}

export async function startGuest(node: NodeHandle, tool: GuestTool, vmid: number): Promise<void> {
  await runTolerating(node, [tool, 'start', String(vmid)], `starting ${guestLabel(tool, vmid)}`, ['already-running']);
}

export async function shutdownGuest(node: NodeHandle, tool: GuestTool, vmid: number): Promise<void> {
  await runOnHost(node, [tool, 'shutdown', String(vmid), '--timeout', SHUTDOWN_TIMEOUT, '--forceStop', '1'], {
    what: `shutting down ${guestLabel(tool, vmid)}`,
  });
}

/** Hard stop before destroy; a guest that is already stopped or gone is fine. */
export async function stopGuestIfRunning(node: NodeHandle, tool: GuestTool, vmid: number): Promise<void> {
  await runTolerating(node, [tool, 'stop', String(vmid)], `stopping ${guestLabel(tool, vmid)}`, ['not-running', 'missing']);
}

/** Reboot so pending changes (features, nameserver, raw lines, CPU type...) take effect. */
export async function rebootGuest(node: NodeHandle, tool: GuestTool, vmid: number): Promise<void> {
  await runOnHost(node, [tool, 'reboot', String(vmid)], { what: `rebooting ${guestLabel(tool, vmid)}` });
}

/** Brings the guest from `current` to `desired` power state. */
export async function reconcilePower(
  node: NodeHandle,
  tool: GuestTool,
  vmid: number,
  current: string | undefined,
  desired: string | undefined,
): Promise<void> {
  if (desired === 'running' && current !== 'running') await startGuest(node, tool, vmid);
  if (desired === 'stopped' && current === 'running') await shutdownGuest(node, tool, vmid);
}
