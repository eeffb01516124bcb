/**
 * Function calls: name lookup, argument count and type checks, unknown propagation, and the two special
 * forms `can` and `try`, which evaluate their arguments themselves to observe errors.
 */
import type { CallExpr, Expr } from '../ast.js';
import { kindOf, toBoolValue, toNumberValue, toStringValue } from '../convert.js';
import { appendAll, hasErrors, type Diagnostic } from '../diagnostics.js';
import { containsUnknown, isObject, isUnknown, UNKNOWN, type Value } from '../values.js';
import { EvalContext } from './context.js';
import { evalExpr, type Evaluation } from './evaluate.js';
import { FUNCTION_NAMES, FUNCTIONS } from './functions/index.js';
import { FunctionError, type CallContext, type FunctionDef, type Param } from './functions/types.js';
import { suggest } from './suggest.js';

export function* callFunction(expr: CallExpr, ctx: EvalContext): Evaluation {
  if (expr.name === 'can') return yield* callCan(expr, ctx);
  if (expr.name === 'try') return yield* callTry(expr, ctx);
  const fn = FUNCTIONS.get(expr.name);
  if (!fn) {
    const namespace = expr.name.includes('::') ? expr.name.slice(0, expr.name.lastIndexOf('::') + 2) : '';
    // Provider-defined functions (`provider::ns::f`) belong to Terraform providers; phoenix has none.
    const detail = namespace
      ? `There are no functions in namespace "${namespace}".`
      : `There is no function named "${expr.name}".${suggest(expr.name, FUNCTION_NAMES, '')}`;
    for (const arg of expr.args) yield arg;
    return ctx.fail('Call to unknown function', detail, expr.nameRange);
  }
  const values: Value[] = [];
  for (const arg of expr.args) values.push(yield arg);
  const args = expandArguments(expr, values, ctx);
  if (!args) return UNKNOWN;
  if (!checkArity(expr, fn, args.length, ctx)) return UNKNOWN;
  const converted: Value[] = [];
  let unknownResult = false;
  for (let i = 0; i < args.length; i++) {
    const param = i < fn.params.length ? fn.params[i]! : fn.variadic!;
    const arg = convertArgument(args[i]!, param, argumentExpr(expr, i), ctx);
    if (arg === undefined) return UNKNOWN;
    if (isUnknown(arg) || (!param.allowUnknown && containsUnknown(arg))) unknownResult = true;
    converted.push(arg);
  }
  if (unknownResult) return UNKNOWN;
  const result = fn.impl(converted, ctx.callContext ??= callContext(ctx));
  if (result instanceof FunctionError) {
    const at = result.argIndex !== undefined ? argumentExpr(expr, result.argIndex).range : expr.range;
    return ctx.fail('Error in function call', `Call to function "${expr.name}" failed: ${result.message}`, at);
  }
  return result;
}

/** The expression an argument came from (expanded arguments point at the final one; no arguments: the call). */
function argumentExpr(expr: CallExpr, i: number): Expr {
  return expr.args[Math.min(i, expr.args.length - 1)] ?? expr;
}

function expandArguments(expr: CallExpr, values: Value[], ctx: EvalContext): Value[] | undefined {
  if (!expr.expandFinal || values.length === 0) return values;
  const last = values.pop()!;
  if (isUnknown(last)) return undefined;
  if (!Array.isArray(last)) {
    ctx.fail('Invalid expanding argument value', 'The expanding argument (indicated by ...) must be of a list type.', expr.args[expr.args.length - 1]!.range);
    return undefined;
  }
  return [...values, ...last];
}

function checkArity(expr: CallExpr, fn: FunctionDef, count: number, ctx: EvalContext): boolean {
  if (count < fn.params.length) {
    const missing = fn.params[count]!.name;
    const expects = fn.variadic ? `at least ${fn.params.length}` : `${fn.params.length}`;
    ctx.fail('Not enough function arguments', `Function "${expr.name}" expects ${expects} argument(s). Missing value for "${missing}".`, expr.range);
    return false;
  }
  if (!fn.variadic && count > fn.params.length) {
    ctx.fail('Too many function arguments', `Function "${expr.name}" expects only ${fn.params.length} argument(s).`, argumentExpr(expr, fn.params.length).range);
    return false;
  }
  return true;
}

