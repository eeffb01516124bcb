/** `[for k, v in coll : expr if cond]` and `{for k, v in coll : key => value... if cond}`. */
import type { Expr, ForExpr, Range } from '../ast.js';
import { compareValues, kindOf, toBoolValue, toStringValue } from '../convert.js';
import { isObject, isUnknown, UNKNOWN, type Value, type ValueObject } from '../values.js';
import type { EvalContext } from './context.js';
import type { Evaluation } from './evaluate.js';

/**
 * The (key, value) pairs a for iterates: index/element for lists, key/value in key order for maps.
 * Undefined when the collection is unknown or not iterable (the latter is reported).
 */
export function iterationPairs(collection: Value, range: Range, ctx: EvalContext): [Value, Value][] | undefined {
  if (isUnknown(collection)) return undefined;
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (isObject(collection)) return Object.keys(collection).sort(compareValues).map((k) => [k, collection[k]!]);
  ctx.fail('Iteration over non-iterable value', `A value of type ${kindOf(collection)} cannot be used as the collection in a 'for' expression.`, range);
  return undefined;
}

export function* evalFor(expr: ForExpr, ctx: EvalContext): Evaluation {
  const collection = yield expr.collection;
  const pairs = iterationPairs(collection, expr.collection.range, ctx);
  if (!pairs) return UNKNOWN;
  const vars = new Map<string, Value>();
  const restore = ctx.enterFrame(vars);
  try {
    const list: Value[] = [];
    const grouped = new Map<string, Value[]>();
    const object: ValueObject = {};
    let known = true;
    for (const [key, value] of pairs) {
      if (expr.keyVar) vars.set(expr.keyVar, key);
      vars.set(expr.valueVar, value);
      const include = expr.cond ? condition(yield expr.cond, expr.cond, ctx) : true;
      if (include === undefined) {
        known = false;
        continue;
      }
      if (!include) continue;
      if (!expr.isObject) {
        list.push(yield expr.valueExpr);
        continue;
      }
      const k = objectKey(yield expr.keyExpr!, expr.keyExpr!, ctx);
      const v = yield expr.valueExpr;
      if (k === undefined) {
        known = false;
        continue;
      }
      if (expr.group) {
        const group = grouped.get(k);
        if (group) group.push(v);
        else grouped.set(k, [v]);
      } else if (Object.prototype.hasOwnProperty.call(object, k)) {
        ctx.fail('Duplicate object key', `Two different items produced the key "${k}" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`, expr.keyExpr!.range);
      } else object[k] = v;
    }
    if (!known) return UNKNOWN;
    if (!expr.isObject) return list;
    if (expr.group) for (const [k, vs] of grouped) object[k] = vs;
    return object;
  } finally {
    restore();
  }
}

/** The filter's result; undefined when unknown or invalid (the whole result then is unknown). */
function condition(value: Value, cond: Expr, ctx: EvalContext): boolean | undefined {
  if (isUnknown(value)) return undefined;
  const b = value === null ? undefined : toBoolValue(value);
  if (b === undefined) ctx.fail('Invalid \'for\' condition', 'The \'if\' clause value must be a bool.', cond.range);
  return b;
}

function objectKey(key: Value, keyExpr: Expr, ctx: EvalContext): string | undefined {
  if (isUnknown(key)) return undefined;
  const s = key === null ? undefined : toStringValue(key);
  if (s === undefined) ctx.fail('Invalid object key', 'The key expression produced an invalid result: string required.', keyExpr.range);
  return s;
}
