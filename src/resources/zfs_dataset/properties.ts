/** ZFS property values as `zfs get -H -p` prints them, so config and host compare equal. */
import { parseSize } from '../proxmox/sizes.js';
import { BYTE_PROPERTIES } from './schema.js';

/**
 * Values with several names: ZFS stores the index and prints the first name of its table
 * (module/zcommon/zfs_prop.c), so `acltype=posixacl` reads back as `posix` (OpenZFS ≥ 2.1) and
 * `xattr=on` as `sa` (≥ 2.2). Config is compared under the printed name: no perpetual diff.
 */
const VALUE_ALIASES: Record<string, Record<string, string>> = {
  acltype: { posixacl: 'posix', noacl: 'off', disabled: 'off' },
  aclinherit: { secure: 'restricted' },
  compression: { 'gzip-6': 'gzip' },
  xattr: { on: 'sa' },
  volmode: { geom: 'full' },
};

/**
 * Properties `zfs inherit` refuses (PROP_DEFAULT in module/zcommon/zfs_prop.c, so zfs_prop_inheritable is
 * false; cmd/zfs/zfs_main.c zfs_do_inherit: "use 'zfs set quota=none' to clear"). Removing one from
 * `properties` sets this value, its default. null: there is no default to go back to (volsize), the
 * property simply stops being managed.
 */
export const NON_INHERITABLE_CLEAR_VALUES: Readonly<Record<string, string | null>> = {
  quota: 'none',
  refquota: 'none',
  reservation: 'none',
  refreservation: 'none',
  filesystem_limit: 'none',
  snapshot_limit: 'none',
  defaultuserquota: 'none',
  defaultgroupquota: 'none',
  defaultprojectquota: 'none',
  defaultuserobjquota: 'none',
  defaultgroupobjquota: 'none',
  defaultprojectobjquota: 'none',
  canmount: 'on',
  volthreading: 'on',
  context: 'none',
  fscontext: 'none',
  defcontext: 'none',
  rootcontext: 'none',
  volsize: null,
  version: null,
};

/** Short names zfs accepts for properties (zfs_prop.c registrations): compared under the full name. */
const PROPERTY_ALIASES: Record<string, string> = { compress: 'compression', recsize: 'recordsize', reserv: 'reservation', refreserv: 'refreservation', volblock: 'volblocksize' };

export function canonicalPropertyName(name: string): string {
  return PROPERTY_ALIASES[name] ?? name;
}

export function normalizePropertyValue(name: string, value: string): string {
  if (!BYTE_PROPERTIES.has(name)) return VALUE_ALIASES[name]?.[value] ?? value;
  if (value === 'none') return '0';
  const bytes = /^\d+$/.test(value) ? Number(value) : parseSize(value);
  return bytes === undefined ? value : String(bytes);
}

export function normalizeProperties(props: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(props)
      .sort()
      .map((k) => [canonicalPropertyName(k), normalizePropertyValue(canonicalPropertyName(k), props[k]!)]),
  );
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
