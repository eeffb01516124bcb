/** String templates: quoted strings and heredocs with `${...}` interpolation and `%{if}`/`%{for}` directives. */
import type { Expr, Range, TemplateExpr, TemplatePart } from '../ast.js';
import { kindOf, toBoolValue, toStringValue } from '../convert.js';
import { isUnknown, UNKNOWN, type Value } from '../values.js';
import type { EvalContext } from './context.js';
import type { Evaluation } from './evaluate.js';
import { iterationPairs } from './for.js';
import { nfc } from '../syntax/templates.js';

export function* evalTemplate(expr: TemplateExpr, ctx: EvalContext): Evaluation {
  const parts = expr.parts;
  // `"${x}"` alone yields x's own value (a list stays a list), as in HCL.
  if (parts.length === 1 && parts[0]!.kind === 'interp' && !expr.heredoc) return yield parts[0]!.expr;
  if (parts.length === 1 && parts[0]!.kind === 'literal') return parts[0]!.value;
  const out: string[] = [];
  // Joining can put a combining mark after a base character: normalise the whole result, as cty does.
  return (yield* renderParts(parts, ctx, out)) ? nfc(out.join('')) : UNKNOWN;
}

/** Appends the rendering of parts to `out`; false when some part is unknown (the whole string then is). */
function* renderParts(parts: readonly TemplatePart[], ctx: EvalContext, out: string[]): Generator<Expr, boolean, Value> {
  let known = true;
  for (const part of parts) {
    switch (part.kind) {
      case 'literal':
        out.push(part.value);
        break;
      case 'interp': {
        const s = interpolation(yield part.expr, part.range, ctx);
        if (s === undefined) known = false;
        else out.push(s);
        break;
      }
      case 'if': {
        const cond = yield part.cond;
        if (isUnknown(cond)) {
          known = false;
          break;
        }
        const b = cond === null ? undefined : toBoolValue(cond);
        if (b === undefined) {
          ctx.fail('Invalid template directive', 'The condition of an %{if} directive must be a bool.', part.cond.range);
          known = false;
        } else if (b) known = (yield* renderParts(part.then, ctx, out)) && known;
        else if (part.else) known = (yield* renderParts(part.else, ctx, out)) && known;
        break;
      }
      case 'for': {
        const collection = yield part.collection;
        const pairs = iterationPairs(collection, part.collection.range, ctx);
        if (!pairs) {
          known = false;
          break;
        }
        const vars = new Map<string, Value>();
        const restore = ctx.enterFrame(vars);
        try {
          for (const [key, value] of pairs) {
            if (part.keyVar) vars.set(part.keyVar, key);
            vars.set(part.valueVar, value);
            known = (yield* renderParts(part.body, ctx, out)) && known;
          }
        } finally {
          restore();
        }
        break;
      }
    }
  }
  return known;
}

function interpolation(value: Value, range: Range, ctx: EvalContext): string | undefined {
  if (isUnknown(value)) return undefined;
  if (value === null) {
    ctx.fail('Invalid template interpolation value', 'The expression result is null. Cannot include a null value in a string template.', range);
    return undefined;
  }
  const s = toStringValue(value);
  if (s === undefined) {
    ctx.fail('Invalid template interpolation value', `Cannot include the given value in a string template: string required, but have ${kindOf(value)}.`, range);
  }
  return s;
}
