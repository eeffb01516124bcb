/** Unary, binary and conditional operators. Operands convert like Terraform's (`"2" * 3` is 6). */
import type { BinaryExpr, ConditionalExpr, Expr, UnaryExpr } from '../ast.js';
import { toBoolValue, toNumberValue } from '../convert.js';
import { containsUnknown, isUnknown, UNKNOWN, valuesEqual, type Value } from '../values.js';
import type { EvalContext } from './context.js';
import type { Evaluation } from './evaluate.js';

export function* evalUnary(expr: UnaryExpr, ctx: EvalContext): Evaluation {
  const operand = yield expr.operand;
  if (isUnknown(operand)) return UNKNOWN;
  if (expr.op === '!') {
    const b = boolOperand(operand, expr.operand, 'operand', ctx);
    return b === undefined ? UNKNOWN : !b;
  }
  const n = numberOperand(operand, expr.operand, 'operand', ctx);
  return n === undefined ? UNKNOWN : -n;
}

/**
 * Operators are left-associative, so `1 + 1 + ... + 1` is a tree as deep as it is long: the chain of
 * left operands is walked in a loop, not by recursion, so long chains cannot exhaust the stack.
 */
export function* evalBinary(expr: BinaryExpr, ctx: EvalContext): Evaluation {
  const chain: BinaryExpr[] = [expr];
  for (let e = expr.left; e.kind === 'binary'; e = e.left) chain.push(e);
  let value = yield chain[chain.length - 1]!.left;
  for (let i = chain.length - 1; i >= 0; i--) value = applyBinary(chain[i]!, value, yield chain[i]!.right, ctx);
  return value;
}

function applyBinary(expr: BinaryExpr, left: Value, right: Value, ctx: EvalContext): Value {
  switch (expr.op) {
    case '==':
    case '!=': {
      if (containsUnknown(left) || containsUnknown(right)) return UNKNOWN;
      const equal = valuesEqual(left, right);
      return expr.op === '==' ? equal : !equal;
    }
    case '&&':
    case '||':
      return evalLogical(expr, left, right, ctx);
  }
  if (isUnknown(left) || isUnknown(right)) {
    // Still report a wrongly typed known operand.
    if (!isUnknown(left)) numberOperand(left, expr.left, 'left operand', ctx);
    if (!isUnknown(right)) numberOperand(right, expr.right, 'right operand', ctx);
    return UNKNOWN;
  }
  const a = numberOperand(left, expr.left, 'left operand', ctx);
  const b = numberOperand(right, expr.right, 'right operand', ctx);
  if (a === undefined || b === undefined) return UNKNOWN;
  switch (expr.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0) return ctx.fail('Invalid operation', expr.op === '/' ? 'Division by zero.' : 'Modulo by zero.', expr.range);
      return expr.op === '/' ? a / b : a % b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}

/** `false && unknown` is false and `true || unknown` is true: the known side decides when it can. */
function evalLogical(expr: BinaryExpr, left: Value, right: Value, ctx: EvalContext): Value {
  const a = isUnknown(left) ? UNKNOWN : boolOperand(left, expr.left, 'left operand', ctx);
  const b = isUnknown(right) ? UNKNOWN : boolOperand(right, expr.right, 'right operand', ctx);
  if (a === undefined || b === undefined) return UNKNOWN;
  const decisive = expr.op === '&&' ? false : true;
  if (a === decisive || b === decisive) return decisive;
  if (isUnknown(a) || isUnknown(b)) return UNKNOWN;
  return !decisive;
}

function numberOperand(value: Value, at: Expr, which: string, ctx: EvalContext): number | undefined {
  const n = value === null ? undefined : toNumberValue(value);
  if (n === undefined) ctx.fail('Invalid operand', `Unsuitable value for ${which}: a number is required${value === null ? ', but the value is null' : ''}.`, at.range);
  return n;
}

function boolOperand(value: Value, at: Expr, which: string, ctx: EvalContext): boolean | undefined {
  const b = value === null ? undefined : toBoolValue(value);
  if (b === undefined) ctx.fail('Invalid operand', `Unsuitable value for ${which}: a bool is required${value === null ? ', but the value is null' : ''}.`, at.range);
  return b;
}

export function* evalConditional(expr: ConditionalExpr, ctx: EvalContext): Evaluation {
  const cond = yield expr.cond;
  if (isUnknown(cond)) {
    // Both branches are still evaluated so their errors are reported now rather than at apply.
    yield expr.then;
    yield expr.else;
    return UNKNOWN;
  }
  const b = cond === null ? undefined : toBoolValue(cond);
  if (b === undefined) {
    return ctx.fail('Incorrect condition type', `The condition expression must be of type bool${cond === null ? ', but it is null' : ''}.`, expr.cond.range);
  }
  return yield b ? expr.then : expr.else;
}
