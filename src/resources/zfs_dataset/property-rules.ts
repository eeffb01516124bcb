/**
 * Which ZFS property names and values `zfs create -o` / `zfs set` accept, from OpenZFS
 * module/zcommon/zfs_prop.c (the index tables and their "values" texts) and lib/libzfs
 * (zfs_valid_proplist, zprop_parse_value, zfs_nicestrtonum), so a value ZFS refuses fails at validate.
 */
import { parseSize } from '../proxmox/sizes.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const ONOFF = ['on', 'off'];

interface IndexProperty {
  /** Every name the index table accepts (including backwards-compatible aliases). */
  values: readonly string[];
  /** The values text zfs_prop.c registers, printed in "'P' must be one of '...'". */
  text: string;
}

const index = (values: readonly string[], text = values.join(' | ')): IndexProperty => ({ values, text });

/** zfs_prop.c zfs_prop_init: zprop_register_index properties settable on filesystems or volumes. */
export const INDEX_PROPERTIES: Record<string, IndexProperty> = {
  compression: index(
    ['on', 'off', 'lzjb', 'gzip', ...range(1, 9).map((n) => `gzip-${n}`), 'zle', 'lz4', 'zstd', ...range(1, 19).map((n) => `zstd-${n}`), 'zstd-fast',
      ...[...range(1, 10), '20', '30', '40', '50', '60', '70', '80', '90', '100', '500', '1000'].map((n) => `zstd-fast-${n}`)],
    'on | off | lzjb | gzip | gzip-[1-9] | zle | lz4 | zstd | zstd-[1-19] | zstd-fast | zstd-fast-[1-10,20,30,40,50,60,70,80,90,100,500,1000]',
  ),
  checksum: index(['on', 'off', 'fletcher2', 'fletcher4', 'sha256', 'noparity', 'sha512', 'skein', 'edonr', 'blake3'], 'on | off | fletcher2 | fletcher4 | sha256 | sha512 | skein | edonr | blake3'),
  dedup: index(['on', 'off', 'verify', 'sha256', 'sha256,verify', 'sha512', 'sha512,verify', 'skein', 'skein,verify', 'edonr,verify', 'blake3', 'blake3,verify'],
    'on | off | verify | sha256[,verify] | sha512[,verify] | skein[,verify] | edonr,verify | blake3[,verify]'),
  sync: index(['standard', 'always', 'disabled']),
  snapdir: index(['hidden', 'visible', 'disabled']),
  snapdev: index(['hidden', 'visible']),
  aclmode: index(['discard', 'groupmask', 'passthrough', 'restricted']),
  acltype: index(['off', 'posix', 'nfsv4', 'disabled', 'noacl', 'posixacl'], 'off | nfsv4 | posix'),
  aclinherit: index(['discard', 'noallow', 'restricted', 'passthrough', 'passthrough-x']),
  copies: index(['1', '2', '3']),
  primarycache: index(['all', 'none', 'metadata']),
  secondarycache: index(['all', 'none', 'metadata']),
  prefetch: index(['all', 'none', 'metadata']),
  logbias: index(['latency', 'throughput']),
  xattr: index(['on', 'off', 'dir', 'sa'], 'on | off | dir | sa'),
  dnodesize: index(['legacy', 'auto', '1k', '2k', '4k', '8k', '16k']),
  volmode: index(['default', 'full', 'geom', 'dev', 'none']),
  direct: index(['disabled', 'standard', 'always']),
  redundant_metadata: index(['all', 'most', 'some', 'none']),
  atime: index(ONOFF), relatime: index(ONOFF), devices: index(ONOFF), exec: index(ONOFF), setuid: index(ONOFF),
  readonly: index(ONOFF), zoned: index(ONOFF), vscan: index(ONOFF), nbmand: index(ONOFF), overlay: index(ONOFF),
  utf8only: index(ONOFF), volthreading: index(ONOFF),
  canmount: index(['on', 'off', 'noauto']),
  normalization: index(['none', 'formC', 'formD', 'formKC', 'formKD']),
  casesensitivity: index(['sensitive', 'insensitive', 'mixed']),
  keyformat: index(['none', 'raw', 'hex', 'passphrase']),
  encryption: index(['on', 'off', 'aes-128-ccm', 'aes-192-ccm', 'aes-256-ccm', 'aes-128-gcm', 'aes-192-gcm', 'aes-256-gcm']),
};

