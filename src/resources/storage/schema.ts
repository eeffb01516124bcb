/**
 * The `storage` resource schema: a Proxmox storage definition of type nfs, cifs, pbs or lvmthin, as
 * `pvesm add` takes it (pve-storage src/PVE/Storage/{NFS,CIFS,PBS,LvmThin}Plugin.pm options()).
 */
import type { AttributeSchema, ResourceSchema } from '../provider.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';

export interface StorageTypeRules {
  /** Attributes that must be set. */
  required: string[];
  /** Attributes the type accepts besides the common ones. */
  allowed: string[];
  content: string[];
  /** What Proxmox uses when `content` is not set (plugindata's default). */
  defaultContent: string[];
}

const COMMON = ['content', 'nodes', 'disable'];

export const STORAGE_TYPE_RULES: Record<string, StorageTypeRules> = {
  nfs: { required: ['server', 'export'], allowed: [...COMMON, 'server', 'export', 'path', 'options', 'prune_backups'], content: ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'], defaultContent: ['images'] },
  cifs: {
    required: ['server', 'share'],
    allowed: [...COMMON, 'server', 'share', 'path', 'subdir', 'domain', 'smbversion', 'username', 'password', 'options', 'prune_backups'],
    content: ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'],
    defaultContent: ['images'],
  },
  pbs: { required: ['server', 'datastore', 'username'], allowed: [...COMMON, 'server', 'datastore', 'namespace', 'port', 'username', 'password', 'fingerprint', 'prune_backups'], content: ['backup'], defaultContent: ['backup'] },
  lvmthin: { required: ['vgname', 'thinpool'], allowed: [...COMMON, 'vgname', 'thinpool'], content: ['images', 'rootdir'], defaultContent: ['images', 'rootdir'] },
};

/** phoenix attribute → storage.cfg / pvesm option, for the plain string and number options. */
export const OPTION_KEYS: Record<string, string> = {
  server: 'server',
  export: 'export',
  path: 'path',
  options: 'options',
  share: 'share',
  subdir: 'subdir',
  domain: 'domain',
  smbversion: 'smbversion',
  username: 'username',
  datastore: 'datastore',
  namespace: 'namespace',
  port: 'port',
  fingerprint: 'fingerprint',
  vgname: 'vgname',
  thinpool: 'thinpool',
};

const text = (description: string, extra: Partial<AttributeSchema> = {}): AttributeSchema => ({ type: 'string', optional: true, description, ...extra });

export const storageSchema: ResourceSchema = {
  description:
    'A Proxmox storage definition (`pvesm add/set/remove`, read from /etc/pve/storage.cfg): an NFS export, a CIFS share, a Proxmox Backup Server datastore or an LVM thin pool. ' +
    'Options fixed at creation (server, export, share, path, datastore, vgname, thinpool) replace the definition when changed (the data on the server stays); the others change in place. ' +
    'Passwords are kept by Proxmox in /etc/pve/priv/storage/ID.pw and cannot be read back: a password changed outside phoenix is not seen as drift. ' +
    'ZFS datasets register their own storage through zfs_dataset `storage {}`.',
  attributes: {
    id: { type: 'string', required: true, forceNew: true, description: 'Storage ID, e.g. "nas-backups".' },
    type: { type: 'string', required: true, forceNew: true, description: '"nfs", "cifs", "pbs" or "lvmthin".' },
    node: { ...nodeAttribute, description: 'Name of the `node` block phoenix runs `pvesm` on (storage.cfg is cluster-wide; `nodes` restricts where the storage is used).' },
    content: {
      type: { list: 'string' },
      optional: true,
      description: 'Content types: nfs/cifs images, rootdir, vztmpl, iso, backup, snippets, import; pbs backup; lvmthin images, rootdir. Unset: the type\'s default (images; pbs backup; lvmthin images, rootdir).',
    },
    nodes: { type: { list: 'string' }, optional: true, default: [], description: 'Cluster nodes that may use the storage; empty means all.' },
    disable: { type: 'bool', optional: true, default: false, description: 'Disable the storage.' },
    server: text('nfs/cifs/pbs: server name or IP address.', { forceNew: true }),
    export: text('nfs: exported path on the server.', { forceNew: true }),
    path: text('nfs/cifs: mount point on the node (default /mnt/pve/ID).', { forceNew: true }),
    options: text('nfs/cifs: mount options, e.g. "vers=4.2".'),
    share: text('cifs: share name.', { forceNew: true }),
    subdir: text('cifs: subdirectory of the share to use.'),
    domain: text('cifs: domain.'),
    smbversion: text('cifs: SMB version (default, 2.0, 2.1, 3, 3.0, 3.11).'),
    username: text('cifs/pbs: user name (pbs: user@realm or user@realm!token).'),
    password: text('cifs/pbs: password or API token secret; never shown in plans or messages.', { sensitive: true }),
    datastore: text('pbs: datastore name.', { forceNew: true }),
    namespace: text('pbs: namespace in the datastore.'),
    port: { type: 'number', optional: true, description: 'pbs: port (Proxmox default 8007).' },
    fingerprint: text('pbs: SHA-256 fingerprint of the server certificate (AA:BB:...); treated as sensitive.', { sensitive: true }),
    vgname: text('lvmthin: volume group.', { forceNew: true }),
    thinpool: text('lvmthin: thin pool LV in the volume group.', { forceNew: true }),
    prune_backups: {
      type: { map: 'number' },
      optional: true,
      description: 'nfs/cifs/pbs: retention of backups on the storage, e.g. { keep-last = 3, keep-weekly = 4 } (prune-backups).',
    },
  },
};
