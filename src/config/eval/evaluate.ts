/** The expression evaluator's dispatch: one case per AST node kind. */
import type { Expr, ObjectExpr } from '../ast.js';
import { toStringValue } from '../convert.js';
import { isUnknown, UNKNOWN, type Value, type ValueObject } from '../values.js';
import type { EvalContext } from './context.js';
import { evalFor } from './for.js';
import { callFunction } from './call.js';
import { evalBinary, evalConditional, evalUnary } from './operators.js';
import { evalTemplate } from './template.js';
import { evalSplat, evalTraversal } from './traversal.js';

export function evalExpr(expr: Expr, ctx: EvalContext): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      return evalTemplate(expr, ctx);
    case 'tuple':
      return expr.items.map((item) => evalExpr(item, ctx));
    case 'object':
      return evalObject(expr, ctx);
    case 'paren':
      return evalExpr(expr.expr, ctx);
    case 'scope':
    case 'getattr':
    case 'index':
      return evalTraversal(expr, ctx);
    case 'splat':
      return evalSplat(expr, ctx);
    case 'splatItem':
      return ctx.splatItem;
    case 'call':
      return callFunction(expr, ctx);
    case 'unary':
      return evalUnary(expr, ctx);
    case 'binary':
      return evalBinary(expr, ctx);
    case 'conditional':
      return evalConditional(expr, ctx);
    case 'for':
      return evalFor(expr, ctx);
  }
}

function evalObject(expr: ObjectExpr, ctx: EvalContext): Value {
  const out: ValueObject = {};
  let known = true;
  for (const item of expr.items) {
    if (item.ambiguousKey) {
      const detail = "If this expression is intended to be a reference, wrap it in parentheses. If it's instead intended as a literal name containing periods, wrap it in quotes to create a string literal.";
      ctx.fail('Ambiguous attribute key', detail, item.key.range);
      known = false;
      continue;
    }
    const key = item.bareKey && item.key.kind === 'literal' ? String(item.key.value) : evalExpr(item.key, ctx);
    const value = evalExpr(item.value, ctx);
    if (isUnknown(key)) {
      known = false;
      continue;
    }
    const name = key === null ? undefined : toStringValue(key);
    if (name === undefined) {
      ctx.fail('Invalid object key', 'Object keys must be strings.', item.key.range);
      continue;
    }
    out[name] = value;
  }
  return known ? out : UNKNOWN;
}
