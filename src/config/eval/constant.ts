/**
 * Evaluation of expressions that may not reference anything (variable defaults, `-var` values, var
 * files, meta-argument flags): literals, operators and functions only.
 */
import type { Expr } from '../ast.js';
import { error, type Diagnostic } from '../diagnostics.js';
import { findReferences } from '../references.js';
import { UNKNOWN, type Value } from '../values.js';
import { evaluate } from './evaluate-entry.js';
import type { EvalScope } from './scope.js';

const NO_REFERENCES_SCOPE: EvalScope = {
  variables: {},
  sensitiveVariables: new Set(),
  locals: {},
  resource: () => undefined,
  path: { root: '.', cwd: '.' },
  readFile(path: string): string {
    throw new Error(`files cannot be read here (${path})`);
  },
};

export function evaluateConstant(expr: Expr, where: string): { value: Value; diagnostics: Diagnostic[] } {
  const refs = findReferences(expr);
  if (refs.length > 0) {
    return { value: UNKNOWN, diagnostics: refs.map((r) => error('Variables not allowed', `Variables may not be used ${where}.`, r.range)) };
  }
  const { value, diagnostics } = evaluate(expr, NO_REFERENCES_SCOPE);
  return { value, diagnostics };
}
