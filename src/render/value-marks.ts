/**
 * Sensitive and unknown values as the machine and PR renderers need them: attribute paths
 * (`[["cloud_init", "password"]]`, list elements by index string) mark values that must never be
 * printed, and unknowns are not values at all. Shared by json.ts and markdown/.
 */
import { isObject, isUnknown, type Value } from '../config/values.js';

/** Whether `path` is, or lies inside, one of the sensitive paths. */
export function isSensitivePath(sensitivePaths: readonly string[][], path: readonly string[]): boolean {
  return sensitivePaths.some((p) => p.length <= path.length && p.every((segment, i) => segment === path[i]));
}

/** The value with every sensitive and unknown member replaced by what `replace` returns for it. */
export function mapMarked(
  value: Value,
  sensitivePaths: readonly string[][],
  replace: (kind: 'sensitive' | 'unknown') => Value,
  path: string[] = [],
): Value {
  if (isSensitivePath(sensitivePaths, path)) return value === null ? null : replace('sensitive');
  if (isUnknown(value)) return replace('unknown');
  if (Array.isArray(value)) return value.map((item, i) => mapMarked(item, sensitivePaths, replace, [...path, String(i)]));
  if (isObject(value)) {
    const out: Record<string, Value> = {};
    for (const key of Object.keys(value)) out[key] = mapMarked(value[key]!, sensitivePaths, replace, [...path, key]);
    return out;
  }
  return value;
}

/**
 * Terraform's mirror structure for `*_sensitive` / `after_unknown`: `true` where the predicate holds for a
 * whole value, objects and arrays that mirror the value where it holds only for some members, `false`
 * (at the top) or nothing (inside) where it never holds.
 */
export function mirrorMarks(value: Value, holds: (value: Value, path: string[]) => boolean, path: string[] = []): unknown {
  if (holds(value, path)) return true;
  if (Array.isArray(value)) {
    const items = value.map((item, i) => mirrorMarks(item, holds, [...path, String(i)]) ?? false);
    return items.some((m) => m !== false) ? items : path.length === 0 ? [] : undefined;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const mark = mirrorMarks(value[key]!, holds, [...path, key]);
      if (mark !== undefined && mark !== false) out[key] = mark;
    }
    return Object.keys(out).length > 0 || path.length === 0 ? out : undefined;
  }
  return path.length === 0 ? false : undefined;
}