/** Size properties ("<size> | none"); quota-like ones take "none" for 0. */
export const SIZE_PROPERTIES: Record<string, { none: boolean }> = {
  quota: { none: true }, refquota: { none: true }, reservation: { none: true }, refreservation: { none: true },
  volsize: { none: false }, volblocksize: { none: false }, recordsize: { none: false }, special_small_blocks: { none: false },
  defaultuserquota: { none: true }, defaultgroupquota: { none: true },
};

/** Other settable native properties whose values ZFS checks less strictly (strings, counts). */
const OTHER_SETTABLE = new Set([
  'mountpoint', 'sharenfs', 'sharesmb', 'mlslabel', 'context', 'fscontext', 'defcontext', 'rootcontext', 'keylocation',
  'pbkdf2iters', 'filesystem_limit', 'snapshot_limit', 'version', 'zoned_uid',
]);

/** zfs_prop.c: properties registered PROP_READONLY (statistics), which `zfs set` refuses. */
const READ_ONLY = new Set([
  'type', 'creation', 'used', 'available', 'referenced', 'compressratio', 'refcompressratio', 'mounted', 'origin',
  'clones', 'usedbysnapshots', 'usedbydataset', 'usedbychildren', 'usedbyrefreservation', 'userrefs', 'written',
  'logicalused', 'logicalreferenced', 'filesystem_count', 'snapshot_count', 'guid', 'createtxg', 'objsetid',
  'defer_destroy', 'keystatus', 'encryptionroot', 'snapshots_changed',
]);

/** zfs_prop.c short names zfs accepts for a property. */
const ALIASES: Record<string, string> = { compress: 'compression', recsize: 'recordsize', reserv: 'reservation', refreserv: 'refreservation', volblock: 'volblocksize' };

/** libzfs zfs_prop_user: `module:property` names (lower case letters, digits and "_.:-"). */
export function isUserProperty(name: string): boolean {
  return /^[a-z0-9_.:-]+$/.test(name) && name.includes(':');
}

/** What ZFS prints for `name=value`, or undefined when it accepts it. */
export function zfsPropertyProblem(rawName: string, value: string): string | undefined {
  if (isUserProperty(rawName)) return undefined;
  const name = ALIASES[rawName] ?? rawName;
  if (READ_ONLY.has(name)) return `'${name}' is readonly`;
  const idx = INDEX_PROPERTIES[name];
  if (idx) return idx.values.includes(value) ? undefined : `'${name}' must be one of '${idx.text}'`;
  const size = SIZE_PROPERTIES[name];
  if (size) {
    if (size.none && value === 'none') return undefined;
    const bytes = /^\d+$/.test(value) ? Number(value) : parseSize(value);
    if (bytes === undefined) return `bad numeric value '${value}'`;
    // libzfs_dataset.c zfs_valid_proplist: recordsize/volblocksize are powers of 2 from 512B to 16M.
    if ((name === 'recordsize' || name === 'volblocksize') && (bytes < 512 || bytes > 16 * 1024 * 1024 || (bytes & (bytes - 1)) !== 0)) {
      return `'${name}' must be power of 2 from 512B to 16M`;
    }
    return undefined;
  }
  if (name === 'mountpoint') {
    return value === 'none' || value === 'legacy' || value.startsWith('/') ? undefined : "'mountpoint' must be an absolute path, 'none', or 'legacy'";
  }
  if (OTHER_SETTABLE.has(name)) return undefined;
  return `invalid property '${rawName}'`;
}
