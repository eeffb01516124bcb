/**
 * Sensitivity that follows the value into free text. Plans are redacted structurally (renderers read
 * `sensitivePaths`); this is for text nobody can mark: a failed host command's argv and stderr, a
 * provider's progress line, a health check's output, a diagnostic that quotes a value. The engine
 * registers the text of every sensitive value it sees — sensitive variables and locals, attributes at
 * sensitive paths of planned, applied and recorded objects (`description = "note: ${var.secret}"`
 * registers the whole derived string) — and everything phoenix prints from those sources goes through
 * `redactText` / `redactArgv`, which replace it with `(sensitive value)` like Terraform does.
 *
 * Texts shorter than MIN_SECRET_LENGTH are not matched: a one- or two-character "secret" would blank
 * every message it happens to occur in while protecting nothing.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { isObject, isUnknown, type Attrs, type Value } from '../config/values.js';
import { CommandError, type RunResult } from '../exec/runner.js';
import type { NodeHandle } from '../resources/provider.js';
import { getPath } from './diff.js';

export const SENSITIVE_TEXT = '(sensitive value)';
export const MIN_SECRET_LENGTH = 3;

export class SensitiveTexts {
  private readonly texts = new Set<string>();
  /** Longest first, so a secret containing another is replaced whole. Rebuilt lazily. */
  private ordered: string[] | undefined;

  get size(): number {
    return this.texts.size;
  }

  /** Registers every string (and number) inside `value`. */
  add(value: Value | undefined): void {
    if (value === null || value === undefined || isUnknown(value) || typeof value === 'boolean') return;
    if (Array.isArray(value)) return value.forEach((v) => this.add(v));
    if (isObject(value)) return Object.values(value).forEach((v) => this.add(v));
    const text = String(value);
    if (text.trim().length < MIN_SECRET_LENGTH || this.texts.has(text)) return;
    this.texts.add(text);
    // A multi-line secret (a key, a script input) may be quoted one line at a time.
    for (const line of text.split('\n')) if (line.trim().length >= MIN_SECRET_LENGTH) this.texts.add(line);
    this.ordered = undefined;
  }

  /** Registers the values at `paths` of an object's attributes. */
  addPaths(attrs: Attrs | null | undefined, paths: readonly (readonly string[])[]): void {
    if (!attrs) return;
    for (const path of paths) this.add(path.length === 0 ? attrs : getPath(attrs, path));
  }

  private list(): string[] {
    this.ordered ??= [...this.texts].sort((a, b) => b.length - a.length);
    return this.ordered;
  }

  contains(text: string): boolean {
    return this.texts.size > 0 && this.list().some((secret) => text.includes(secret));
  }

  redactText(text: string): string;
  redactText(text: string | undefined): string | undefined;
  redactText(text: string | undefined): string | undefined {
    if (text === undefined || this.texts.size === 0) return text;
    let out = text;
    for (const secret of this.list()) if (out.includes(secret)) out = out.split(secret).join(SENSITIVE_TEXT);
    return out;
  }

  /** A command line for messages: every argument that contains a sensitive text is replaced whole. */
  redactArgv(argv: readonly string[]): string[] {
    return argv.map((word) => (this.contains(word) ? SENSITIVE_TEXT : word));
  }

  redactDiagnostic(d: Diagnostic): Diagnostic {
    if (this.texts.size === 0) return d;
    return {
      ...d,
      summary: this.redactText(d.summary),
      ...(d.detail !== undefined ? { detail: this.redactText(d.detail) } : {}),
      ...(d.related ? { related: d.related.map((r) => ({ ...r, message: this.redactText(r.message) })) } : {}),
    };
  }

  /** A failed command's result as messages may show it (argv, stdout and stderr redacted). */
  redactResult(result: RunResult): RunResult {
    return { ...result, argv: this.redactArgv(result.argv), stdout: this.redactText(result.stdout), stderr: this.redactText(result.stderr) };
  }

  /**
   * The node as providers see it: a command that fails reaches the provider (and so every message built
   * from it) with its sensitive arguments and output redacted. Successful output is data and stays whole.
   */
  guardNode(node: NodeHandle): NodeHandle {
    const run: NodeHandle['run'] = async (argv, options) => {
      try {
        const result = await node.run(argv, options);
        return result.exitCode !== 0 || result.timedOut ? this.redactResult(result) : result;
      } catch (e) {
        if (e instanceof CommandError) throw new CommandError(this.redactResult(e.result));
        throw e;
      }
    };
    return { ...node, run };
  }
}
