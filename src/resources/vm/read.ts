/** Reading VMs from the host into `vm` attributes (batched per node). */
import { isObject, type Attrs, type ValueObject } from '../../config/values.js';
import { OWNER_KEY, type ProviderContext } from '../provider.js';
import { objList, strList } from '../proxmox/attrs.js';
import { readRequestedGuests, type GuestRecord } from '../proxmox/inventory.js';
import { pendingAttributes } from '../proxmox/restart.js';
import { vmAttrsFromConfig } from './options.js';
import { rawOptionsFromConfig } from './hardware-options.js';
import { RAW_OPTIONS } from './raw-options.js';

/** The attribute a key of `[PENDING]` belongs to; `options` is the config with pending values applied. */
function vmAttributeOf(key: string, options: Record<string, string>): string | undefined {
  if (/^net\d+$/.test(key)) return 'network';
  if (/^(ide|sata|scsi)\d+$/.test(key) && /(^|,)media=cdrom(,|$)/.test(options[key] ?? '') && !(options[key] ?? '').includes('cloudinit')) return 'cdrom';
  if (key === 'efidisk0') return 'efidisk';
  if (key === 'tpmstate0') return 'tpmstate';
  if (/^serial\d+$/.test(key)) return 'serial';
  if (/^usb\d+$/.test(key)) return 'usb';
  if (key in RAW_OPTIONS) return 'options';
  if (/^hostpci\d+$/.test(key)) return 'hostpci';
  if (/^(ciuser|cipassword|sshkeys|nameserver|searchdomain|ipconfig\d+)$/.test(key)) return 'cloud_init';
  if (/^(scsi|virtio|sata|ide)\d+$/.test(key)) return 'disks';
  if (/^unused\d+$/.test(key) || key === 'digest') return undefined;
  return key;
}

/**
 * Cloud-init settings are fast-plugged into the config (qemu-server's $fast_plug_option) but reach the guest
 * only at its next boot, with no pending record: what phoenix left unrestarted is carried while the VM runs.
 */
const UNRECORDED_PENDING = ['cloud_init'];

function pendingChanges(record: GuestRecord, prior: Attrs): string[] {
  const unrecorded = record.status === 'running' ? strList(prior, 'pending_changes').filter((a) => UNRECORDED_PENDING.includes(a)) : [];
  return [...new Set([...pendingAttributes(record.config.pendingKeys, (key) => vmAttributeOf(key, record.config.options)), ...unrecorded])].sort();
}

/** Attributes the host cannot tell are carried from `prior`: clone source, disk import sources, the cloud-init password (stored hashed), health checks. */
export function vmAttrsFromRecord(record: GuestRecord, prior: Attrs, importing = false): Attrs {
  const attrs = vmAttrsFromConfig(record.config);
  const priorDisks = new Map(objList(prior, 'disks').map((d) => [d.slot, d]));
  attrs.disks = (attrs.disks as ValueObject[]).map((d) => ({ ...d, import_from: priorDisks.get(d.slot)?.import_from ?? null }));
  if (isObject(attrs.cloud_init) && isObject(prior.cloud_init)) {
    attrs.cloud_init = { ...attrs.cloud_init, password: prior.cloud_init.password ?? null };
  }
  return {
    vmid: record.vmid,
    node: record.node,
    ...attrs,
    clone: prior.clone ?? null,
    // The keys phoenix set (an import, with no prior, reads them all; adoptConfiguredVm keeps the configured ones).
    options: rawOptionsFromConfig(record.config.options, importing ? undefined : isObject(prior.options) ? Object.keys(prior.options) : []),
    state: record.status === 'running' ? 'running' : 'stopped',
    template: record.template,
    health_check: prior.health_check ?? null,
    reboot_after_update: prior.reboot_after_update ?? true,
    pending_changes: pendingChanges(record, prior),
    snapshots: [...record.config.snapshots].sort(),
    [OWNER_KEY]: record.owner,
  };
}

export async function readVms(ctx: ProviderContext, priors: Attrs[]): Promise<(Attrs | null)[]> {
  const records = await readRequestedGuests(ctx, 'qemu', priors);
  return priors.map((prior) => {
    const record = typeof prior.vmid === 'number' ? records.get(prior.vmid) : undefined;
    return record ? vmAttrsFromRecord(record, prior) : null;
  });
}
