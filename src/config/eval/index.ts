/** Public entry points of the evaluator. */
import type { Expr } from '../ast.js';
import { error, type Diagnostic } from '../diagnostics.js';
import type { Config } from '../model.js';
import { findReferences } from '../references.js';
import { UNKNOWN, type Value } from '../values.js';
import { EvalContext } from './context.js';
import { evalExpr } from './evaluate.js';
import type { EvalScope } from './scope.js';

export type { EvalScope } from './scope.js';
export { FUNCTION_NAMES } from './functions/index.js';

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

/**
 * Evaluates every local in dependency order. A local in a reference cycle is reported and becomes
 * unknown. Also returns which locals are sensitive, to pass on as `EvalScope.sensitiveLocals`.
 */
export function evaluateLocals(
  config: Config,
  scope: Omit<EvalScope, 'locals'>,
): { locals: Record<string, Value>; sensitiveLocals: Set<string>; diagnostics: Diagnostic[] } {
  const locals: Record<string, Value> = {};
  const sensitiveLocals = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const fullScope: EvalScope = { ...scope, locals, sensitiveLocals };
  const state = new Map<string, 'visiting' | 'done'>();

  const visit = (name: string, stack: string[]): void => {
    const decl = config.locals.get(name);
    if (!decl || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = stack.slice(stack.indexOf(name));
      diagnostics.push(error('Cycle in local values', `local.${[...cycle, name].join(' → local.')}`, decl.range));
      for (const member of cycle) locals[member] = UNKNOWN;
      return;
    }
    state.set(name, 'visiting');
    for (const ref of findReferences(decl.expr)) if (ref.kind === 'local') visit(ref.name, [...stack, name]);
    state.set(name, 'done');
    if (name in locals) return; // part of a cycle: already unknown
    const result = evaluate(decl.expr, fullScope);
    locals[name] = result.value;
    if (result.sensitive) sensitiveLocals.add(name);
    diagnostics.push(...result.diagnostics);
  };
  for (const name of config.locals.keys()) visit(name, []);
  return { locals, sensitiveLocals, diagnostics };
}
