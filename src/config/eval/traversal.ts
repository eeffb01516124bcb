/**
 * References and traversals: `var.x`, `local.x`, `each.key`, `count.index`, `path.root`, `node.NAME`,
 * `TYPE.NAME...`, for-variables, attribute access, indexing and splats.
 */
import type { Expr, GetAttrExpr, IndexExpr, Range, ScopeExpr, SplatExpr } from '../ast.js';
import { toNumberValue, toStringValue, kindOf } from '../convert.js';
import { NON_RESOURCE_ROOTS } from '../references.js';
import { isObject, isUnknown, UNKNOWN, type Value } from '../values.js';
import type { EvalContext } from './context.js';
import { suggest } from './suggest.js';
import type { Evaluation } from './evaluate.js';


type Step = { kind: 'attr'; name: string; range: Range } | { kind: 'index'; key: Expr; range: Range };

interface Chain {
  root: ScopeExpr;
  steps: Step[];
}

/** Flattens `a.b[0].c` into its root and steps, or returns undefined when not rooted at a name. */
function chainOf(expr: Expr): Chain | undefined {
  const steps: Step[] = [];
  let e = expr;
  while (e.kind === 'getattr' || e.kind === 'index') {
    steps.push(e.kind === 'getattr' ? { kind: 'attr', name: e.name, range: e.range } : { kind: 'index', key: e.key, range: e.range });
    e = e.target;
  }
  if (e.kind !== 'scope') return undefined;
  steps.reverse();
  return { root: e, steps };
}

export function* evalTraversal(expr: ScopeExpr | GetAttrExpr | IndexExpr, ctx: EvalContext, checkSensitive = true): Evaluation {
  const chain = chainOf(expr);
  if (!chain) {
    // A traversal of a computed value, e.g. `f(x).a` or `[1, 2][0]`.
    const e = expr as GetAttrExpr | IndexExpr;
    const target = yield e.target;
    return e.kind === 'getattr' ? getAttr(target, e.name, e.range, ctx) : index(target, yield e.key, e.range, ctx);
  }
  const { root, steps } = chain;
  if (ctx.hasIterationVariable(root.name)) {
    return yield* applySteps(ctx.lookupIterationVariable(root.name)!, steps, 0, ctx);
  }
  if (ctx.templateVariablesOnly) {
    const detail = `The template refers to "${root.name}", which is not among the variables passed to templatefile().${suggest(root.name, ctx.iterationVariableNames(), '')}`;
    return ctx.fail('Unknown template variable', detail, root.range);
  }
  if (!NON_RESOURCE_ROOTS.has(root.name)) return yield* evalResource(root, steps, ctx, checkSensitive);
  const first = steps[0];
  if (first?.kind !== 'attr') {
    return ctx.fail('Invalid reference', rootWithoutAttributeDetail(root.name), first?.range ?? root.range);
  }
  const value = evalRootAttribute(root, first.name, first.range, ctx);
  return yield* applySteps(value, steps, 1, ctx);
}

function rootWithoutAttributeDetail(name: string): string {
  return `The "${name}" object cannot be accessed directly. Instead, access one of its attributes.`;
}

