/** The `zfs_pool` resource schema: a ZFS pool with its vdev layout, ashift and pool properties. */
import type { ResourceSchema } from '../provider.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';

export const VDEV_TYPES = ['disk', 'mirror', 'raidz1', 'raidz2', 'raidz3'] as const;
export const VDEV_CLASSES = ['data', 'special', 'dedup', 'log'] as const;

/** Pool properties `zpool set` changes in place (OpenZFS zpool_prop.c, the settable ones phoenix manages). */
export const SETTABLE_POOL_PROPERTIES = new Set(['autotrim', 'autoexpand', 'autoreplace', 'failmode', 'comment', 'delegation', 'listsnapshots', 'multihost', 'compatibility']);

export const zfsPoolSchema: ResourceSchema = {
  description:
    'A ZFS pool (`zpool create`) with its vdev layout; the create writes phoenix\'s ownership proof (`-O phoenix:owner=…` on the pool\'s root dataset). ' +
    'A pool that already exists, imported or exported, is never taken over: the plan stops and names the `phoenix import` that adopts it (an exported one is ' +
    'brought in with `zpool import`); after an import, a layout other than the configured one is a replacement, which the plan refuses. Phoenix never destroys a pool unless `allow_destroy = true`: the plan refuses any destroy or ' +
    'replacement of it. Datasets on the pool reference it, e.g. `name = "${zfs_pool.tank.name}/media"`, so they are created after it.',
  attributes: {
    name: { type: 'string', required: true, forceNew: true, description: 'Pool name, e.g. "tank".' },
    node: { ...nodeAttribute, description: 'Name of the `node` block whose disks hold the pool.' },
    vdev: {
      type: { list: { object: { type: 'string', disks: { list: 'string' }, class: 'string' }, optional: ['class'] } },
      block: 'list',
      required: true,
      forceNew: true,
      description:
        'Top-level vdevs in order: `type` ("disk": one disk, "mirror", "raidz1", "raidz2", "raidz3"), `disks` (device paths, preferably /dev/disk/by-id/...; ' +
        'a bare name means /dev/NAME), `class` ("data" by default, "special", "dedup", "log" — logs are disks or mirrors). At least one data vdev. ' +
        'Phoenix never changes the layout of an existing pool: a different layout is refused at plan time.',
    },
    cache: { type: { list: 'string' }, optional: true, default: [], forceNew: true, description: 'L2ARC cache devices (`cache ...`).' },
    spares: { type: { list: 'string' }, optional: true, default: [], forceNew: true, description: 'Hot spares (`spare ...`).' },
    ashift: {
      type: 'number',
      optional: true,
      description: 'Sector size exponent given at creation (`-o ashift=N`; 9–16, 12 for 4K disks). A later change only sets the pool property (`zpool set`), used for vdevs added afterwards.',
    },
    properties: {
      type: { map: 'string' },
      optional: true,
      default: {},
      description: `Pool properties set at creation and changed in place with \`zpool set\`: ${[...SETTABLE_POOL_PROPERTIES].join(', ')}. Removing one stops managing it (the pool keeps its value).`,
    },
    allow_destroy: {
      type: 'bool',
      optional: true,
      default: false,
      description: 'Allow phoenix to destroy the pool and all its data (`zpool destroy`). Off by default: a plan that would destroy or replace the pool is an error. Set it to true and apply before removing the resource. Even then a pool that still holds datasets phoenix does not manage is not destroyed.',
    },
    size: { type: 'number', computed: true, description: 'Pool size in bytes.' },
    health: { type: 'string', computed: true, description: 'Pool health (ONLINE, DEGRADED...).' },
    guid: { type: 'string', computed: true, description: 'Pool GUID.' },
  },
};
