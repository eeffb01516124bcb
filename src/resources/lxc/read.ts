/** Reading containers from the host into `lxc` attributes (batched per node). */
import type { Attrs } from '../../config/values.js';
import type { ProviderContext } from '../provider.js';
import { readRequestedGuests, type GuestRecord } from '../proxmox/inventory.js';
import { lxcAttrsFromConfig } from './options.js';
import { splitRawLines } from './raw-config.js';

/** Attributes the host cannot tell (create-only inputs, health checks) are carried over from `prior`. */
export function lxcAttrsFromRecord(record: GuestRecord, prior: Attrs): Attrs {
  const { lxcRaw, gpus } = splitRawLines(record.config.rawLxc);
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

export async function readContainers(ctx: ProviderContext, priors: Attrs[]): Promise<(Attrs | null)[]> {
  const records = await readRequestedGuests(ctx, 'lxc', priors);
  return priors.map((prior) => {
    const record = typeof prior.vmid === 'number' ? records.get(prior.vmid) : undefined;
    return record ? lxcAttrsFromRecord(record, prior) : null;
  });
}