function evalRootAttribute(root: ScopeExpr, name: string, range: Range, ctx: EvalContext): Value {
  const scope = ctx.scope;
  switch (root.name) {
    case 'var': {
      if (!Object.prototype.hasOwnProperty.call(scope.variables, name)) {
        return ctx.fail('Reference to undeclared input variable', `An input variable with the name "${name}" has not been declared.${suggest(name, Object.keys(scope.variables), 'var.')}`, range);
      }
      if (scope.sensitiveVariables.has(name)) ctx.sensitive = true;
      return scope.variables[name]!;
    }
    case 'local': {
      if (!Object.prototype.hasOwnProperty.call(scope.locals, name)) {
        return ctx.fail('Reference to undeclared local value', `A local value with the name "${name}" has not been declared.${suggest(name, Object.keys(scope.locals), 'local.')}`, range);
      }
      if (scope.sensitiveLocals?.has(name)) ctx.sensitive = true;
      return scope.locals[name]!;
    }
    case 'each': {
      if (!scope.each) {
        return ctx.fail('Reference to "each" in context without for_each', 'The "each" object can be used only in "resource" blocks, and only when the "for_each" argument is set.', range);
      }
      if (name === 'key') return scope.each.key;
      if (name === 'value') return scope.each.value;
      return ctx.fail('Invalid "each" attribute', `The "each" object does not have an attribute named "${name}". The supported attributes are each.key and each.value.`, range);
    }
    case 'count': {
      if (!scope.count) {
        return ctx.fail('Reference to "count" in non-counted context', 'The "count" object can be used only in "resource" blocks, and only when the "count" argument is set.', range);
      }
      if (name === 'index') return scope.count.index;
      return ctx.fail('Invalid "count" attribute', `The "count" object does not have an attribute named "${name}". The only supported attribute is count.index.`, range);
    }
    case 'path': {
      if (name === 'root' || name === 'module') return scope.path.root;
      if (name === 'cwd') return scope.path.cwd;
      return ctx.fail('Invalid "path" attribute', `The "path" object does not have an attribute named "${name}". The supported attributes are path.root, path.module and path.cwd.`, range);
    }
    case 'node': {
      if (!scope.node) return { name };
      const value = scope.node(name);
      if (value === undefined) return ctx.fail('Reference to undeclared node', `A node named "${name}" has not been declared.`, range);
      return value;
    }
    default:
      return ctx.fail('Invalid reference', `"${root.name}" references are not supported here.`, root.range);
  }
}

function* evalResource(root: ScopeExpr, steps: Step[], ctx: EvalContext, checkSensitive: boolean): Evaluation {
  const first = steps[0];
  if (first?.kind !== 'attr') {
    const detail = `A reference to a resource type must be followed by at least one attribute access, specifying the resource name.`;
    return ctx.fail('Invalid reference', detail, first?.range ?? root.range);
  }
  const address = `${root.name}.${first.name}`;
  const resource = ctx.scope.resource(address);
  if (resource === undefined) {
    const candidates = ctx.scope.resourceAddresses?.() ?? [];
    const detail = `A resource "${root.name}" "${first.name}" has not been declared.${suggest(address, candidates, '')}`;
    return ctx.fail('Reference to undeclared resource', detail, first.range);
  }
  const path: string[] = [];
  const value = yield* applySteps(resource, steps, 1, ctx, checkSensitive && ctx.scope.isSensitive ? path : undefined);
  if (checkSensitive && ctx.scope.isSensitive?.(address, path)) ctx.sensitive = true;
  return value;
}

/** Applies steps[from..] to a value; when `path` is given, records the keys used (for sensitivity). */
function* applySteps(value: Value, steps: Step[], from: number, ctx: EvalContext, path?: string[]): Evaluation {
  let v = value;
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.kind === 'attr') {
      path?.push(step.name);
      v = getAttr(v, step.name, step.range, ctx);
    } else {
      const key = yield step.key;
      const text = toStringValue(key);
      if (path && text !== undefined) path.push(text);
      else path = undefined;
      v = index(v, key, step.range, ctx);
    }
  }
  return v;
}

export function getAttr(target: Value, name: string, range: Range, ctx: EvalContext): Value {
  if (isUnknown(target)) return UNKNOWN;
  if (isObject(target)) {
    if (Object.prototype.hasOwnProperty.call(target, name)) return target[name]!;
    return ctx.fail('Unsupported attribute', `This object does not have an attribute named "${name}".${suggest(name, Object.keys(target), '')}`, range);
  }
  if (target === null) return ctx.fail('Attempt to get attribute from null value', 'This value is null, so it does not have any attributes.', range);
  if (Array.isArray(target)) {
    const detail = `Can't access attributes on a list of objects. Did you mean to access attribute "${name}" for a specific element of the list, or across all elements of the list ([*].${name})?`;
    return ctx.fail('Unsupported attribute', detail, range);
  }
  return ctx.fail('Unsupported attribute', `Can't access attributes on a primitive-typed value (${kindOf(target)}).`, range);
}

