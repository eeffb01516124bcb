/**
 * Pool properties the simulator knows, after OpenZFS module/zcommon/zpool_prop.c (zpool_prop_init):
 * read-only statistics, settable index properties with their value tables, and their defaults.
 */
export interface PoolPropertyInfo {
  readonly: boolean;
  /** Index properties: the accepted words (zprop_register_index tables). */
  values?: readonly string[];
  /** Numbers (ashift): checked by the caller. */
  numeric?: boolean;
  defaultValue: string;
}

/** Shown in messages as the registration's value string, 'on | off'. */
const BOOLEAN = ['on', 'off'] as const;

/** In the order `zpool get all` prints them (zpool_prop.c registration order of the visible ones). */
export const POOL_PROPERTIES: Record<string, PoolPropertyInfo> = {
  size: { readonly: true, defaultValue: '0' },
  capacity: { readonly: true, defaultValue: '0' },
  altroot: { readonly: false, defaultValue: '-' },
  health: { readonly: true, defaultValue: 'ONLINE' },
  guid: { readonly: true, defaultValue: '0' },
  bootfs: { readonly: false, defaultValue: '-' },
  delegation: { readonly: false, values: BOOLEAN, defaultValue: 'on' },
  autoreplace: { readonly: false, values: BOOLEAN, defaultValue: 'off' },
  cachefile: { readonly: false, defaultValue: '-' },
  failmode: { readonly: false, values: ['wait', 'continue', 'panic'], defaultValue: 'wait' },
  listsnapshots: { readonly: false, values: BOOLEAN, defaultValue: 'off' },
  autoexpand: { readonly: false, values: BOOLEAN, defaultValue: 'off' },
  dedupratio: { readonly: true, defaultValue: '1.00' },
  free: { readonly: true, defaultValue: '0' },
  allocated: { readonly: true, defaultValue: '0' },
  readonly: { readonly: true, values: BOOLEAN, defaultValue: 'off' },
  ashift: { readonly: false, numeric: true, defaultValue: '0' },
  comment: { readonly: false, defaultValue: '-' },
  fragmentation: { readonly: true, defaultValue: '0' },
  multihost: { readonly: false, values: BOOLEAN, defaultValue: 'off' },
  autotrim: { readonly: false, values: BOOLEAN, defaultValue: 'off' },
  compatibility: { readonly: false, defaultValue: 'off' },
};

/** zpool_vdev.c: ASHIFT_MIN / ASHIFT_MAX (0 means "detect"). */
export const ASHIFT_MIN = 9;
export const ASHIFT_MAX = 16;

/** The props `zpool get all` shows as local when set (the rest keep their default source). */
export function isPoolProperty(name: string): boolean {
  return Object.hasOwn(POOL_PROPERTIES, name);
}
