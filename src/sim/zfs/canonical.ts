/**
 * Values ZFS accepts under more than one name. An index property stores a number and prints the first
 * name of its table with that number (module/zcommon/zfs_prop.c index tables; zprop_index_to_string), so
 * `acltype=posixacl` reads back as `posix` on OpenZFS ≥ 2.1 and `xattr=on` as `sa` on ≥ 2.2.
 */
const ALIASES: Record<string, Record<string, string>> = {
  acltype: { posixacl: 'posix', noacl: 'off', disabled: 'off' },
  aclinherit: { secure: 'restricted' },
  compression: { 'gzip-6': 'gzip' },
  xattr: { on: 'sa' },
  volmode: { geom: 'full' },
};

/** The name `zfs get` prints for this value. */
export function canonicalValue(property: string, value: string): string {
  return ALIASES[property]?.[value] ?? value;
}
