/** Reading containers from the host into `lxc` attributes (batched per node). */
import type { Attrs } from '../../config/values.js';
import { OWNER_KEY, type NodeHandle, type ProviderContext } from '../provider.js';
import { strList } from '../proxmox/attrs.js';
import { readRequestedGuests, type GuestRecord } from '../proxmox/inventory.js';
import { pendingAttributes } from '../proxmox/restart.js';
import { lxcAttrsFromConfig } from './options.js';
import { readMountOwners } from './owners.js';
import { ownedRawLines, splitRawLines, splitSecurityLines } from './raw-config.js';

/** The attribute a key of `[pve:pending]` belongs to. */
function lxcAttributeOf(key: string): string | undefined {
  if (/^net\d+$/.test(key)) return 'network';
  if (/^mp\d+$/.test(key)) return 'mountpoint';
  if (/^dev\d+$/.test(key)) return 'device';
  if (/^unused\d+$/.test(key) || key === 'digest') return undefined;
  return key;
}

/** Raw `lxc.*` lines leave no pending record: what phoenix wrote while the CT ran stays pending until it is seen stopped or restarted by phoenix. */
const UNRECORDED_PENDING = ['lxc_raw', 'gpus', 'apparmor_profile', 'id_map'];

function pendingChanges(record: GuestRecord, prior: Attrs): string[] {
  const unrecorded = record.status === 'running' ? strList(prior, 'pending_changes').filter((a) => UNRECORDED_PENDING.includes(a)) : [];
  return [...new Set([...pendingAttributes(record.config.pendingKeys, lxcAttributeOf), ...unrecorded])].sort();
}

/**
 * Attributes the host cannot tell (create-only inputs, health checks) are carried over from `prior`;
 * raw lines are those phoenix wrote (see ownedRawLines).
 */
export function lxcAttrsFromRecord(record: GuestRecord, prior: Attrs): Attrs {
  const owned = ownedRawLines(record.config.rawLxc, prior.lxc_raw, prior.gpus, prior.apparmor_profile, prior.id_map);
  const { lxcRaw: ungrouped, gpus } = splitRawLines(owned);
  const { lxcRaw, apparmorProfile, idMaps } = splitSecurityLines(ungrouped, prior.lxc_raw);
  return {
    vmid: record.vmid,
    node: record.node,
    ...lxcAttrsFromConfig(record.config),
    ostemplate: prior.ostemplate ?? null,
    clone: prior.clone ?? null,
    password: prior.password ?? null,
    ssh_public_keys: prior.ssh_public_keys ?? null,
    state: record.status === 'running' ? 'running' : 'stopped',
    template: record.template,
    lxc_raw: lxcRaw,
    gpus,
    apparmor_profile: apparmorProfile,
    id_map: idMaps,
    health_check: prior.health_check ?? null,
    reboot_after_update: prior.reboot_after_update ?? true,
    pending_changes: pendingChanges(record, prior),
    snapshots: [...record.config.snapshots].sort(),
    [OWNER_KEY]: record.owner,
  };
}

export async function readContainers(ctx: ProviderContext, priors: Attrs[]): Promise<(Attrs | null)[]> {
  const records = await readRequestedGuests(ctx, 'lxc', priors);
  const read = priors.map((prior) => {
    const record = typeof prior.vmid === 'number' ? records.get(prior.vmid) : undefined;
    return record ? lxcAttrsFromRecord(record, prior) : null;
  });
  if (ctx.node) await readMountOwners(ctx.node, read, priors);
  return read;
}

/** One container read back after apply, with the owners of its bind-mount directories. */
export async function readMountOwnersOf(node: NodeHandle, attrs: Attrs, prior: Attrs): Promise<Attrs> {
  await readMountOwners(node, [attrs], [prior]);
  return attrs;
}
