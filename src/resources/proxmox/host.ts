/**
 * Running host commands for a resource: the node from the context, errors as diagnostics that quote
 * the host, and the few host-side file operations providers need (temp files written through stdin).
 */
import type { NodeHandle, NodeRunOptions, ProviderContext } from '../provider.js';
import type { RunResult } from '../../exec/runner.js';
import { asDiagnosticError, diagnosticError, hostErrorDiagnostic, looksLikeSilentFailure } from './errors.js';
import { DiagnosticError } from '../../config/diagnostics.js';

export function requireNode(ctx: ProviderContext, subject?: string): NodeHandle {
  if (ctx.node) return ctx.node;
  throw diagnosticError(
    'No Proxmox node for this resource',
    'Declare a `node "NAME" { connection = ... }` block or set the resource\'s `node` attribute.',
    subject,
  );
}

/** Runs one host command; a failure becomes a diagnostic quoting the host's stderr. */
export async function runOnHost(
  node: NodeHandle,
  argv: string[],
  options: NodeRunOptions & { what?: string; subject?: string } = {},
): Promise<RunResult> {
  const what = options.what ?? argv.slice(0, 2).join(' ');
  try {
    const result = await node.run(argv, options);
    if (!options.allowFailure && looksLikeSilentFailure(result)) {
      throw new DiagnosticError([hostErrorDiagnostic(what, result, options.subject)]);
    }
    return result;
  } catch (error) {
    throw asDiagnosticError(error, what, options.subject);
  }
}

/**
 * Writes `content` to a fresh temp file on the host (`mktemp`, then `tee` fed through stdin, so the
 * content never appears in an argv), runs `use(path)`, and removes the file afterwards.
 */
export async function withHostTempFile<T>(
  node: NodeHandle,
  content: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const made = await runOnHost(node, ['mktemp', '-t', 'phoenix.XXXXXXXX'], { what: 'creating a temp file' });
  const path = made.stdout.trim();
  try {
    await runOnHost(node, ['tee', path], { stdin: content, what: 'writing a temp file' });
    return await use(path);
  } finally {
    await node.run(['rm', '-f', path], { allowFailure: true });
  }
}
