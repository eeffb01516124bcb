/** Shared helpers for config tests: parse a snippet, evaluate it in a small scope, print diagnostics. */
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/config/diagnostics.js';
import { evaluate, type EvalResult } from '../../src/config/eval/index.js';
import type { EvalScope } from '../../src/config/eval/scope.js';
import { parseExpression } from '../../src/config/parser.js';
import type { Expr } from '../../src/config/ast.js';
import type { Value } from '../../src/config/values.js';

export function parse(source: string, filename = 'test.hcl'): Expr {
  const { expr, diagnostics } = parseExpression(source, filename);
  expect(diagnostics).toEqual([]);
  return expr!;
}

export function makeScope(overrides: Partial<EvalScope> & { resources?: Record<string, Value>; files?: Record<string, string> } = {}): EvalScope {
  const { resources = {}, files = {}, ...rest } = overrides;
  return {
    variables: {},
    sensitiveVariables: new Set(),
    locals: {},
    resource: (address) => resources[address],
    resourceAddresses: () => Object.keys(resources),
    path: { root: '/work/root', cwd: '/work/cwd' },
    readFile(path) {
      if (!(path in files)) throw new Error(`no such file: ${path}`);
      return files[path]!;
    },
    ...rest,
  };
}

export function run(source: string, scope: Partial<Parameters<typeof makeScope>[0]> = {}): EvalResult {
  return evaluate(parse(source), makeScope(scope));
}

/** Evaluates and expects no diagnostics; returns the value. */
export function value(source: string, scope: Parameters<typeof makeScope>[0] = {}): Value {
  const result = run(source, scope);
  expect(result.diagnostics.map(describe)).toEqual([]);
  return result.value;
}

/** Evaluates and expects at least one error; returns the first one's "summary: detail". */
export function failure(source: string, scope: Parameters<typeof makeScope>[0] = {}): string {
  const result = run(source, scope);
  expect(result.diagnostics.length).toBeGreaterThan(0);
  return describe(result.diagnostics[0]!);
}

/** `file:line:col: summary: detail` — the parts of a diagnostic a user reads. */
export function describe(d: Diagnostic): string {
  const where = d.range ? `${d.range.file}:${d.range.start.line}:${d.range.start.col}: ` : '';
  return `${where}${d.summary}${d.detail ? `: ${d.detail}` : ''}`;
}
