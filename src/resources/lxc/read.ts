/** Reading containers from the host into `lxc` attributes (batched per node). */
import type { Attrs } from '../../config/values.js';
import type { NodeHandle } from '../provider.js';
import { readGuests, type GuestRecord } from '../proxmox/inventory.js';
import { lxcAttrsFromConfig } from './options.js';
import { ownedRawLines, splitRawLines } from './raw-config.js';

/**
 * Attributes the host cannot tell (create-only inputs, health checks) are carried over from `prior`;
 * raw lines are those phoenix wrote (see ownedRawLines).
 */
export function lxcAttrsFromRecord(record: GuestRecord, prior: Attrs): Attrs {
  const { lxcRaw, gpus } = splitRawLines(ownedRawLines(record.config.rawLxc, prior.lxc_raw, prior.gpus));
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
    health_check: prior.health_check ?? null,
  };
}

export async function readContainers(node: NodeHandle, priors: Attrs[]): Promise<(Attrs | null)[]> {
  const vmids = priors.map((p) => p.vmid).filter((v): v is number => typeof v === 'number');
  const records = await readGuests(node, 'lxc', vmids);
  return priors.map((prior) => {
    const record = typeof prior.vmid === 'number' ? records.get(prior.vmid) : undefined;
    return record ? lxcAttrsFromRecord(record, prior) : null;
  });
}
