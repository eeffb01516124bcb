/** JSON text of a value with object keys sorted, as Terraform's jsonencode writes it. */
import { isObject, type Value } from '../../values.js';

export function jsonText(value: Value): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: Value): Value {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const out: Record<string, Value> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]!);
    return out;
  }
  return value;
}
