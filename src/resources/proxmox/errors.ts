/**
 * Host errors, classified by the stderr text Proxmox and ZFS print (exit codes are not reliable: see
 * proxmox-cli.md §A), and turned into diagnostics that carry the host's own message.
 */
import { DiagnosticError, type Diagnostic } from '../../config/diagnostics.js';
import { CommandError, type RunResult } from '../../exec/runner.js';
import { CreateRefused } from '../provider.js';

export type HostErrorKind =
  | 'missing'
  | 'exists'
  | 'locked'
  | 'already-running'
  | 'not-running'
  | 'has-children'
  | 'readonly-property'
  | 'other';

const PATTERNS: [HostErrorKind, RegExp][] = [
  ['missing', /does not exist|unable to find configuration file|no such (?:file|container|vm)/i],
  ['exists', /already exists|already used/i],
  ['locked', /can't lock file|is locked|got timeout/i],
  ['already-running', /already running/i],
  ['not-running', /not running/i],
  ['has-children', /has children/i],
  ['readonly-property', /is readonly|read-only option/i],
];

export function classifyHostError(stderr: string): HostErrorKind {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(stderr)) return kind;
  return 'other';
}

export function errorKindOf(error: unknown): HostErrorKind | undefined {
  return error instanceof CommandError ? classifyHostError(error.result.stderr + error.result.stdout) : undefined;
}

/** Options whose values are secrets: never shown in messages. */
const SECRET_OPTIONS = new Set(['--password', '--cipassword', '--fingerprint', '--encryption-key']);

/** The command line for messages, with secret option values replaced. */
export function redactedCommandLine(argv: string[]): string {
  return argv
    .map((word, i) => {
      const eq = word.indexOf('=');
      if (eq > 0 && SECRET_OPTIONS.has(word.slice(0, eq))) return `${word.slice(0, eq)}=(sensitive value)`;
      return i > 0 && SECRET_OPTIONS.has(argv[i - 1]!) ? '(sensitive value)' : word;
    })
    .join(' ');
}

/** The diagnostic for a failed host command: summary names the operation, detail quotes the host. */
export function hostErrorDiagnostic(what: string, result: RunResult, subject?: string): Diagnostic {
  const seconds = Math.round(result.durationMs / 1000);
  // A killed command's exit code (143) says nothing to an operator; the timeout does.
  const hostText = result.timedOut
    ? (result.stderr.trim() ||
        `Stopped after ${seconds}s (the node's operation_timeout); the operation may have partly run on the host.`)
    : (result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}`).trim();
  const reason = result.timedOut ? `timed out after ${seconds}s` : `failed: ${hostText.split('\n')[0]}`;
  return {
    severity: 'error',
    summary: `${what} ${reason}`,
    detail: `Command: ${redactedCommandLine(result.argv)}\n${hostText}`,
    subject,
  };
}

/** Rethrows a CommandError as a DiagnosticError; other errors pass through unchanged. */
export function asDiagnosticError(error: unknown, what: string, subject?: string): unknown {
  if (error instanceof CommandError) return new DiagnosticError([hostErrorDiagnostic(what, error.result, subject)]);
  return error;
}

/**
 * Commands that exit 0 when their task fails. Their CLI entries have no `$upid_exit` (pve-container
 * src/PVE/CLI/pct.pm and qemu-server src/PVE/CLI/qm.pm cmddef: `pct resize`, `pct template`, `qm template`,
 * `qm disk resize`), so the worker's error is only printed: pve-common RESTEnvironment.pm fork_worker
 * passes the task's output to stdout and its `TASK ERROR` text to stderr. `pct push`/`pull` report a
 * failure from a forked child the same way. For these, any stderr line but the warning count is a failure
 * (taskErrorLines; storage-files.ts runWorkerTask applies the same rule to the download tasks).
 */
const EXITS_ZERO_ON_FAILURE: readonly string[][] = [
  ['pct', 'resize'],
  ['pct', 'template'],
  ['pct', 'push'],
  ['pct', 'pull'],
  ['qm', 'template'],
  ['qm', 'disk', 'resize'],
  ['qm', 'resize'],
];

/** RESTEnvironment.pm: a task that only warned ends with this on stderr, and succeeded. */
const TASK_WARNINGS = /^Task finished with \d+ warning\(s\)!$/;

/** The stderr lines of a foreground task that report its failure (all but the warning count). */
export function taskErrorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !TASK_WARNINGS.test(line.trim()));
}

function exitsZeroOnFailure(argv: string[]): boolean {
  return EXITS_ZERO_ON_FAILURE.some((prefix) => prefix.every((word, i) => argv[i] === word));
}

/**
 * A failure that exited 0: a task command of the table above with an error on stderr, or any command
 * whose stderr reads like an error (the one place this is decided: runOnHost asks it for every command).
 */
export function looksLikeSilentFailure(result: RunResult): boolean {
  if (result.exitCode !== 0) return false;
  if (exitsZeroOnFailure(result.argv)) return taskErrorLines(result.stderr).length > 0;
  return /^(?:unable to|can't|cannot|error)|not supported|does not exist/im.test(result.stderr);
}

export function diagnosticError(summary: string, detail?: string, subject?: string): DiagnosticError {
  return new DiagnosticError([{ severity: 'error', summary, detail, subject }]);
}

/**
 * Runs a create's host command; when the host refuses it because the target already exists (and so
 * changed nothing), the failure becomes CreateRefused: no pending record stays, so the existing object,
 * which is not phoenix's, is never adopted from it. For types without an ownership proof.
 */
export async function refusedWhenTaken<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (e) {
    if (e instanceof DiagnosticError && e.diagnostics.some((d) => TAKEN.test(`${d.summary}\n${d.detail ?? ''}`))) throw new CreateRefused(e.diagnostics);
    throw e;
  }
}

/** pvesm "storage ID 'x' already defined", jobs.cfg "job 'x' already exists". */
const TAKEN = /already defined|already exists/;
