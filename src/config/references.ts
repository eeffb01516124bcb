/**
 * Static references of expressions and bodies (`var.x`, `local.y`, `lxc.web`, `each`...), without
 * evaluating anything. The loader uses them to report undeclared names and the graph to order resources.
 * Iteration variables of `for` expressions and template `%{for}` directives are not references.
 */
import type { Body, Expr, TemplatePart } from './ast.js';
import type { Reference } from './model.js';
import { SourceRange } from './source-range.js';

export const NON_RESOURCE_ROOTS: ReadonlySet<string> = new Set(['var', 'local', 'each', 'count', 'path', 'node', 'self', 'terraform']);

/** Names bound by enclosing `for`s: none at the top of an expression (never mutated; see withNames). */
const NOTHING_BOUND: ReadonlySet<string> = new Set();

export function findReferences(expr: Expr): Reference[] {
  const out: Reference[] = [];
  visitExpr(expr, NOTHING_BOUND, out);
  return out;
}

export function bodyReferences(body: Body): Reference[] {
  const out: Reference[] = [];
  visitBody(body, out);
  return out;
}

function visitBody(body: Body, out: Reference[]): void {
  for (const item of body.items) {
    if (item.kind === 'attribute') visitExpr(item.expr, NOTHING_BOUND, out);
    else visitBody(item.body, out);
  }
}

type Pending = { expr: Expr; bound: ReadonlySet<string> } | { parts: readonly TemplatePart[]; bound: ReadonlySet<string> };

/**
 * Depth-first, left to right, with an explicit stack: a 4,000-term `1 + 1 + ...` is a tree 4,000
 * levels deep, past what recursion on the call stack survives.
 */
function visitExpr(root: Expr, rootBound: ReadonlySet<string>, out: Reference[]): void {
  const stack: Pending[] = [{ expr: root, bound: rootBound }];
  // Children are pushed in reverse so they come off the stack in source order.
  const push = (bound: ReadonlySet<string>, ...exprs: (Expr | undefined)[]): void => {
    for (let i = exprs.length - 1; i >= 0; i--) if (exprs[i]) stack.push({ expr: exprs[i]!, bound });
  };
  while (stack.length > 0) {
    const next = stack.pop()!;
    if ('parts' in next) {
      pushParts(next.parts, next.bound, stack);
      continue;
    }
    const { expr, bound } = next;
    switch (expr.kind) {
      case 'literal':
      case 'splatItem':
        break;
      case 'scope':
      case 'getattr':
      case 'index': {
        const ref = referenceOf(expr, bound);
        if (ref) out.push(ref);
        // Index keys inside the traversal may themselves reference things: `lxc.web[var.i]`.
        const keys: Expr[] = [];
        for (let e: Expr = expr; e.kind === 'getattr' || e.kind === 'index'; e = e.target) {
          if (e.kind === 'index') keys.push(e.key);
        }
        const rootExpr = rootOf(expr);
        push(bound, ...keys, rootExpr.kind !== 'scope' ? rootExpr : undefined);
        break;
      }
      case 'template':
        stack.push({ parts: expr.parts, bound });
        break;
      case 'tuple':
        push(bound, ...expr.items);
        break;
      case 'object':
        push(bound, ...expr.items.flatMap((item) => (item.bareKey || item.ambiguousKey ? [item.value] : [item.key, item.value])));
        break;
      case 'paren':
        push(bound, expr.expr);
        break;
      case 'splat':
        push(bound, expr.target, expr.each);
        break;
      case 'call':
        push(bound, ...expr.args);
        break;
      case 'unary':
        push(bound, expr.operand);
        break;
      case 'binary':
        push(bound, expr.left, expr.right);
        break;
      case 'conditional':
        push(bound, expr.cond, expr.then, expr.else);
        break;
      case 'for': {
        const inner = withNames(bound, expr.keyVar, expr.valueVar);
        push(inner, expr.keyExpr, expr.valueExpr, expr.cond);
        push(bound, expr.collection);
        break;
      }
    }
  }
}

/** Template parts onto the stack, in reverse so the first part is visited first. */
function pushParts(parts: readonly TemplatePart[], bound: ReadonlySet<string>, stack: Pending[]): void {
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]!;
    if (part.kind === 'interp') stack.push({ expr: part.expr, bound });
    else if (part.kind === 'if') {
      if (part.else) stack.push({ parts: part.else, bound });
      stack.push({ parts: part.then, bound });
      stack.push({ expr: part.cond, bound });
    } else if (part.kind === 'for') {
      stack.push({ parts: part.body, bound: withNames(bound, part.keyVar, part.valueVar) });
      stack.push({ expr: part.collection, bound });
    }
  }
}

function withNames(bound: ReadonlySet<string>, ...names: (string | undefined)[]): Set<string> {
  const next = new Set(bound);
  for (const n of names) if (n) next.add(n);
  return next;
}

function rootOf(expr: Expr): Expr {
  let e = expr;
  while (e.kind === 'getattr' || e.kind === 'index') e = e.target;
  return e;
}

/** The reference a traversal makes, judged by its root name and first attribute. */
function referenceOf(expr: Expr, bound: ReadonlySet<string>): Reference | undefined {
  const root = rootOf(expr);
  if (root.kind !== 'scope' || bound.has(root.name)) return undefined;
  // The first step after the root, found by walking down from the outermost traversal.
  let first: Expr | undefined;
  for (let e: Expr = expr; e !== root; e = (e as { target: Expr }).target) first = e;
  const name = first?.kind === 'getattr' ? first.name : undefined;
  const range = first ? SourceRange.spanning(root.range, first.range) : root.range;
  switch (root.name) {
    case 'var':
      return name === undefined ? undefined : { kind: 'variable', name, range };
    case 'local':
      return name === undefined ? undefined : { kind: 'local', name, range };
    case 'node':
      return name === undefined ? undefined : { kind: 'node', name, range };
    case 'each':
    case 'count':
    case 'path':
    case 'self':
      return { kind: root.name, range };
    case 'terraform':
      return undefined;
    default:
      return name === undefined ? undefined : { kind: 'resource', address: `${root.name}.${name}`, range };
  }
}
