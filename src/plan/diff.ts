/**
 * Attribute-level comparison of prior and planned values, and the classification into
 * update / replace / no-op using the schema (forceNew, restart) and the provider's refinement.
 */
import type { Attrs, Value } from '../config/values.js';
import { isObject, isUnknown, valuesEqual } from '../config/values.js';
import type { DiffResult, ResourceProvider } from '../resources/provider.js';

/** Top-level attribute names whose values differ (an unknown planned value always differs). */
export function changedAttributes(before: Attrs, after: Attrs): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !valuesEqual(before[name] ?? null, after[name] ?? null)).sort();
}

export function proposeDiff(provider: ResourceProvider, prior: Attrs, planned: Attrs): DiffResult {
  const changed = changedAttributes(prior, planned).map((name) => [name]);
  const attributes = provider.schema.attributes;
  const proposed: DiffResult = {
    changed,
    replacePaths: changed.filter(([name]) => attributes[name!]?.forceNew === true),
    restartPaths: changed.filter(([name]) => attributes[name!]?.restart === true),
  };
  return provider.diff ? provider.diff(prior, planned, proposed) : proposed;
}

export function getPath(value: Value | undefined, path: readonly string[]): Value | undefined {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isObject(current)) current = current[key];
    else return undefined;
  }
  return current;
}

/** A copy of `attrs` with the value at `path` replaced (intermediate containers copied, not mutated). */
export function withPath(attrs: Attrs, path: readonly string[], value: Value): Attrs {
  const set = (container: Value | undefined, i: number): Value => {
    if (i === path.length) return value;
    const key = path[i]!;
    if (Array.isArray(container) && /^\d+$/.test(key)) {
      const copy = [...container];
      copy[Number(key)] = set(container[Number(key)], i + 1);
      return copy;
    }
    const base = isObject(container) ? container : {};
    return { ...base, [key]: set(base[key], i + 1) };
  };
  return set(attrs, 0) as Attrs;
}

/**
 * Is `actual` consistent with what the plan promised? Unknown planned values accept anything; known
 * ones must be equal. Used to detect a config that evaluates differently at apply time.
 */
export function inconsistentPaths(planned: Attrs, actual: Attrs): string[][] {
  const paths: string[][] = [];
  const visit = (p: Value | undefined, a: Value | undefined, path: string[]): void => {
    if (isUnknown(p)) return;
    if (Array.isArray(p) && Array.isArray(a) && p.length === a.length) {
      p.forEach((item, i) => visit(item, a[i], [...path, String(i)]));
      return;
    }
    if (isObject(p) && isObject(a)) {
      const keys = new Set([...Object.keys(p), ...Object.keys(a)]);
      for (const key of keys) visit(p[key], a[key], [...path, key]);
      return;
    }
    if (!valuesEqual(p ?? null, a ?? null)) paths.push(path);
  };
  for (const name of new Set([...Object.keys(planned), ...Object.keys(actual)])) {
    visit(planned[name], actual[name], [name]);
  }
  return paths;
}
