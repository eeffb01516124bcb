/**
 * `moved` blocks (Terraform's refactoring syntax): `moved { from = lxc.db  to = lxc.database }` tells
 * the planner that the object recorded at `from` is now declared at `to`, so it is renamed in state
 * instead of destroyed and created. `from` and `to` are static addresses of resources (`lxc.db`) or
 * resource instances (`lxc.app[0]`, `lxc.app["web"]`) of the same resource type. Rules that need the
 * whole configuration and the state (chains, cycles, a `from` still declared, a `to` already taken)
 * are checked by the planner (plan/moves.ts).
 */
import type { Attribute, Block, Expr, Range } from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';

export interface MovedDecl {
  /** Resource (`lxc.db`) or instance (`lxc.app[0]`, `lxc.app["a"]`) address, in Terraform's spelling. */
  from: string;
  to: string;
  fromRange: Range;
  toRange: Range;
  range: Range;
}

/** The address an expression spells, when it is a static `TYPE.NAME` or `TYPE.NAME[KEY]` traversal. */
export function staticAddress(expr: Expr): string | undefined {
  let index = '';
  let target = expr;
  if (target.kind === 'index') {
    const key = literalKey(target.key);
    if (key === undefined) return undefined;
    index = typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
    target = target.target;
  }
  if (target.kind !== 'getattr' || target.target.kind !== 'scope') return undefined;
  return `${target.target.name}.${target.name}${index}`;
}

/** A count index (whole number) or a for_each key written as a plain string. */
function literalKey(key: Expr): number | string | undefined {
  if (key.kind === 'literal') {
    if (typeof key.value === 'number' && Number.isInteger(key.value) && key.value >= 0) return key.value;
    return undefined;
  }
  if (key.kind !== 'template' || key.heredoc) return undefined;
  const parts = key.parts;
  if (!parts.every((p) => p.kind === 'literal')) return undefined;
  return parts.map((p) => (p.kind === 'literal' ? p.value : '')).join('');
}

const typeOf = (address: string): string => address.slice(0, address.indexOf('.'));

export function decodeMoved(block: Block, from: Attribute | undefined, to: Attribute | undefined): { decl?: MovedDecl; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (const [name, attr] of [['from', from], ['to', to]] as const) {
    if (!attr) diagnostics.push(error('Missing required argument', `The argument "${name}" is required, but no definition was found.`, block.typeRange));
  }
  if (!from || !to) return { diagnostics };
  const fromAddress = staticAddress(from.expr);
  const toAddress = staticAddress(to.expr);
  for (const [attr, address] of [[from, fromAddress], [to, toAddress]] as const) {
    if (address === undefined) {
      diagnostics.push(
        error(
          'Invalid address',
          'A moved block takes a static resource or resource instance address such as lxc.db, lxc.app[0] or lxc.app["web"], not an expression or a string.',
          attr.expr.range,
        ),
      );
    }
  }
  if (fromAddress === undefined || toAddress === undefined) return { diagnostics };
  if (typeOf(fromAddress) !== typeOf(toAddress)) {
    diagnostics.push(
      error(
        'Resource type mismatch',
        `This statement declares a move from ${fromAddress} to ${toAddress}, which is a resource of a different type. An object can only move to an address of its own type.`,
        block.range,
      ),
    );
    return { diagnostics };
  }
  if (fromAddress === toAddress) {
    diagnostics.push(error('Redundant move statement', `This statement declares a move from ${fromAddress} to the same address.`, block.range));
    return { diagnostics };
  }
  return { decl: { from: fromAddress, to: toAddress, fromRange: from.expr.range, toRange: to.expr.range, range: block.range }, diagnostics };
}
