/** Commands inside a VM through the QEMU guest agent (`qm guest exec`, `qm guest cmd`). */
import type { NodeHandle } from '../provider.js';
import { diagnosticError } from './errors.js';
import type { ExecOutcome } from './health.js';
import { runOnHost } from './host.js';

interface GuestExecResult {
  exitcode?: number;
  exited?: number;
  pid?: number;
  'out-data'?: string;
  'err-data'?: string;
}

/** Seconds a quick command (cat, tee, mkdir) may take in the guest. */
export const QUICK_EXEC_TIMEOUT_S = 60;
/** Seconds an install script may run in the guest before phoenix stops waiting. */
export const SCRIPT_EXEC_TIMEOUT_S = 1800;
/** The runner gives qm this much longer than qm's own wait, so qm's answer arrives before a kill. */
const RUNNER_MARGIN_S = 30;

export interface GuestExecOptions {
  stdin?: string;
  /** `--timeout`: without it qm waits only 30 s, then prints `{"pid": N}` and exits 0 (qemu-server qm.pm exec). */
  timeoutSeconds?: number;
}

/**
 * `qm guest exec` exits 0 even when the command failed: the outcome is the JSON's `exitcode`
 * (`out-data` is absent when the command printed nothing). `stdin` is passed with `--pass-stdin 1`.
 * The wait is always explicit (`--timeout`); an answer with only a pid means the command still runs.
 */
export async function guestExec(node: NodeHandle, vmid: number, argv: string[], options: GuestExecOptions = {}): Promise<ExecOutcome> {
  const timeout = options.timeoutSeconds ?? QUICK_EXEC_TIMEOUT_S;
  const passStdin = options.stdin === undefined ? [] : ['--pass-stdin', '1'];
  const result = await runOnHost(node, ['qm', 'guest', 'exec', String(vmid), '--timeout', String(timeout), ...passStdin, '--', ...argv], {
    allowFailure: true,
    stdin: options.stdin,
    timeoutMs: (timeout + RUNNER_MARGIN_S) * 1000,
  });
  if (result.exitCode !== 0) return { ok: false, output: result.stderr || result.stdout };
  let parsed: GuestExecResult;
  try {
    parsed = JSON.parse(result.stdout) as GuestExecResult;
  } catch {
    return { ok: false, output: `unexpected output from qm guest exec: ${result.stdout}` };
  }
  if (parsed.exited === undefined && parsed.pid !== undefined) {
    return { ok: false, output: `still running in VM ${vmid} after ${timeout}s (guest pid ${parsed.pid}); qm guest exec stopped waiting` };
  }
  return { ok: parsed.exitcode === 0, output: (parsed['out-data'] ?? '') + (parsed['err-data'] ?? '') };
}

/** Seconds to wait for a VM's guest agent after a start: the guest has to boot and start the agent. */
export const AGENT_WAIT_S = 180;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the VM's guest agent answers `qm guest cmd VMID ping`. Right after `qm start` it is not
 * running yet (`QEMU guest agent is not running`, qemu-server QemuServer/Agent.pm assert_agent_available):
 * poll with a growing interval, bounded by `timeoutSeconds`. Other answers (no agent configured, VM not
 * running) will not change by waiting and fail at once.
 */
export async function waitForGuestAgent(node: NodeHandle, vmid: number, timeoutSeconds = AGENT_WAIT_S): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let interval = 250;
  for (;;) {
    const result = await runOnHost(node, ['qm', 'guest', 'cmd', String(vmid), 'ping'], { allowFailure: true, what: `asking the guest agent of VM ${vmid}` });
    if (result.exitCode === 0) return;
    const stderr = result.stderr.trim();
    if (!/guest agent is not running/i.test(stderr)) {
      throw diagnosticError(`The guest agent of VM ${vmid} cannot be reached`, stderr || `qm guest cmd exited ${result.exitCode}`);
    }
    if (Date.now() + interval > deadline) {
      throw diagnosticError(
        `The guest agent of VM ${vmid} did not answer within ${timeoutSeconds}s`,
        'The VM runs but its QEMU guest agent does not answer `qm guest cmd ' + vmid + ' ping`. Install and start qemu-guest-agent in the guest (cloud images need it in their cloud-init packages).',
      );
    }
    await sleep(interval);
    interval = Math.min(interval * 2, 2000);
  }
}

/**
 * `pct exec ID --keep-env 0 -- ARGV`: without `--keep-env 0`, pct (pve-container src/PVE/CLI/pct.pm, exec:
 * `keep-env` defaults to 1 up to PVE 8) runs lxc-attach --keep-env, handing phoenix's whole environment
 * (PHOENIX_VAR_* secrets included) to every command in the guest. Inputs go in argv (`env KEY=value`).
 */
export function pctExecArgv(vmid: number | string, argv: string[]): string[] {
  return ['pct', 'exec', String(vmid), '--keep-env', '0', '--', ...argv];
}
