/**
 * Plan-time check of a clone's source: a clone whose source the configuration does not create (a literal
 * vmid, or a reference to a guest that already exists) must find it on the node. Without the check the
 * plan succeeds and apply fails halfway with pct's "Configuration file 'nodes/pve/lxc/903.conf' does not
 * exist" (pve-container PVE/API2/LXC.pm clone_vm loads the source config first: PVE::LXC::Config->load_config).
 */
import type { Attrs } from '../../config/values.js';
import type { AttributeDiagnostic, HostCheckPlan, ProviderContext } from '../provider.js';
import { num, obj } from './attrs.js';
import { listClusterGuests } from './inventory.js';

export async function checkCloneSourceOnHost(ctx: ProviderContext, configured: Attrs, kind: 'lxc' | 'vm', plan: HostCheckPlan): Promise<AttributeDiagnostic[]> {
  const node = ctx.node;
  const clone = obj(configured, 'clone');
  const source = clone ? num(clone, 'source_vmid') : undefined;
  if (!node || source === undefined) return [];
  // A source this plan creates before the clone (a reference orders the two) exists by the time the clone
  // runs; one it creates in no particular order may not, and is judged like any other: on the node.
  if (plan.createsFirst(kind).some((guest) => num(guest, 'vmid') === source)) return [];
  const found = (await listClusterGuests(node, ctx)).get(source);
  const wanted = kind === 'lxc' ? 'lxc' : 'qemu';
  const what = kind === 'lxc' ? 'container' : 'VM';
  if (found && found.type === wanted) return [];
  const detail = found
    ? `Guest ${source} is a ${found.type === 'lxc' ? 'container' : 'VM'}; a ${what} can only be cloned from a ${what}.`
    : `No guest ${source} exists in node ${node.name}'s cluster, and this configuration does not create it (a source it creates is referenced, ` +
      `e.g. \`source_vmid = ${kind}.base.vmid\`). ${kind === 'lxc' ? 'pct' : 'qm'} clone would fail with "Configuration file ` +
      `'nodes/${node.name}/${kind === 'lxc' ? 'lxc' : 'qemu-server'}/${source}.conf' does not exist".`;
  return [{ severity: 'error', summary: `Clone source ${source} not found`, detail, attribute: ['clone', 'source_vmid'], value: String(source) }];
}
