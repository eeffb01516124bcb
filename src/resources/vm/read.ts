/** Reading VMs from the host into `vm` attributes (batched per node). */
import { isObject, type Attrs, type ValueObject } from '../../config/values.js';
import { OWNER_KEY, type NodeHandle } from '../provider.js';
import { objList } from '../proxmox/attrs.js';
import { readGuests, type GuestRecord } from '../proxmox/inventory.js';
import { vmAttrsFromConfig } from './options.js';

/** Attributes the host cannot tell are carried from `prior`: clone source, disk import sources, the cloud-init password (stored hashed), health checks. */
export function vmAttrsFromRecord(record: GuestRecord, prior: Attrs): Attrs {
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
    state: record.status === 'running' ? 'running' : 'stopped',
    template: record.template,
    health_check: prior.health_check ?? null,
    [OWNER_KEY]: record.owner,
  };
}

export async function readVms(node: NodeHandle, priors: Attrs[]): Promise<(Attrs | null)[]> {
  const vmids = priors.map((p) => p.vmid).filter((v): v is number => typeof v === 'number');
  const records = await readGuests(node, 'qemu', vmids);
  return priors.map((prior) => {
    const record = typeof prior.vmid === 'number' ? records.get(prior.vmid) : undefined;
    return record ? vmAttrsFromRecord(record, prior) : null;
  });
}
