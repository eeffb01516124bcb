/**
 * The one interface every way of reaching a Proxmox host goes through: local processes, OpenSSH, and the
 * simulated node (which is spawned as real processes through the local runner). Commands are argv
 * arrays, never shell strings.
 */

export interface RunRequest {
  /** argv[0] is the program (`pct`, `qm`, `zfs`, `pvesh`, `cat`...), the rest its arguments. */
  argv: string[];
  stdin?: string;
  /** Kill the command (its whole process group locally) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface Runner {
  readonly kind: 'local' | 'ssh' | 'simulator';
  /** Human description for messages, e.g. `ssh://root@pve1:22` or `simulator (.phoenix-sim)`. */
  readonly description: string;
  run(request: RunRequest): Promise<RunResult>;
  /** Release held resources (e.g. the ssh control master). Idempotent. */
  close(): Promise<void>;
}

/** A host command that failed: carries the result so providers can classify by stderr text. */
export class CommandError extends Error {
  constructor(public readonly result: RunResult) {
    const what = result.timedOut ? 'timed out' : `exited with code ${result.exitCode}`;
    super(`${result.argv.join(' ')} ${what}: ${result.stderr.trim() || result.stdout.trim()}`);
  }
}
