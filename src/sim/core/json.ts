/** Compact JSON with keys sorted at every level, as pvesh `--output-format json` prints it. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) result[key] = sortKeys(v);
    }
    return result;
  }
  return value;
}
