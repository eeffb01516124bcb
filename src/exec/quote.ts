/**
 * POSIX shell quoting for commands sent over ssh.
 *
 * OpenSSH has no argv on the wire: it sends ONE string that the remote user's login shell parses. So every
 * argv element is wrapped in single quotes — inside them a POSIX shell interprets nothing at all (no `$`,
 * backticks, globs, `~`, `;`, newlines) — and an embedded `'` is written as `'\''` (close the quote, an
 * escaped quote, reopen). Every element is quoted, even "safe" ones, so there is no classification to get
 * wrong. The result round-trips byte-for-byte; a NUL byte cannot be carried by any argv and is refused.
 */

export function quoteShellArg(value: string): string {
  if (value.includes('\0')) throw new Error('a command argument cannot contain a NUL byte');
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A portable environment variable name; anything else could be parsed by `env` as an option or command. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The remote command line for `argv`, optionally run under `env K=V ...` so variables reach the command
 * without the remote shell ever evaluating their values.
 */
export function buildRemoteCommand(argv: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  if (argv.length === 0) throw new Error('cannot run an empty command');
  const assignments = Object.entries(env).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name ${JSON.stringify(name)}`);
    return quoteShellArg(`${name}=${value}`);
  });
  const command = argv.map(quoteShellArg);
  return (assignments.length > 0 ? ['env', ...assignments, ...command] : command).join(' ');
}
