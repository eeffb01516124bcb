/** `evaluate`: one expression in one scope, collecting diagnostics and sensitivity. */
import type { Expr } from '../ast.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Value } from '../values.js';
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
  const value = evalExpr(expr, ctx);
  return { value, sensitive: ctx.sensitive, diagnostics: ctx.diagnostics };
}
