/**
 * Traversals after a term: attribute access, indexes (including HIL's legacy `.N`), and splats, as
 * hclsyntax's parseExpressionTraversals builds them.
 */
import type { Expr, Pos } from '../ast.js';
import type { Token } from '../tokens.js';
import type { Cursor } from './cursor.js';
import { expected, parseExpr } from './expressions.js';

/**
 * Attribute access, indexes and splats after a term, as HashiCorp's parseExpressionTraversals: a full
 * splat `[*]` takes every traversal step after it (nested splats and legacy `.N` indexes included) as
 * the expression applied to each element.
 */
export function parsePostfix(c: Cursor, target: Expr): Expr {
  let expr = target;
  for (;;) {
    if (c.isPunct('.')) {
      c.next();
      const step = c.peek();
      if (step.type === 'ident') {
        c.next();
        expr = { kind: 'getattr', target: expr, name: step.text, range: c.range(expr.range.start) };
      } else if (step.type === 'number') {
        c.next();
        expr = legacyIndex(c, expr, step, expr.range.start, 'Use the proper index syntax instead');
      } else if (step.type === 'punct' && step.text === '*') {
        c.next();
        expr = parseAttributeSplat(c, expr, step);
      } else {
        c.report('Invalid attribute name', 'An attribute name is required after a dot.', c.tokenRange(step));
        return expr;
      }
    } else if (c.isPunct('[')) {
      // `[` on a new line is a new tuple, not an index; the cursor only sees it here if newlines are ignored.
      const open = c.next();
      if (c.isPunct('*')) {
        c.next();
        if (!c.eatPunct(']')) {
          expected(c, 'Missing close bracket on splat index', 'The star for a full splat operator must be immediately followed by a closing bracket ("]").');
          c.withNewlines(false, () => c.recoverTo(']'));
        }
        const item: Expr = { kind: 'splatItem', range: c.range(open.start) };
        if (!c.enter()) return expr;
        const each = parsePostfix(c, item);
        c.leave();
        expr = { kind: 'splat', target: expr, each, full: true, range: c.range(expr.range.start) };
        continue;
      }
      c.pushNewlines(false);
      const key = parseExpr(c);
      if (!c.eatPunct(']')) {
        expected(c, 'Missing close bracket on index', 'The index operator must end with a closing bracket ("]").');
        c.recoverTo(']');
      }
      c.popNewlines();
      expr = { kind: 'index', target: expr, key, range: c.range(expr.range.start) };
    } else {
      return expr;
    }
  }
}

/**
 * `a.0` (inherited from HIL): a number after a dot indexes. `a.0.1` arrives as the one number token
 * `0.1`, which HCL rejects rather than guess; `a.1e5` is index 100000.
 */
function legacyIndex(c: Cursor, target: Expr, number: Token, start: Pos, advice: string): Expr {
  const dot = number.text.indexOf('.');
  if (dot >= 0) {
    const [first, second] = [number.text.slice(0, dot), number.text.slice(dot + 1)];
    const detail = `When using the legacy index syntax, chaining two indexes together is not permitted. ${advice}, like [${first}][${second}].`;
    c.report('Invalid legacy index syntax', detail, c.tokenRange(number));
  }
  const key: Expr = { kind: 'literal', value: dot >= 0 ? null : Number(number.text), range: c.tokenRange(number) };
  return { kind: 'index', target, key, range: c.range(start) };
}

/** After `.*`: only attribute names and legacy indexes apply to each element (HIL's splat). */
function parseAttributeSplat(c: Cursor, target: Expr, star: Token): Expr {
  const item: Expr = { kind: 'splatItem', range: c.tokenRange(star) };
  let each: Expr = item;
  while (c.isPunct('.')) {
    c.next();
    const step = c.peek();
    if (step.type === 'number') {
      c.next();
      each = legacyIndex(c, each, step, item.range.start, 'Use the proper index syntax with a full splat expression [*] instead');
    } else if (step.type === 'ident') {
      c.next();
      each = { kind: 'getattr', target: each, name: step.text, range: c.range(item.range.start) };
    } else if (step.type === 'punct' && step.text === '*') {
      c.report('Nested splat expression not allowed', 'A splat expression (*) cannot be used inside another attribute-only splat expression.', c.tokenRange(step));
      c.next();
      break;
    } else {
      c.report('Invalid attribute name', 'An attribute name is required after a dot.', c.tokenRange(step));
      break;
    }
  }
  return { kind: 'splat', target, each, full: false, range: c.range(target.range.start) };
}
