/**
 * The expression evaluator's dispatch: one case per AST node kind. Each node is evaluated by a generator
 * that yields its sub-expressions and receives their values; evalExpr drives them with an explicit
 * stack, so an expression nested 10,000 levels deep costs heap, not call stack.
 */
import type { Expr, ObjectExpr } from '../ast.js';
import { toStringValue } from '../convert.js';
import { isUnknown, UNKNOWN, type Value, type ValueObject } from '../values.js';
import type { EvalContext } from './context.js';
import { evalFor } from './for.js';
import { callFunction } from './call.js';
import { evalBinary, evalConditional, evalUnary } from './operators.js';
import { evalTemplate } from './template.js';
import { evalSplat, evalTraversal } from './traversal.js';

/** Evaluation of one node: yields each sub-expression to evaluate, receives its value, returns its own. */
export type Evaluation = Generator<Expr, Value, Value>;

export function evalExpr(root: Expr, ctx: EvalContext): Value {
  if (root.kind === 'literal') return root.value;
  const stack: Evaluation[] = [evalNode(root, ctx)];
  let input: Value = null;
  let failure: { error: unknown } | undefined;
  for (;;) {
    const top = stack[stack.length - 1]!;
    let step: IteratorResult<Expr, Value>;
    try {
      step = failure ? top.throw(failure.error) : top.next(input);
      failure = undefined;
    } catch (error) {
      // Unwind through the enclosing evaluations, so their `finally` blocks restore the context.
      stack.pop();
      if (stack.length === 0) throw error;
      failure = { error };
      continue;
    }
    if (step.done) {
      stack.pop();
      if (stack.length === 0) return step.value;
      input = step.value;
    } else if (step.value.kind === 'literal') {
      input = step.value.value;
    } else {
      stack.push(evalNode(step.value, ctx));
      input = null;
    }
  }
}

function* evalNode(expr: Expr, ctx: EvalContext): Evaluation {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      return yield* evalTemplate(expr, ctx);
    case 'tuple': {
      const items: Value[] = [];
      for (const item of expr.items) items.push(yield item);
      return items;
    }
    case 'object':
      return yield* evalObject(expr, ctx);
    case 'paren':
      return yield expr.expr;
    case 'scope':
    case 'getattr':
    case 'index':
      return yield* evalTraversal(expr, ctx);
    case 'splat':
      return yield* evalSplat(expr, ctx);
    case 'splatItem':
      return ctx.splatItem;
    case 'call':
      return yield* callFunction(expr, ctx);
    case 'unary':
      return yield* evalUnary(expr, ctx);
    case 'binary':
      return yield* evalBinary(expr, ctx);
    case 'conditional':
      return yield* evalConditional(expr, ctx);
    case 'for':
      return yield* evalFor(expr, ctx);
  }
}

function* evalObject(expr: ObjectExpr, ctx: EvalContext): Evaluation {
  const out: ValueObject = {};
  let known = true;
  for (const item of expr.items) {
    if (item.ambiguousKey) {
      const detail = "If this expression is intended to be a reference, wrap it in parentheses. If it's instead intended as a literal name containing periods, wrap it in quotes to create a string literal.";
      ctx.fail('Ambiguous attribute key', detail, item.key.range);
      known = false;
      continue;
    }
    const key = item.bareKey && item.key.kind === 'literal' ? String(item.key.value) : yield item.key;
    const value = yield item.value;
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
