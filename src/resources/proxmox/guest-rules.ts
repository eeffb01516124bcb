/**
 * Rules Proxmox enforces across objects, checked at plan time (ResourceProvider.validateWith) so the
 * plan fails instead of the apply:
 * - no template with snapshots, declared or on the node (pve-container API2/LXC.pm and qemu-server
 *   API2/Qemu.pm `template`: "unable to create template, because CT contains snapshots"), and no snapshot of a template
 *   (pve-guest-common AbstractConfig.pm __snapshot_prepare);
 * - no snapshot of a container with a bind or device mount (__snapshot_prepare: has_feature 'snapshot'
 *   fails for a host path, "snapshot feature is not available");
 * - no clone of such a container (API2/LXC.pm clone_vm: "unable to clone mountpoint 'mp0' (type bind)").
 */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import type { AttributeDiagnostic } from '../provider.js';
import { num, obj, objList, str, strList } from './attrs.js';

type Planned = (type: string) => readonly Attrs[];

const error = (summary: string, detail: string): Diagnostic => ({ severity: 'error', summary, detail });

/** Slots of mount points whose volume is a host path (known now). */
export function hostPathMounts(container: Attrs): string[] {
  return objList(container, 'mountpoint')
    .filter((mp) => str(mp, 'volume')?.startsWith('/'))
    .map((mp) => str(mp, 'slot') ?? 'mp?');
}

function sameNode(a: Attrs, b: Attrs): boolean {
  const na = str(a, 'node');
  const nb = str(b, 'node');
  return na === undefined || nb === undefined || na === nb;
}

/** Proxmox's refusal of `pct template` / `qm template` while the guest has snapshots, and the way out. */
function templateWithSnapshots(type: 'lxc' | 'vm', vmid: number | undefined, declared: string[], onNode: string[]): AttributeDiagnostic {
  const kind = type === 'vm' ? 'VM' : 'CT';
  const ways = [
    ...(declared.length > 0 ? [`remove the snapshot resource${declared.length > 1 ? 's' : ''} of ${declared.join(', ')}`] : []),
    ...(onNode.length > 0
      ? [`delete ${onNode.join(', ')} on the node first (\`${type === 'vm' ? 'qm' : 'pct'} delsnapshot ${vmid} ${onNode[0]}\`, or an apply that removes their snapshot resources)`]
      : []),
  ];
  return {
    severity: 'error',
    summary: `${kind} ${vmid} cannot be a template: it has snapshots`,
    detail:
      `Proxmox refuses: "unable to create template, because ${kind} contains snapshots" (${type === 'vm' ? 'qemu-server API2/Qemu.pm' : 'pve-container API2/LXC.pm'} template). ` +
      `To convert it, ${ways.join(' and ')}; or keep template = false and clone from a snapshot.`,
    attribute: ['template'],
  };
}

function guestOf(planned: Planned, type: 'lxc' | 'vm', vmid: number | undefined, near: Attrs): Attrs | undefined {
  return vmid === undefined ? undefined : planned(type).find((g) => num(g, 'vmid') === vmid && sameNode(g, near));
}

/** `snapshot`: its guest is no template and, for a container, has no bind mount. */
export function validateSnapshotWith(snapshot: Attrs, planned: Planned): Diagnostic[] {
  const type = str(snapshot, 'guest_type') === 'vm' ? 'vm' : 'lxc';
  const vmid = num(snapshot, 'guest');
  const guest = guestOf(planned, type, vmid, snapshot);
  if (!guest) return [];
  const label = `${type === 'vm' ? 'VM' : 'CT'} ${vmid}`;
  if (guest.template === true) {
    return [error(`${label} is a template: it cannot be snapshotted`, `Proxmox refuses: "you can't take a snapshot if it's a template" (pve-guest-common AbstractConfig.pm).`)];
  }
  const mounts = type === 'lxc' ? hostPathMounts(guest) : [];
  if (mounts.length > 0) {
    return [
      error(
        `${label} has a bind mount (${mounts.join(', ')}): it cannot be snapshotted`,
        'Proxmox snapshots every volume of the container, and a host path is no storage volume: "snapshot feature is not available" ' +
          '(pve-guest-common AbstractConfig.pm). Snapshot a container without bind mounts, e.g. the base the apps are cloned from.',
      ),
    ];
  }
  return [];
}

/**
 * `lxc` / `vm`: a template has no snapshots — neither declared ones nor any the node holds (`snapshots`,
 * read with the guest: taken by hand, or by a `snapshot` resource this plan removes, whose delete is not
 * ordered before the conversion). A guest that is a template already has none: Proxmox refuses those
 * snapshots too. A container is not cloned from one with a bind mount.
 */
export function validateGuestWith(type: 'lxc' | 'vm', guest: Attrs, planned: Planned): AttributeDiagnostic[] {
  const diags: AttributeDiagnostic[] = [];
  const vmid = num(guest, 'vmid');
  if (guest.template === true) {
    const declared = planned('snapshot')
      .filter((s) => (str(s, 'guest_type') === 'vm' ? 'vm' : 'lxc') === type && num(s, 'guest') === vmid && sameNode(s, guest))
      .map((s) => str(s, 'name') ?? '?');
    const onNode = strList(guest, 'snapshots').filter((name) => !declared.includes(name));
    if (declared.length > 0 || onNode.length > 0) diags.push(templateWithSnapshots(type, vmid, declared, onNode));
  }
  const clone = obj(guest, 'clone');
  const source = type === 'lxc' && clone ? guestOf(planned, 'lxc', num(clone, 'source_vmid'), guest) : undefined;
  const mounts = source ? hostPathMounts(source) : [];
  if (mounts.length > 0) {
    diags.push(
      error(
        `CT ${num(clone!, 'source_vmid')} has a bind mount (${mounts.join(', ')}): it cannot be cloned`,
        `Proxmox copies only storage volumes: "unable to clone mountpoint '${mounts[0]}' (type bind)" (pve-container API2/LXC.pm clone_vm). ` +
          'Clone a container without bind mounts and add the mount points to the clone.',
      ),
    );
  }
  return diags;
}
