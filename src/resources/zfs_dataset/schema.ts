/** The `zfs_dataset` resource schema: a ZFS filesystem, optionally registered as Proxmox storage. */
import type { ResourceSchema } from '../provider.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';

/** Properties ZFS only accepts at create (PROP_ONETIME): changing one replaces the dataset. */
export const CREATE_ONLY_PROPERTIES = new Set(['casesensitivity', 'normalization', 'utf8only', 'encryption', 'keyformat', 'pbkdf2iters', 'volblocksize']);

/** Properties `zfs get -p` prints as exact byte counts. */
export const BYTE_PROPERTIES = new Set(['quota', 'refquota', 'reservation', 'refreservation', 'volsize', 'recordsize', 'volblocksize', 'special_small_blocks']);

export const zfsDatasetSchema: ResourceSchema = {
  description: 'A ZFS dataset (`zfs create`), with managed properties and optional registration as Proxmox storage (`pvesm add`).',
  attributes: {
    name: { type: 'string', required: true, forceNew: true, description: 'Full dataset name, e.g. "tank/media". Missing parents are created (each with phoenix\'s `phoenix:owner` proof); a dataset that already exists is never taken over: the plan stops and names the `phoenix import` for it.' },
    node: { ...nodeAttribute, description: 'Name of the `node` block whose pools hold the dataset; changing it replaces the dataset.' },
    properties: {
      type: { map: 'string' },
      optional: true,
      default: {},
      description:
        'ZFS properties set on the dataset (`-o k=v` at create, `zfs set` later; removing one runs `zfs inherit`, or `zfs set quota=none` (canmount=on...) for the properties ZFS cannot inherit). ' +
        'Sizes may be written "10G"; values are compared under the name zfs prints (acltype "posixacl" is "posix"). ' +
        'Create-only properties (casesensitivity, normalization, utf8only, encryption, keyformat, pbkdf2iters, volblocksize) replace the dataset when changed.',
    },
    recursive: { type: 'bool', optional: true, default: false, description: 'On destroy, also destroy child datasets and snapshots (`zfs destroy -r`). Without it a dataset with children cannot be destroyed.' },
    storage: {
      type: { object: { id: 'string', type: 'string', content: { list: 'string' } }, optional: ['type', 'content'] },
      block: 'single',
      optional: true,
      description:
        'Register the dataset as Proxmox storage: `id`, `type` ("zfspool" for guest volumes on the dataset, default; "dir" for a directory at its mountpoint), ' +
        '`content` (e.g. ["images", "rootdir"] or ["backup", "iso", "vztmpl"]).',
    },
    mountpoint: { type: 'string', computed: true, description: 'Where the dataset is mounted ("none" or "legacy" when not auto-mounted).' },
    used: { type: 'number', computed: true, description: 'Bytes used by the dataset and its children.' },
    available: { type: 'number', computed: true, description: 'Bytes available to the dataset.' },
  },
};
