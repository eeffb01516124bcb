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
