/**
 * Runtime values of the config language. Plain JSON-like data plus one marker for values that are not
 * known until apply (e.g. an attribute a provider computes on create). Sets are represented as sorted,
 * de-duplicated arrays; maps and objects are both plain objects.
 */

export class Unknown {
  /** The JSON encoding used in plans and plan files, so a plan stays a plain serialisable value. */
  static readonly JSON_MARKER = '$unknown';
  toJSON(): Record<string, true> {
    return { [Unknown.JSON_MARKER]: true };
  }
}

/** The single "(known after apply)" value. */
export const UNKNOWN = new Unknown();

export type Value = null | boolean | number | string | Value[] | ValueObject | Unknown;
export interface ValueObject {
  [key: string]: Value;
}

/** Attribute values of one resource instance, keyed by attribute name. */
export type Attrs = Record<string, Value>;

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** True when the value or anything nested inside it is unknown. */
export function containsUnknown(v: Value): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === 'object') return Object.values(v).some(containsUnknown);
  return false;
}

/**
 * How deeply a value stored in state or shown in a plan (an output, a resource argument) may nest.
 * Expressions may nest to MAX_NESTING, but the plan's renderers, differ and state code walk values by
 * recursion; past this depth the value is refused with a positioned error instead.
 */
export const MAX_VALUE_NESTING = 1_000;

/** True when `v` nests lists and objects more than `limit` levels deep (an explicit stack, no recursion). */
export function nestsDeeperThan(v: Value, limit: number): boolean {
  const stack: [Value, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object' || isUnknown(value)) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function isObject(v: Value | undefined): v is ValueObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v);
}

/** Revives `{"$unknown": true}` markers after JSON.parse of a plan. */
export function reviveUnknowns(v: unknown): Value {
  if (Array.isArray(v)) return v.map(reviveUnknowns);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === Unknown.JSON_MARKER && o[Unknown.JSON_MARKER] === true) return UNKNOWN;
    const out: ValueObject = {};
    for (const k of keys) out[k] = reviveUnknowns(o[k]);
    return out;
  }
  return v as Value;
}

/** Structural equality of two values (unknown equals nothing, not even unknown). */
export function valuesEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && valuesEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Type constraints, as written in `variable { type = ... }` and in provider schemas.
 * `{ object: {...}, optional: [...] }` lists attributes that may be omitted (they become null).
 */
export type TypeExpr =
  | 'string'
  | 'number'
  | 'bool'
  | 'any'
  | { list: TypeExpr }
  | { set: TypeExpr }
  | { map: TypeExpr }
  | { tuple: TypeExpr[] }
  | { object: Record<string, TypeExpr>; optional?: string[] };

export function typeToString(t: TypeExpr): string {
  if (typeof t === 'string') return t;
  if ('list' in t) return `list(${typeToString(t.list)})`;
  if ('set' in t) return `set(${typeToString(t.set)})`;
  if ('map' in t) return `map(${typeToString(t.map)})`;
  if ('tuple' in t) return `tuple([${t.tuple.map(typeToString).join(', ')}])`;
  const fields = Object.entries(t.object).map(([k, v]) => `${k} = ${typeToString(v)}`);
  return `object({${fields.join(', ')}})`;
}
