/** The `backup_job` resource schema: a vzdump schedule (`/cluster/backup`, pve-manager PVE/API2/Backup.pm). */
import type { ResourceSchema } from '../provider.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';

export const backupJobSchema: ResourceSchema = {
  description:
    'A scheduled vzdump backup job (`pvesh create/set/delete /cluster/backup`, read with one `pvesh get /cluster/backup` per node). ' +
    'Select the guests with exactly one of `vmids`, `all` or `pool`. Jobs are cluster-wide.',
  attributes: {
    id: { type: 'string', required: true, forceNew: true, description: 'Job ID (a letter, then letters, digits, "-" or "_").' },
    node: { ...nodeAttribute, description: 'Name of the `node` block phoenix runs `pvesh` on.' },
    schedule: { type: 'string', required: true, description: 'When to run: a systemd-style calendar event, e.g. "daily", "sat 02:00", "mon..fri 21:30".' },
    storage: { type: 'string', optional: true, description: 'Storage the backups are written to (a `storage` or dataset storage ID); unset: vzdump\'s default.' },
    vmids: { type: { list: 'number' }, optional: true, default: [], description: 'Guests to back up, usually references (`lxc.app.vmid`).' },
    all: { type: 'bool', optional: true, default: false, description: 'Back up every guest (minus `exclude`).' },
    pool: { type: 'string', optional: true, description: 'Back up the guests of this resource pool.' },
    exclude: { type: { list: 'number' }, optional: true, default: [], description: 'With `all`: guests left out.' },
    mode: { type: 'string', optional: true, default: 'snapshot', description: '"snapshot", "suspend" or "stop".' },
    compress: { type: 'string', optional: true, description: '"0", "1", "gzip", "lzo" or "zstd" (Proxmox default "0").' },
    prune_backups: { type: { map: 'number' }, optional: true, description: 'Retention for this job instead of the storage\'s, e.g. { keep-daily = 7, keep-weekly = 4 }.' },
    enabled: { type: 'bool', optional: true, default: true, description: 'Whether the job runs.' },
    comment: { type: 'string', optional: true, description: 'Description of the job (one line). On the node it ends with phoenix\'s ownership marker, which plans never show.' },
  },
};
