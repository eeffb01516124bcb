/**
 * How a simulated command fails: the text Proxmox would print on stderr and the exit code it would
 * exit with. Thrown anywhere below `main`, caught once in cli.ts.
 */
export class SimError extends Error {
  constructor(
    message: string,
    public readonly exitCode = 255,
  ) {
    super(message);
  }
}

/** Exit code of a failed task command (create, destroy, start, clone, snapshot, resize...): $upid_exit. */
export const EXIT_TASK_FAILURE = 255;

/** Exit code Perl's `die` yields when errno is ENOENT: a missing guest config in a synchronous command. */
export const EXIT_ENOENT = 2;

/** `400 unable to parse option` family: Getopt-level failures, followed by the usage line. */
export function optionParseError(lines: string[], usage: string): SimError {
  return new SimError([...lines, '400 unable to parse option', usage].join('\n'));
}

/** `400 Parameter verification failed.` with one `param: message` line per problem, then usage. */
export function verificationError(errors: Record<string, string>, usage?: string): SimError {
  const lines = ['400 Parameter verification failed.'];
  for (const [param, message] of Object.entries(errors).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${param}: ${message}`);
  }
  if (usage) lines.push(usage);
  return new SimError(lines.join('\n'));
}