/** Converts an argument to its parameter's type; undefined (after reporting) when it does not fit. */
function convertArgument(value: Value, param: Param, at: Expr, ctx: EvalContext): Value | undefined {
  if (isUnknown(value)) return value;
  const invalid = (required: string) => {
    ctx.fail('Invalid function argument', `Invalid value for "${param.name}" parameter: ${required}.`, at.range);
    return undefined;
  };
  if (value === null) return param.allowNull ? null : invalid(`argument must not be null`);
  switch (param.type) {
    case 'any':
      return value;
    case 'string':
      return toStringValue(value) ?? invalid(`string required, but have ${kindOf(value)}`);
    case 'number':
      return toNumberValue(value) ?? invalid(`number required, but have ${describe(value)}`);
    case 'bool':
      return toBoolValue(value) ?? invalid(`bool required, but have ${kindOf(value)}`);
    case 'list':
      return Array.isArray(value) ? value : invalid(`list required, but have ${kindOf(value)}`);
    case 'map':
      return isObject(value) ? value : invalid(`map required, but have ${kindOf(value)}`);
    case 'collection':
      return Array.isArray(value) || isObject(value) ? value : invalid(`collection (list or map) required, but have ${kindOf(value)}`);
  }
}

function describe(value: Value): string {
  return typeof value === 'string' ? `string "${value}"` : kindOf(value);
}

function callContext(ctx: EvalContext): CallContext {
  return {
    scope: ctx.scope,
    insideTemplate: ctx.templateVariablesOnly,
    evaluateTemplate(expr, variables) {
      // A template sees only the variables passed to it, like Terraform's templatefile().
      const inner = new EvalContext(ctx.scope, true);
      const value = inner.withFrame(new Map(Object.entries(variables)), () => evalExpr(expr, inner));
      appendAll(ctx.diagnostics, inner.diagnostics);
      if (inner.sensitive) ctx.sensitive = true;
      return hasErrors(inner.diagnostics) ? UNKNOWN : value;
    },
  };
}

/** Evaluates an expression with its diagnostics captured instead of reported. */
function* attempt(expr: Expr, ctx: EvalContext): Generator<Expr, { value: Value; diagnostics: Diagnostic[] }, Value> {
  const saved = ctx.diagnostics;
  ctx.diagnostics = [];
  try {
    const value = yield expr;
    return { value, diagnostics: ctx.diagnostics };
  } finally {
    ctx.diagnostics = saved;
  }
}

function* callCan(expr: CallExpr, ctx: EvalContext): Evaluation {
  if (expr.args.length !== 1) {
    return ctx.fail(expr.args.length === 0 ? 'Not enough function arguments' : 'Too many function arguments', 'Function "can" expects 1 argument(s).', expr.range);
  }
  const { value, diagnostics } = yield* attempt(expr.args[0]!, ctx);
  if (hasErrors(diagnostics)) return false;
  return containsUnknown(value) ? UNKNOWN : true;
}

function* callTry(expr: CallExpr, ctx: EvalContext): Evaluation {
  if (expr.args.length === 0) return ctx.fail('Not enough function arguments', 'Function "try" expects at least one argument.', expr.range);
  const failures: string[] = [];
  for (const arg of expr.args) {
    const { value, diagnostics } = yield* attempt(arg, ctx);
    if (hasErrors(diagnostics)) {
      failures.push(...diagnostics.map((d) => `- ${d.summary}${d.detail ? `: ${d.detail}` : ''}`));
      continue;
    }
    // An unknown result might still fail once known, so the choice is undecided until apply.
    return containsUnknown(value) ? UNKNOWN : value;
  }
  return ctx.fail('Error in function call', `Call to function "try" failed: no expression succeeded:\n${failures.join('\n')}`, expr.range);
}
