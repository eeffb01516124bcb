/** Commands inside a VM through the QEMU guest agent (`qm guest exec`). */
import type { NodeHandle } from '../provider.js';
import type { ExecOutcome } from './health.js';
import { runOnHost } from './host.js';

interface GuestExecResult {
  exitcode?: number;
  'out-data'?: string;
  'err-data'?: string;
}

/**
 * `qm guest exec` exits 0 even when the command failed: the outcome is the JSON's `exitcode`
 * (`out-data` is absent when the command printed nothing). `stdin` is passed with `--pass-stdin 1`.
 */
export async function guestExec(node: NodeHandle, vmid: number, argv: string[], stdin?: string): Promise<ExecOutcome> {
  const passStdin = stdin === undefined ? [] : ['--pass-stdin', '1'];
  const result = await runOnHost(node, ['qm', 'guest', 'exec', String(vmid), ...passStdin, '--', ...argv], { allowFailure: true, stdin });
  if (result.exitCode !== 0) return { ok: false, output: result.stderr || result.stdout };
  try {
    const parsed = JSON.parse(result.stdout) as GuestExecResult;
    return { ok: parsed.exitcode === 0, output: (parsed['out-data'] ?? '') + (parsed['err-data'] ?? '') };
  } catch {
    return { ok: false, output: `unexpected output from qm guest exec: ${result.stdout}` };
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
