/**
 * Type constraints and conversions, following Terraform's rules: primitives convert between each other
 * where the text allows it (number ↔ string, bool ↔ string), tuples become lists, objects become maps,
 * null converts to every type and unknown stays unknown. Object types drop attributes they do not declare.
 */
import type { Expr } from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { isObject, isUnknown, UNKNOWN, typeToString, type TypeExpr, type Value, type ValueObject } from './values.js';

export type ConversionResult = { value: Value } | { error: string };

export function convert(value: Value, type: TypeExpr): ConversionResult {
  const result = convertAt(value, type, '');
  return result instanceof ConversionFailure ? { error: result.message } : { value: result };
}

/** A short name for the kind of a value, as used in error messages ("string", "list", "object"...). */
export function kindOf(value: Value): string {
  if (value === null) return 'null';
  if (isUnknown(value)) return 'unknown';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** Renders a number the way HCL does: integers without a fraction, no exponent for ordinary magnitudes. */
export function numberToString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Primitive → string, or undefined when the value has no string form. */
export function toStringValue(value: Value): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

const NUMBER_SYNTAX = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Primitive → number, or undefined when the value is not a number or numeric text. */
export function toNumberValue(value: Value): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER_SYNTAX.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function toBoolValue(value: Value): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Total order used for sets and sort(): numbers before strings before everything else (by JSON text). */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

function rank(v: Value): number {
  if (typeof v === 'boolean') return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  return 3;
}

/** A set value: sorted and de-duplicated. Unknown if any element is unknown (its identity is undecided). */
export function makeSet(items: readonly Value[]): Value {
  if (items.some(isUnknown)) return UNKNOWN;
  const sorted = [...items].sort(compareValues);
  return sorted.filter((item, i) => i === 0 || compareValues(sorted[i - 1]!, item) !== 0);
}

class ConversionFailure {
  constructor(readonly message: string) {}
}

function fail(path: string, message: string): ConversionFailure {
  return new ConversionFailure(path ? `${path}: ${message}` : message);
}

function convertAt(value: Value, type: TypeExpr, path: string): Value | ConversionFailure {
  if (value === null || isUnknown(value) || type === 'any') return value;
  switch (type) {
    case 'string': {
      const s = toStringValue(value);
      return s === undefined ? fail(path, 'string required') : s;
    }
    case 'number': {
      const n = toNumberValue(value);
      if (n !== undefined) return n;
      return fail(path, typeof value === 'string' ? `a number is required, got "${value}"` : 'number required');
    }
    case 'bool': {
      const b = toBoolValue(value);
      return b === undefined ? fail(path, 'bool required') : b;
    }
  }
  if ('list' in type || 'set' in type) {
    const element = 'list' in type ? type.list : type.set;
    if (!Array.isArray(value)) return fail(path, `${'list' in type ? 'list' : 'set'} of ${typeToString(element)} required`);
    const out: Value[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = convertAt(value[i]!, element, `${path}[${i}]`);
      if (item instanceof ConversionFailure) return item;
      out.push(item);
    }
    return 'set' in type ? makeSet(out) : out;
  }
  if ('tuple' in type) {
    if (!Array.isArray(value)) return fail(path, `tuple required`);
    if (value.length !== type.tuple.length) return fail(path, `tuple of ${type.tuple.length} elements required`);
    const out: Value[] = [];
    for (let i = 0; i < value.length; i++) {
      const item = convertAt(value[i]!, type.tuple[i]!, `${path}[${i}]`);
      if (item instanceof ConversionFailure) return item;
      out.push(item);
    }
    return out;
  }
  if ('map' in type) {
    if (!isObject(value)) return fail(path, `map of ${typeToString(type.map)} required`);
    const out: ValueObject = {};
    for (const key of Object.keys(value)) {
      const item = convertAt(value[key]!, type.map, `${path}[${JSON.stringify(key)}]`);
      if (item instanceof ConversionFailure) return item;
      out[key] = item;
    }
    return out;
  }
  if (!isObject(value)) return fail(path, 'object required');
  const optional = type.optional ?? [];
  const out: ValueObject = {};
  for (const [name, fieldType] of Object.entries(type.object)) {
    if (!(name in value)) {
      if (optional.includes(name)) {
        out[name] = null;
        continue;
      }
      return fail(path, `attribute "${name}" is required`);
    }
    const item = convertAt(value[name]!, fieldType, `${path}.${name}`);
    if (item instanceof ConversionFailure) return item;
    out[name] = item;
  }
  return out;
}

/**
 * Reads a type constraint expression: `string`, `number`, `bool`, `any`, `list(T)`, `set(T)`, `map(T)`,
 * `tuple([T, ...])`, `object({ name = T, opt = optional(T) })`. Legacy quoted `"string"` is accepted.
 */
export function parseTypeExpr(expr: Expr): { type?: TypeExpr; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const type = readType(expr, diagnostics, false);
  return diagnostics.length > 0 ? { diagnostics } : { type: type?.type, diagnostics };
}

const PRIMITIVES = new Set(['string', 'number', 'bool', 'any']);
const COLLECTIONS = new Set(['list', 'set', 'map']);

function readType(expr: Expr, diags: Diagnostic[], allowOptional: boolean): { type: TypeExpr; optional: boolean } | undefined {
  const invalid = (detail: string) => {
    diags.push(error('Invalid type specification', detail, expr.range));
    return undefined;
  };
  if (expr.kind === 'paren') return readType(expr.expr, diags, allowOptional);
  if (expr.kind === 'scope') {
    if (PRIMITIVES.has(expr.name)) return { type: expr.name as TypeExpr, optional: false };
    if (COLLECTIONS.has(expr.name)) return { type: collection(expr.name, 'any'), optional: false };
    return invalid(`The keyword "${expr.name}" is not a valid type specification.`);
  }
  if (expr.kind === 'template' && expr.parts.length === 1 && expr.parts[0]!.kind === 'literal') {
    const name = expr.parts[0]!.value;
    if (PRIMITIVES.has(name)) return { type: name as TypeExpr, optional: false };
    if (COLLECTIONS.has(name)) return { type: collection(name, 'any'), optional: false };
  }
  if (expr.kind !== 'call') return invalid('A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).');
  if (expr.args.length !== 1) return invalid(`The ${expr.name} type constructor requires one argument.`);
  const arg = expr.args[0]!;
  if (COLLECTIONS.has(expr.name)) {
    const element = readType(arg, diags, false);
    return element && { type: collection(expr.name, element.type), optional: false };
  }
  if (expr.name === 'optional') {
    if (!allowOptional) return invalid('Keyword "optional" is valid only as a modifier for object type attributes.');
    const inner = readType(arg, diags, false);
    return inner && { type: inner.type, optional: true };
  }
  if (expr.name === 'tuple') {
    if (arg.kind !== 'tuple') return invalid('The tuple type constructor requires a list of element types.');
    const elements: TypeExpr[] = [];
    for (const item of arg.items) {
      const t = readType(item, diags, false);
      if (!t) return undefined;
      elements.push(t.type);
    }
    return { type: { tuple: elements }, optional: false };
  }
  if (expr.name === 'object') {
    if (arg.kind !== 'object') return invalid('The object type constructor requires an object of attribute types.');
    const fields: Record<string, TypeExpr> = {};
    const optional: string[] = [];
    for (const item of arg.items) {
      const key = staticKey(item.key);
      if (key === undefined) return invalid('Object type attribute names must be static strings.');
      const t = readType(item.value, diags, true);
      if (!t) return undefined;
      fields[key] = t.type;
      if (t.optional) optional.push(key);
    }
    return { type: optional.length > 0 ? { object: fields, optional } : { object: fields }, optional: false };
  }
  return invalid(`Keyword "${expr.name}" is not a valid type constructor.`);
}

function collection(kind: string, element: TypeExpr): TypeExpr {
  return kind === 'list' ? { list: element } : kind === 'set' ? { set: element } : { map: element };
}

/** The literal name of an object key: a bare identifier, a quoted string without interpolation, or a number. */
export function staticKey(expr: Expr): string | undefined {
  if (expr.kind === 'literal' && expr.value !== null) return String(expr.value);
  if (expr.kind === 'scope') return expr.name;
  if (expr.kind === 'template' && expr.parts.every((p) => p.kind === 'literal')) {
    return expr.parts.map((p) => (p as { value: string }).value).join('');
  }
  return undefined;
}
