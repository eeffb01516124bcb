/**
 * Restarts with consent. A change Proxmox cannot apply to a running guest waits in the guest's pending
 * section (pve-container LXC/Config.pm vmconfig_hotplug_pending, qemu-server PVE/QemuServer.pm
 * vmconfig_hotplug_pending: everything they `die "skip\n"` on) until the guest starts again. The plan
 * names every guest apply restarts and why; `reboot_after_update = false` leaves the change pending, and
 * the guest's `pending_changes` shows it in every later plan until the guest restarts.
 */
import type { Attrs } from '../../config/values.js';
import type { AttributeSchema, GuestRestart } from '../provider.js';
import { num, str, strList } from './attrs.js';

export const rebootAfterUpdateAttribute: AttributeSchema = {
  type: 'bool',
  optional: true,
  default: true,
  description:
    'Whether apply restarts the running guest when a change takes effect only at its next start (the plan names the guest and the ' +
    'attributes). `false`: the change is written but left pending on the host (Proxmox\'s pending section) and shows in `pending_changes` ' +
    'and in every plan until the guest restarts. As `reboot_after_update` of the Terraform Proxmox providers.',
};

export const pendingChangesAttribute: AttributeSchema = {
  type: { list: 'string' },
  computed: true,
  description:
    'Attributes whose change is written but waits for the guest\'s next start: read from the host\'s pending section, plus raw `lxc.*` ' +
    'lines phoenix wrote while the container ran (they have no pending record). Empty once the guest restarted.',
};

/** The attribute a pending config key belongs to: `net0` → `network`, `mp1` → `mountpoint`; others as named. */
export type PendingKeyMap = (key: string) => string | undefined;

export function pendingAttributes(keys: readonly string[], attributeOf: PendingKeyMap): string[] {
  return [...new Set(keys.map(attributeOf).filter((a): a is string => a !== undefined))].sort();
}

/** The guest is running and stays running (a template conversion shuts it down instead of restarting it). */
function staysRunning(prior: Attrs, planned: Attrs): boolean {
  return str(prior, 'state') === 'running' && str(planned, 'state') === 'running' && planned.template !== true;
}

/**
 * What the plan says about restarting the guest: the attributes that take effect only at its next start
 * (`restartAttributes` changed now, and what is already pending on the host), and whether apply restarts it.
 */
export function plannedRestart(label: 'CT' | 'VM', prior: Attrs, planned: Attrs, restartAttributes: readonly string[]): GuestRestart | undefined {
  if (!staysRunning(prior, planned)) return undefined;
  const attributes = union(restartAttributes, strList(prior, 'pending_changes'));
  if (attributes.length === 0) return undefined;
  return { guest: `${label} ${num(prior, 'vmid') ?? '?'}`, attributes, restarts: planned.reboot_after_update !== false };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * `pending_changes` as the plan expects it after apply: empty when the guest starts (again) with the new
 * config, otherwise what was pending plus what this change leaves pending.
 */
export function plannedPendingChanges(prior: Attrs, planned: Attrs, restartAttributes: readonly string[]): string[] {
  const before = strList(prior, 'pending_changes');
  // A stopped guest takes changes at once; a running one being shut down keeps them pending.
  if (str(planned, 'state') !== 'running') return str(prior, 'state') === 'running' ? union(before, restartAttributes) : before;
  // Started, restarted or converted to a template: the next start applies everything.
  if (!staysRunning(prior, planned) || planned.reboot_after_update !== false) return [];
  return union(before, restartAttributes);
}
