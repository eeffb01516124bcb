/**
 * Runs commands as local processes (execa, argv arrays, never a shell). Used directly for `local` nodes,
 * and underneath the ssh runner (which spawns `ssh`) and the simulator runner.
 */
import { constants as osConstants } from 'node:os';
import { execa, type Result } from 'execa';
import { terminateProcessGroup } from './process-group.js';
import type { RunRequest, RunResult, Runner } from './runner.js';

export interface LocalRunnerOptions {
  /** After SIGTERM, how long a timed-out or aborted command gets before its group is SIGKILLed. */
  killGraceMs?: number;
  /** Extra environment for every command (added to this process's environment). */
  env?: Record<string, string>;
  cwd?: string;
}

/** Exit code reported when the program could not be started at all (shell convention). */
export const SPAWN_FAILED_EXIT_CODE = 127;
export const DEFAULT_KILL_GRACE_MS = 5_000;

export class LocalRunner implements Runner {
  readonly kind: Runner['kind'] = 'local';
  readonly description: string = 'local';

  constructor(private readonly options: LocalRunnerOptions = {}) {}

  /** Never throws for a failing command: a non-zero exit, a timeout or a missing program is in the result. */
  async run(request: RunRequest): Promise<RunResult> {
    return this.spawn(request.argv, request);
  }

  async close(): Promise<void> {}

  /** Run `program args...` but report `request.argv` (subclasses map argv to a different program). */
  protected async spawn(programArgv: readonly string[], request: RunRequest): Promise<RunResult> {
    const [program, ...args] = programArgv;
    if (program === undefined) throw new Error('cannot run an empty command');
    const startedAt = performance.now();
    const subprocess = execa(program, args, {
      // Own process group, so a timeout or abort can kill grandchildren too (see process-group.ts).
      detached: true,
      reject: false,
      // Callers parse output; keep it byte-for-byte, including the final newline.
      stripFinalNewline: false,
      env: this.options.env,
      cwd: this.options.cwd,
      ...(request.stdin === undefined ? { stdin: 'ignore' as const } : { input: request.stdin }),
    });

    let timedOut = false;
    const graceMs = this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    let stopping = false;
    const stop = (): void => {
      if (stopping || subprocess.pid === undefined) return;
      stopping = true;
      terminateProcessGroup(subprocess.pid, graceMs, () => {
        // Whatever escaped the group (a setsid daemon; ssh's control master, which holds the descriptors a
        // multiplexed client hands it) may still hold our pipes open: stop waiting for them.
        subprocess.stdout?.destroy();
        subprocess.stderr?.destroy();
      });
    };
    const timer =
      request.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, request.timeoutMs);
    if (request.signal?.aborted) stop();
    request.signal?.addEventListener('abort', stop, { once: true });

    try {
      const result = await subprocess;
      const started = result.exitCode !== undefined || result.signal !== undefined;
      return {
        argv: [...request.argv],
        exitCode: exitCodeOf(result),
        stdout: result.stdout ?? '',
        stderr: started ? (result.stderr ?? '') : spawnFailure(result),
        timedOut,
        durationMs: Math.round(performance.now() - startedAt),
      };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', stop);
    }
  }
}

/** Killed by a signal → 128 + signal number, as shells report it; never started → 127. */
function exitCodeOf(result: Result): number {
  if (result.exitCode !== undefined) return result.exitCode;
  if (result.signal !== undefined) return 128 + (osConstants.signals[result.signal] ?? 0);
  return SPAWN_FAILED_EXIT_CODE;
}

function spawnFailure(result: Result): string {
  return `${result.shortMessage ?? result.message ?? 'could not start the command'}\n`;
}
