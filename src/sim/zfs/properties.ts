/**
 * The ZFS properties the simulator knows: which are statistics (never settable), which can only be set
 * at creation (PROP_ONETIME), which inherit, and their defaults.
 */
export type PropertyKind = 'stat' | 'onetime' | 'settable';

export interface PropertyInfo {
  kind: PropertyKind;
  inherit?: boolean;
  /** Byte-valued: parsed from sizes, printed exactly with -p and as 1.5G otherwise. */
  bytes?: boolean;
  /** Printed as `none` when 0 (without -p). */
  noneWhenZero?: boolean;
  only?: 'filesystem' | 'volume';
  defaultValue?: string;
  values?: readonly string[];
  /** The values text zfs_prop.c registers (printed in "must be one of"), when it is not just the list. */
  valuesText?: string;
}

const ONOFF = ['on', 'off'] as const;

/** OpenZFS module/zcommon/zfs_prop.c compress_table: every name `zfs set compression=` accepts. */
const COMPRESSION_VALUES: readonly string[] = [
  'on', 'off', 'lzjb', 'gzip', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `gzip-${n}`), 'zle', 'lz4', 'zstd',
  ...Array.from({ length: 19 }, (_, i) => `zstd-${i + 1}`), 'zstd-fast',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 500, 1000].map((n) => `zstd-fast-${n}`),
];

export const PROPERTIES: Record<string, PropertyInfo> = {
  type: { kind: 'stat' },
  creation: { kind: 'stat' },
  used: { kind: 'stat', bytes: true },
  available: { kind: 'stat', bytes: true },
  referenced: { kind: 'stat', bytes: true },
  compressratio: { kind: 'stat' },
  mounted: { kind: 'stat', only: 'filesystem' },
  origin: { kind: 'stat' },
  quota: { kind: 'settable', bytes: true, noneWhenZero: true, only: 'filesystem', defaultValue: '0' },
  reservation: { kind: 'settable', bytes: true, noneWhenZero: true, defaultValue: '0' },
  refquota: { kind: 'settable', bytes: true, noneWhenZero: true, only: 'filesystem', defaultValue: '0' },
  refreservation: { kind: 'settable', bytes: true, noneWhenZero: true, defaultValue: '0' },
  recordsize: { kind: 'settable', inherit: true, bytes: true, only: 'filesystem', defaultValue: '131072' },
  mountpoint: { kind: 'settable', inherit: true, only: 'filesystem' },
  compression: {
    kind: 'settable',
    inherit: true,
    defaultValue: 'on',
    values: COMPRESSION_VALUES,
    valuesText: 'on | off | lzjb | gzip | gzip-[1-9] | zle | lz4 | zstd | zstd-[1-19] | zstd-fast | zstd-fast-[1-10,20,30,40,50,60,70,80,90,100,500,1000]',
  },
  atime: { kind: 'settable', inherit: true, only: 'filesystem', defaultValue: 'on', values: ONOFF },
  relatime: { kind: 'settable', inherit: true, only: 'filesystem', defaultValue: 'on', values: ONOFF },
  canmount: { kind: 'settable', only: 'filesystem', defaultValue: 'on', values: ['on', 'off', 'noauto'] },
  xattr: { kind: 'settable', inherit: true, only: 'filesystem', defaultValue: 'on', values: ['on', 'off', 'sa', 'dir'] },
  acltype: { kind: 'settable', inherit: true, only: 'filesystem', defaultValue: 'off', values: ['off', 'noacl', 'posix', 'posixacl', 'nfsv4'] },
  copies: { kind: 'settable', inherit: true, defaultValue: '1', values: ['1', '2', '3'] },
  sync: { kind: 'settable', inherit: true, defaultValue: 'standard', values: ['standard', 'always', 'disabled'] },
  dedup: { kind: 'settable', inherit: true, defaultValue: 'off', values: ['on', 'off', 'verify', 'sha256'] },
  readonly: { kind: 'settable', inherit: true, defaultValue: 'off', values: ONOFF },
  volsize: { kind: 'settable', bytes: true, only: 'volume' },
  volblocksize: { kind: 'onetime', bytes: true, only: 'volume', defaultValue: '16384' },
  casesensitivity: { kind: 'onetime', only: 'filesystem', defaultValue: 'sensitive', values: ['sensitive', 'insensitive', 'mixed'] },
  normalization: { kind: 'onetime', only: 'filesystem', defaultValue: 'none', values: ['none', 'formC', 'formD', 'formKC', 'formKD'] },
  utf8only: { kind: 'onetime', only: 'filesystem', defaultValue: 'off', values: ONOFF },
  encryption: { kind: 'onetime', defaultValue: 'off', values: ['off', 'on', 'aes-128-ccm', 'aes-192-ccm', 'aes-256-ccm', 'aes-128-gcm', 'aes-192-gcm', 'aes-256-gcm'] },
  keyformat: { kind: 'onetime', defaultValue: 'none', values: ['none', 'raw', 'hex', 'passphrase'] },
  pbkdf2iters: { kind: 'onetime', defaultValue: '0' },
};

const ALIASES: Record<string, string> = {
  avail: 'available',
  refer: 'referenced',
  compress: 'compression',
  recsize: 'recordsize',
  reserv: 'reservation',
  refreserv: 'refreservation',
  volblock: 'volblocksize',
};

/** Canonical property name, or null for an unknown one. User properties (`module:name`) are allowed. */
export function canonicalProperty(name: string): string | null {
  const canonical = ALIASES[name] ?? name;
  if (PROPERTIES[canonical]) return canonical;
  if (isUserProperty(name)) return name;
  return null;
}

export function isUserProperty(name: string): boolean {
  return /^[a-z0-9_.-]+:[a-z0-9_.:-]+$/i.test(name);
}

/** The property order `zfs get all` prints (user properties follow). */
export const ALL_ORDER = Object.keys(PROPERTIES);
