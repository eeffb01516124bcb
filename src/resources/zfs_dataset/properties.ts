/** ZFS property values as `zfs get -H -p` prints them, so config and host compare equal. */
import { parseSize } from '../proxmox/sizes.js';
import { BYTE_PROPERTIES } from './schema.js';

export function normalizePropertyValue(name: string, value: string): string {
  if (!BYTE_PROPERTIES.has(name)) return value;
  if (value === 'none') return '0';
  const bytes = /^\d+$/.test(value) ? Number(value) : parseSize(value);
  return bytes === undefined ? value : String(bytes);
}

export function normalizeProperties(props: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(props).sort().map((k) => [k, normalizePropertyValue(k, props[k]!)]));
}

export interface DatasetProperty {
  value: string;
  source: string;
}

/** Parses `zfs get -H -p -o name,property,value,source` output: dataset → property → value/source. */
export function parseZfsGet(output: string): Map<string, Map<string, DatasetProperty>> {
  const datasets = new Map<string, Map<string, DatasetProperty>>();
  for (const line of output.split('\n')) {
    const [name, property, value, source] = line.split('\t');
    if (name === undefined || property === undefined || value === undefined) continue;
    const props = datasets.get(name) ?? new Map<string, DatasetProperty>();
    props.set(property, { value, source: source ?? '-' });
    datasets.set(name, props);
  }
  return datasets;
}
