/**
 * Sensitivity of `for` expressions over a whole resource. The evaluator asks `isSensitive(TYPE.NAME,
 * path)` for the traversal it reads; for `{ for n, a in test_resource.app : n => a.name }` that is the
 * collection `test_resource.app` with path [], which is sensitive as soon as any attribute is. This
 * analysis looks at how each such collection is used: when every occurrence of the collection in the
 * configuration is a `for` collection, and the iteration value is only read through static traversals
 * (`a.name`, `a.network[0].ip`), the question is answered for the attributes actually read
 * (`["*", "name"]`, ...). Anything else (the whole object into an output, `a[var.k]`, `values(...)`)
 * keeps the evaluator's conservative answer. Splats (`R[*].attr`) are handled by the evaluator itself.
 *
 * The refinement is configuration-wide: two `for` expressions over the same resource share the union of
 * the attributes they read (more sensitive than needed, never less).
 */
import type { Body, Expr, TemplatePart } from '../config/ast.js';
import type { Config } from '../config/model.js';

interface Query {
  address: string;
  path: string[];
}

/** Refined answers: evaluator query (address + path) → the element queries that decide it. */
export type SensitivityRefinement = ReadonlyMap<string, readonly Query[]>;

export function queryKey(address: string, path: readonly string[]): string {
  return `${address}${JSON.stringify(path)}`;
}

export function refineForCollections(config: Config): SensitivityRefinement {
  const analysis = new Analysis(config);
  for (const decl of config.resources.values()) {
    for (const e of [...bodyExprs(decl.body), ...(decl.count ? [decl.count] : []), ...(decl.forEach ? [decl.forEach] : [])]) analysis.visit(e, new Map());
  }
  for (const decl of config.nodes.values()) for (const e of bodyExprs(decl.body)) analysis.visit(e, new Map());
  for (const decl of config.outputs.values()) analysis.visit(decl.expr, new Map());
  for (const decl of config.locals.values()) analysis.visit(decl.expr, new Map());
  const refined = new Map<string, Query[]>();
  for (const [key, use] of analysis.forUses) {
    if (!analysis.otherUses.has(key) && !analysis.dynamic.has(use.address)) refined.set(key, use.elements);
  }
  return refined;
}

/** A for iteration variable bound to the elements of a resource collection; reads through it are recorded. */
interface Binding extends Query {
  elements: Query[];
}
type Bindings = ReadonlyMap<string, Binding>;

class Analysis {
  /** Collections used by analysable `for` expressions, with the element queries their bodies make. */
  readonly forUses = new Map<string, { address: string; elements: Query[] }>();
  /** Resource traversals used any other way. */
  readonly otherUses = new Set<string>();
  /** Resources read with a non-constant key somewhere: their runtime paths cannot be predicted. */
  readonly dynamic = new Set<string>();

  constructor(private readonly config: Config) {}

  /** While a node is being analysed, the sub-expressions it asks to visit, in source order. */
  private queued: [Expr, Bindings][] | undefined;

  /**
   * Pre-order, left to right, with an explicit stack (expressions nest up to MAX_NESTING levels): a
   * node's own analysis queues its sub-expressions, which are visited after it.
   */
  visit(root: Expr, rootBound: Bindings): void {
    if (this.queued) {
      this.queued.push([root, rootBound]);
      return;
    }
    const stack: [Expr, Bindings][] = [[root, rootBound]];
    while (stack.length > 0) {
      const [expr, bound] = stack.pop()!;
      const queued: [Expr, Bindings][] = (this.queued = []);
      try {
        this.visitNode(expr, bound);
      } finally {
        this.queued = undefined;
      }
      for (let i = queued.length - 1; i >= 0; i--) stack.push(queued[i]!);
    }
  }

  private visitNode(expr: Expr, bound: Bindings): void {
    switch (expr.kind) {
      case 'scope':
      case 'getattr':
      case 'index':
        return this.traversal(expr, bound);
      case 'for':
        return this.visitFor(expr, bound);
      case 'template':
        return this.parts(expr.parts, bound);
      case 'tuple':
        return expr.items.forEach((i) => this.visit(i, bound));
      case 'object':
        for (const item of expr.items) {
          this.visit(item.key, bound);
          this.visit(item.value, bound);
        }
        return;
      case 'paren':
        return this.visit(expr.expr, bound);
      case 'splat':
        this.visit(expr.target, bound);
        return this.visit(expr.each, bound);
      case 'call':
        return expr.args.forEach((a) => this.visit(a, bound));
      case 'unary':
        return this.visit(expr.operand, bound);
      case 'binary':
        this.visit(expr.left, bound);
        return this.visit(expr.right, bound);
      case 'conditional':
        this.visit(expr.cond, bound);
        this.visit(expr.then, bound);
        return this.visit(expr.else, bound);
      default:
        return;
    }
  }

