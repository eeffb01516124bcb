/**
 * Diagnostics: every user-facing problem phoenix reports (config, state, CLI flags, host output) is one
 * of these, never a stack trace. Modelled on Terraform's: severity, summary, detail, and where there is
 * a source, its range so the renderer can print `file:line:col` and the line with the span marked.
 */
import type { Range } from './ast.js';
import { MAX_VALUE_NESTING } from './values.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  summary: string;
  detail?: string;
  /** Where in the config the problem is, when it comes from a source file. */
  range?: Range;
  /** Further places involved (e.g. every member of a dependency cycle, the first of two duplicates). */
  related?: { message: string; range: Range }[];
  /** Resource address or JSON path the problem concerns, when there is no source range. */
  subject?: string;
}

export function error(summary: string, detail?: string, range?: Range): Diagnostic {
  return { severity: 'error', summary, detail, range };
}

export function warning(summary: string, detail?: string, range?: Range): Diagnostic {
  return { severity: 'warning', summary, detail, range };
}

/**
 * `target.push(...items)` without the spread: spreading passes every item as a call argument, which
 * overflows the stack past about 100,000 items (a file with that many errors).
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Thrown only to unwind to the CLI's top level, which prints the diagnostics and exits non-zero. */
export class DiagnosticError extends Error {
  constructor(public readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.summary).join('; '));
  }
}

/** "Did you mean" helper: the closest candidate within a small edit distance, if any. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const threshold = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= threshold ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length]!;
}

/** The error for a value nested past MAX_VALUE_NESTING, at the expression that built it. */
export function tooDeepValue(what: string, range: Range): Diagnostic {
  const detail = `${what} is a value nested more than ${MAX_VALUE_NESTING} levels deep; phoenix stores and shows values up to that depth. Split it into several values.`;
  return error('Value nested too deeply', detail, range);
}

/** An argument set twice in one body (HCL's parser rejects the file: "Attribute redefined"). */
export function duplicateArgument(name: string, first: Range, again: Range): Diagnostic {
  const detail = `The argument "${name}" was already set at ${first.file}:${first.start.line}:${first.start.col}. Each argument may be set only once.`;
  return { ...error('Duplicate argument', detail, again), related: [{ message: 'first set here', range: first }] };
}
