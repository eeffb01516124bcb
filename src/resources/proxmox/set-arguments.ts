/**
 * `pct set` / `qm set` arguments that turn one option map into another: only changed options are sent
 * (so an apply never rewrites what already matches), removed ones go into one `--delete`.
 */

/** Option name → value as sent to the host; undefined means "absent from the config". */
export type OptionMap = Record<string, string | undefined>;

/** Stable option order for readable command lines: plain options alphabetically, then indexed ones (net0, net1...). */
function optionOrder(a: string, b: string): number {
  const rank = (k: string) => (/\d+$/.test(k) ? 1 : 0);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

/** `required` options cannot be deleted (`unable to delete required option 'memory'`); they are left alone. */
export function setArguments(current: OptionMap, desired: OptionMap, required: ReadonlySet<string> = new Set()): string[] {
  const args: string[] = [];
  const removed: string[] = [];
  const keys = [...new Set([...Object.keys(current), ...Object.keys(desired)])].sort(optionOrder);
  for (const key of keys) {
    const want = desired[key];
    if (want !== undefined && want !== current[key]) args.push(`--${key}`, want);
    else if (want === undefined && current[key] !== undefined && !required.has(key)) removed.push(key);
  }
  if (removed.length > 0) args.push('--delete', removed.join(','));
  return args;
}