  private visitFor(expr: Extract<Expr, { kind: 'for' }>, bound: Bindings): void {
    const collection = this.resourcePath(expr.collection, bound);
    const inner = new Map(bound);
    if (expr.keyVar) inner.delete(expr.keyVar);
    inner.delete(expr.valueVar);
    if (collection && collection.constant && !collection.binding) {
      const key = queryKey(collection.address, collection.path);
      const use = this.forUses.get(key) ?? { address: collection.address, elements: [] };
      this.forUses.set(key, use);
      inner.set(expr.valueVar, { address: collection.address, path: [...collection.path, '*'], elements: use.elements });
      this.visitIndexKeys(expr.collection, bound);
    } else {
      this.visit(expr.collection, bound);
    }
    for (const e of [expr.keyExpr, expr.valueExpr, expr.cond]) if (e) this.visit(e, inner);
  }

  private traversal(expr: Expr, bound: Bindings): void {
    this.visitIndexKeys(expr, bound);
    const found = this.resourcePath(expr, bound);
    if (!found) return;
    if (found.binding) {
      found.binding.elements.push({ address: found.address, path: found.path });
      return;
    }
    if (!found.constant) this.dynamic.add(found.address);
    this.otherUses.add(queryKey(found.address, found.path));
  }

  /** Index keys inside a traversal are expressions of their own (`R[each.key]`, `a[var.k]`). */
  private visitIndexKeys(expr: Expr, bound: Bindings): void {
    for (let e = expr; e.kind === 'getattr' || e.kind === 'index'; e = e.target) {
      if (e.kind === 'index') this.visit(e.key, bound);
    }
    const root = rootOf(expr);
    if (root.kind !== 'scope' && root !== expr) this.visit(root, bound);
  }

  /** `TYPE.NAME.a[0]` or `v.a` (v bound to resource elements) → address and static path. */
  private resourcePath(expr: Expr, bound: Bindings): { address: string; path: string[]; constant: boolean; binding?: Binding } | undefined {
    const steps: string[] = [];
    let constant = true;
    let e = expr;
    for (; e.kind === 'getattr' || e.kind === 'index'; e = e.target) {
      const key = e.kind === 'getattr' ? e.name : constantKey(e.key);
      if (key === undefined) {
        constant = false;
        steps.length = 0; // like the evaluator's path, this one stops at the first non-constant key
      } else steps.unshift(key);
    }
    if (e.kind !== 'scope') return undefined;
    const binding = bound.get(e.name);
    if (binding) return { address: binding.address, path: [...binding.path, ...steps], constant, binding };
    const [name, ...path] = steps;
    const address = `${e.name}.${name}`;
    if (name === undefined || !this.config.resources.has(address)) return undefined;
    return { address, path, constant };
  }

  private parts(parts: readonly TemplatePart[], bound: Bindings): void {
    for (const part of parts) {
      if (part.kind === 'interp') this.visit(part.expr, bound);
      else if (part.kind === 'if') {
        this.visit(part.cond, bound);
        this.parts(part.then, bound);
        if (part.else) this.parts(part.else, bound);
      } else if (part.kind === 'for') {
        this.visit(part.collection, bound);
        const inner = new Map(bound);
        if (part.keyVar) inner.delete(part.keyVar);
        inner.delete(part.valueVar);
        this.parts(part.body, inner);
      }
    }
  }
}

function bodyExprs(body: Body): Expr[] {
  return body.items.flatMap((item) => (item.kind === 'attribute' ? [item.expr] : bodyExprs(item.body)));
}

function rootOf(expr: Expr): Expr {
  let e = expr;
  while (e.kind === 'getattr' || e.kind === 'index') e = e.target;
  return e;
}

function constantKey(e: Expr): string | undefined {
  if (e.kind === 'literal' && e.value !== null) return String(e.value);
  if (e.kind === 'template' && e.parts.length === 1 && e.parts[0]!.kind === 'literal') return e.parts[0]!.value;
  return undefined;
}
