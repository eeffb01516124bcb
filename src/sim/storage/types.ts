/**
 * The storage types `pvesm` knows, after pve-storage src/PVE/Storage/*Plugin.pm: each type's options()
 * (fixed = only at creation, optional), plugindata() content types (the second set is the default) and
 * sensitive properties (kept in /etc/pve/priv/storage/ID.pw, never in storage.cfg).
 */
import type { ParamSpec } from '../core/schema.js';

export interface OptionRule {
  fixed?: boolean;
  optional?: boolean;
}

export interface StorageType {
  options: Record<string, OptionRule>;
  content: string[];
  defaultContent: string[];
  sensitive: string[];
}

const common = { nodes: { optional: true }, disable: { optional: true }, content: { optional: true } };
const backups = { 'prune-backups': { optional: true }, 'max-protected-backups': { optional: true } };
const FILE_CONTENT = ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'];

export const STORAGE_TYPES: Record<string, StorageType> = {
  // DirPlugin.pm
  dir: {
    options: { path: { fixed: true }, ...common, ...backups, shared: { optional: true }, mkdir: { optional: true }, format: { optional: true } },
    content: FILE_CONTENT,
    defaultContent: ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets'],
    sensitive: [],
  },
  // ZFSPoolPlugin.pm
  zfspool: {
    options: { pool: { fixed: true }, ...common, sparse: { optional: true }, blocksize: { optional: true }, mountpoint: { optional: true } },
    content: ['images', 'rootdir'],
    defaultContent: ['images', 'rootdir'],
    sensitive: [],
  },
  // NFSPlugin.pm
  nfs: {
    options: { path: { fixed: true }, server: { fixed: true }, export: { fixed: true }, ...common, ...backups, options: { optional: true }, format: { optional: true } },
    content: FILE_CONTENT,
    defaultContent: ['images'],
    sensitive: [],
  },
  // CIFSPlugin.pm
  cifs: {
    options: {
      path: { fixed: true },
      server: { fixed: true },
      share: { fixed: true },
      subdir: { optional: true },
      ...common,
      ...backups,
      format: { optional: true },
      username: { optional: true },
      password: { optional: true },
      domain: { optional: true },
      smbversion: { optional: true },
      options: { optional: true },
    },
    content: FILE_CONTENT,
    defaultContent: ['images'],
    sensitive: ['password'],
  },
  // PBSPlugin.pm
  pbs: {
    options: {
      server: { fixed: true },
      datastore: { fixed: true },
      namespace: { optional: true },
      port: { optional: true },
      ...common,
      username: { optional: true },
      password: { optional: true },
      'encryption-key': { optional: true },
      'master-pubkey': { optional: true },
      ...backups,
      fingerprint: { optional: true },
    },
    content: ['backup', 'none'],
    defaultContent: ['backup'],
    sensitive: ['password', 'encryption-key', 'master-pubkey'],
  },
  // LvmThinPlugin.pm
  lvmthin: {
    options: { thinpool: { fixed: true }, vgname: { fixed: true }, ...common, bwlimit: { optional: true } },
    content: ['images', 'rootdir'],
    defaultContent: ['images', 'rootdir'],
    sensitive: [],
  },
};

const KEEP: ParamSpec = { type: 'integer', min: 0 };
/** Storage.pm / JSONSchema.pm formats of the option values the CLI verifies. */
export const OPTION_SPECS: Record<string, ParamSpec> = {
  path: { type: 'string', check: (v) => (v.startsWith('/') ? undefined : `invalid path '${v}'`) },
  pool: { type: 'string' },
  content: { type: 'string', check: invalidContentType },
  nodes: { type: 'string', check: (v) => (v.split(/[,;\s]+/).filter(Boolean).every((n) => /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(n)) ? undefined : `value does not look like a valid node list`) },
  disable: { type: 'boolean' },
  shared: { type: 'boolean' },
  sparse: { type: 'boolean' },
  mkdir: { type: 'boolean' },
  blocksize: { type: 'string' },
  mountpoint: { type: 'string' },
  format: { type: 'string', enum: ['raw', 'qcow2', 'vmdk', 'subvol'] },
  // pve-storage-server: an IP address or DNS name.
  server: { type: 'string', check: (v) => (/^[A-Za-z0-9]([A-Za-z0-9.:_-]*[A-Za-z0-9])?$/.test(v) || /^\[[0-9a-fA-F:]+\]$/.test(v) ? undefined : `value does not look like a valid server name or IP address`) },
  export: { type: 'string', check: (v) => (v.startsWith('/') ? undefined : `invalid path '${v}'`) },
  options: { type: 'string', pattern: /^[^\s]+$/ },
  share: { type: 'string' },
  subdir: { type: 'string', check: (v) => (v.startsWith('/') ? undefined : `invalid path '${v}'`) },
  username: { type: 'string' },
  password: { type: 'string', maxLength: 256 },
  domain: { type: 'string', maxLength: 256 },
  smbversion: { type: 'string', enum: ['default', '2.0', '2.1', '3', '3.0', '3.11'] },
  datastore: { type: 'string' },
  namespace: { type: 'string' },
  port: { type: 'integer', min: 1, max: 65535 },
  // fingerprint-sha256 (JSONSchema.pm).
  fingerprint: { type: 'string', pattern: /^([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}$/ },
  'encryption-key': { type: 'string' },
  'master-pubkey': { type: 'string' },
  // pve-storage-vgname.
  vgname: { type: 'string', pattern: /^[a-zA-Z0-9.+_][a-zA-Z0-9.+_-]+$/ },
  thinpool: { type: 'string', pattern: /^[a-zA-Z0-9.+_][a-zA-Z0-9.+_-]+$/ },
  bwlimit: { type: 'string' },
  'prune-backups': {
    type: 'string',
    format: { keys: { 'keep-all': { type: 'boolean' }, 'keep-last': KEEP, 'keep-hourly': KEEP, 'keep-daily': KEEP, 'keep-weekly': KEEP, 'keep-monthly': KEEP, 'keep-yearly': KEEP } },
  },
  'max-protected-backups': { type: 'integer', min: -1 },
};

/** Storage.pm verify_content: a type no storage knows (per-type support is checked later, as a warning). */
function invalidContentType(value: string): string | undefined {
  const unknown = value.split(',').map((c) => c.trim()).find((c) => c !== '' && c !== 'none' && !FILE_CONTENT.includes(c));
  return unknown === undefined ? undefined : `invalid content type '${unknown}'`;
}

/** The create schema: every option of every type (SectionConfig createSchema). */
export const ADD_OPTIONS: Record<string, ParamSpec> = Object.fromEntries(
  Object.keys(OPTION_SPECS).filter((k) => Object.values(STORAGE_TYPES).some((t) => t.options[k])).map((k) => [k, OPTION_SPECS[k]!]),
);

/** The update schema: options that are not fixed in at least one type (SectionConfig updateSchema). */
export const SET_OPTIONS: Record<string, ParamSpec> = Object.fromEntries(
  Object.entries(ADD_OPTIONS).filter(([k]) => Object.values(STORAGE_TYPES).some((t) => t.options[k] && !t.options[k]!.fixed)),
);