export function index(target: Value, key: Value, range: Range, ctx: EvalContext): Value {
  if (isUnknown(target) || isUnknown(key)) return UNKNOWN;
  if (target === null) return ctx.fail('Attempt to index null value', 'This value is null, so it does not have any indices.', range);
  if (key === null) return ctx.fail('Invalid index', 'Can\'t use a null value as an indexing key.', range);
  if (Array.isArray(target)) {
    const i = toNumberValue(key);
    if (i === undefined || !Number.isInteger(i)) return ctx.fail('Invalid index', 'The given key does not identify an element in this collection value: a whole number is required.', range);
    if (i < 0 || i >= target.length) {
      return ctx.fail('Invalid index', `The given key does not identify an element in this collection value: index ${i} is out of range for a list of ${target.length} elements.`, range);
    }
    return target[i]!;
  }
  if (isObject(target)) {
    const k = toStringValue(key);
    if (k === undefined) return ctx.fail('Invalid index', 'The given key does not identify an element in this collection value: a string key is required.', range);
    if (Object.prototype.hasOwnProperty.call(target, k)) return target[k]!;
    return ctx.fail('Invalid index', `The given key does not identify an element in this collection value: no element with key "${k}".${suggest(k, Object.keys(target), '')}`, range);
  }
  return ctx.fail('Invalid index', `This value does not have any indices (it is a ${kindOf(target)}).`, range);
}

/**
 * `target[*].rest`: applies `rest` to every element. A null target gives an empty list and a single
 * non-list value is treated as a one-element list, as in Terraform.
 */
export function* evalSplat(expr: SplatExpr, ctx: EvalContext): Evaluation {
  const resourcePath = ctx.scope.isSensitive ? staticResourcePath(expr) : undefined;
  const target = isTraversal(expr.target) ? yield* evalTraversal(expr.target, ctx, resourcePath === undefined) : yield expr.target;
  if (resourcePath && ctx.scope.isSensitive!(resourcePath.address, resourcePath.path)) ctx.sensitive = true;
  if (isUnknown(target)) return UNKNOWN;
  if (target === null) return [];
  const items = Array.isArray(target) ? target : [target];
  const saved = ctx.splatItem;
  const out: Value[] = [];
  try {
    for (const item of items) {
      ctx.splatItem = item;
      out.push(yield expr.each);
    }
  } finally {
    ctx.splatItem = saved;
  }
  return out;
}

function isTraversal(e: Expr): e is ScopeExpr | GetAttrExpr | IndexExpr {
  return e.kind === 'scope' || e.kind === 'getattr' || e.kind === 'index';
}

/** `TYPE.NAME[...]...[*].a.b` → { address, path: [..., "*", "a", "b"] } using constant keys only. */
function staticResourcePath(expr: SplatExpr): { address: string; path: string[] } | undefined {
  const chain = chainOf(expr.target);
  if (!chain || NON_RESOURCE_ROOTS.has(chain.root.name) || chain.steps[0]?.kind !== 'attr') return undefined;
  const path: string[] = [];
  for (const step of chain.steps.slice(1)) {
    const key = step.kind === 'attr' ? step.name : constantKey(step.key);
    if (key === undefined) break;
    path.push(key);
  }
  path.push('*');
  let e = expr.each;
  const tail: string[] = [];
  while (e.kind === 'getattr' || e.kind === 'index') {
    const key = e.kind === 'getattr' ? e.name : constantKey(e.key);
    if (key === undefined) tail.length = 0;
    else tail.unshift(key);
    e = e.target;
  }
  return { address: `${chain.root.name}.${chain.steps[0].name}`, path: [...path, ...tail] };
}

function constantKey(e: Expr): string | undefined {
  if (e.kind === 'literal' && e.value !== null) return String(e.value);
  if (e.kind === 'template' && e.parts.length === 1 && e.parts[0]!.kind === 'literal') return e.parts[0]!.value;
  return undefined;
}
