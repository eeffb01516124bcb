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

function visitExpr(expr: Expr, bound: ReadonlySet<string>, out: Reference[]): void {
  switch (expr.kind) {
    case 'literal':
    case 'splatItem':
      return;
    case 'scope':
    case 'getattr':
    case 'index': {
      const ref = referenceOf(expr, bound);
      if (ref) out.push(ref);
      // Index keys inside the traversal may themselves reference things: `lxc.web[var.i]`.
      for (let e: Expr = expr; e.kind === 'getattr' || e.kind === 'index'; e = e.target) {
        if (e.kind === 'index') visitExpr(e.key, bound, out);
      }
      const root = rootOf(expr);
      if (root.kind !== 'scope') visitExpr(root, bound, out);
      return;
    }
    case 'template':
      visitParts(expr.parts, bound, out);
      return;
    case 'tuple':
      for (const item of expr.items) visitExpr(item, bound, out);
      return;
    case 'object':
      for (const item of expr.items) {
        if (!item.bareKey && !item.ambiguousKey) visitExpr(item.key, bound, out);
        visitExpr(item.value, bound, out);
      }
      return;
    case 'paren':
      visitExpr(expr.expr, bound, out);
      return;
    case 'splat':
      visitExpr(expr.target, bound, out);
      visitExpr(expr.each, bound, out);
      return;
    case 'call':
      for (const arg of expr.args) visitExpr(arg, bound, out);
      return;
    case 'unary':
      visitExpr(expr.operand, bound, out);
      return;
    case 'binary':
      visitExpr(expr.left, bound, out);
      visitExpr(expr.right, bound, out);
      return;
    case 'conditional':
      visitExpr(expr.cond, bound, out);
      visitExpr(expr.then, bound, out);
      visitExpr(expr.else, bound, out);
      return;
    case 'for': {
      visitExpr(expr.collection, bound, out);
      const inner = withNames(bound, expr.keyVar, expr.valueVar);
      if (expr.keyExpr) visitExpr(expr.keyExpr, inner, out);
      visitExpr(expr.valueExpr, inner, out);
      if (expr.cond) visitExpr(expr.cond, inner, out);
      return;
    }
  }
}

function visitParts(parts: readonly TemplatePart[], bound: ReadonlySet<string>, out: Reference[]): void {
  for (const part of parts) {
    if (part.kind === 'interp') visitExpr(part.expr, bound, out);
    else if (part.kind === 'if') {
      visitExpr(part.cond, bound, out);
      visitParts(part.then, bound, out);
      if (part.else) visitParts(part.else, bound, out);
    } else if (part.kind === 'for') {
      visitExpr(part.collection, bound, out);
      visitParts(part.body, withNames(bound, part.keyVar, part.valueVar), out);
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
