/** `evaluate`: one expression in one scope, collecting diagnostics and sensitivity. */
import type { Expr } from '../ast.js';
import { error, type Diagnostic } from '../diagnostics.js';
import { UNKNOWN, type Value } from '../values.js';
import { EvalContext } from './context.js';
import { evalExpr } from './evaluate.js';
import type { EvalScope } from './scope.js';

export interface EvalResult {
  value: Value;
  /** True when a sensitive variable, local or resource attribute was read. */
  sensitive: boolean;
  diagnostics: Diagnostic[];
}

export function evaluate(expr: Expr, scope: EvalScope): EvalResult {
  const ctx = new EvalContext(scope);
  try {
    const value = evalExpr(expr, ctx);
    return { value, sensitive: ctx.sensitive, diagnostics: ctx.diagnostics };
  } catch (cause) {
    // Values nested deeper than the call stack allows (lists built by recursion, not by the parser).
    if (!(cause instanceof RangeError && /call stack/.test(cause.message))) throw cause;
    const detail = 'Evaluating this expression nests values too deeply for phoenix to follow. Split the expression into local values.';
    return { value: UNKNOWN, sensitive: ctx.sensitive, diagnostics: [...ctx.diagnostics, error('Nesting too deep', detail, expr.range)] };
  }
}
