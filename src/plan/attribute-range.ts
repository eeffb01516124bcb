/**
 * Where in a resource body an attribute path's value is written, so a provider's complaint about
 * `network[0].ip` puts the caret on that value whether it was written as a nested block
 * (`network { ip = ... }`) or as an expression (`network = [{ ip = ... }]`).
 */
import type { Body, Expr, Range } from '../config/ast.js';
import { findReferences } from './config-api.js';

/** The range of the value at `path`, or of the closest enclosing value written in the body. */
export function attributeRange(body: Body, path: readonly string[]): Range | undefined {
  const [name, ...rest] = path;
  if (name === undefined) return undefined;
  const attribute = body.items.find((i) => i.kind === 'attribute' && i.name === name);
  if (attribute?.kind === 'attribute') return expressionRange(attribute.expr, rest);
  const found = body.items.filter((i) => i.kind === 'block' && i.type === name);
  const first = rest[0];
  const indexed = first !== undefined && /^\d+$/.test(first);
  const block = found[indexed ? Number(first) : 0] ?? found[0];
  if (block?.kind !== 'block') return undefined;
  const inner = indexed ? rest.slice(1) : rest;
  return (inner.length > 0 ? attributeRange(block.body, inner) : undefined) ?? block.typeRange;
}

/** The range of the part of `expr` at `path`, in a loop: parentheses may nest 10,000 deep. */
function expressionRange(root: Expr, path: readonly string[]): Range {
  let expr = root;
  for (let i = 0; i < path.length; ) {
    const step = path[i]!;
    let next: Expr | undefined;
    if (expr.kind === 'paren') next = expr.expr;
    else if (expr.kind === 'tuple' && /^\d+$/.test(step)) next = expr.items[Number(step)];
    else if (expr.kind === 'object') next = expr.items.find((item) => literalKey(item.key) === step)?.value;
    if (!next) return expr.range;
    if (expr.kind !== 'paren') i++;
    expr = next;
  }
  return expr.range;
}

function literalKey(key: Expr): string | undefined {
  if (key.kind === 'literal' && typeof key.value === 'string') return key.value;
  if (key.kind === 'template' && key.parts.length === 1 && key.parts[0]!.kind === 'literal') return key.parts[0]!.value;
  return undefined;
}

/** The resource types (`lxc`, `vm`...) the expression of top-level attribute `name` refers to. */
export function referencedTypes(body: Body, name: string): string[] {
  const attribute = body.items.find((i) => i.kind === 'attribute' && i.name === name);
  if (attribute?.kind !== 'attribute') return [];
  const types = findReferences(attribute.expr).flatMap((r) => (r.kind === 'resource' ? [r.address.split('.')[0]!] : []));
  return [...new Set(types)];
}
