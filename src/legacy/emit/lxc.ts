/** `lxc` resources: what lxc-manager.sh passed to `pct create` / `pct clone` / `pct set`, as attributes. */
import { legacyDiagnostic } from '../json-path.js';
import { attr, block, type HclExpr, type HclItem } from '../hcl-writer.js';
import type { Diagnostic } from '../../config/diagnostics.js';
import type { LegacyBindMount, LegacyGuest } from '../model.js';
import { healthCheckItems } from './checks.js';
import type { EmitContext } from './context.js';
import { bootItems, cloneSource, dependsOnItem, guestNameItem, passwordItems, sizeGb, trailingComments } from './guest-common.js';

export function lxcResource(ctx: EmitContext, guest: LegacyGuest): HclItem {
  const extraDependencies: string[] = [];
  const body: HclItem[] = [attr('vmid', guest.id)];
  body.push(...guestNameItem(ctx, guest, 'hostname'));
  const storage = guest.storagePool ? ctx.storageRef(guest.storagePool.value, guest) : undefined;

  const clone = cloneSource(ctx, guest);
  if (clone) {
    body.push(
      block('clone', [], [
        attr('source_vmid', clone.source),
        ...(clone.snapshot ? [attr('snapshot', clone.snapshot)] : []),
        attr('full', true),
        ...(storage !== undefined ? [attr('storage', storage)] : []),
      ]),
    );
    extraDependencies.push(...clone.waitFor);
  } else if (guest.image ?? ctx.graph.templateFrom.get(guest)?.image) {
    const image = templateVolume(ctx, (guest.image ?? ctx.graph.templateFrom.get(guest)!.image)!.value);
    body.push(attr('ostemplate', image.expr));
    if (image.dataset) extraDependencies.push(image.dataset);
  } else {
    // Nothing to create the container from: an estate with it would not validate.
    ctx.diagnostics.push(legacyDiagnostic('error', guest.location, `Container ${guest.id} has neither "template" nor "clone_from_ctid"`, 'The legacy tool could not create it either; give it one of them (a usable template path or the CTID of a container to clone).'));
  }

  if (guest.cores !== undefined) body.push(attr('cores', guest.cores));
  if (guest.memoryMb !== undefined) body.push(attr('memory', guest.memoryMb));
  if (guest.swapMb !== undefined) body.push(attr('swap', guest.swapMb));
  if (storage !== undefined) body.push(block('rootfs', [], [attr('storage', storage), ...rootfsSize(ctx, guest)]));
  body.push(...networkItems(ctx, guest));
  if (guest.unprivileged !== undefined) body.push(attr('unprivileged', guest.unprivileged));
  const features = Object.entries(guest.containerFeatures);
  if (features.length > 0) body.push(block('features', [], features.map(([k, v]) => attr(k, v!))));
  if (guest.apparmorProfile !== undefined) body.push(attr('apparmor_profile', guest.apparmorProfile));
  body.push(...bootItems(guest));
  if (guest.gpus.length > 0) body.push(attr('gpus', guest.gpus));
  if (guest.lxcRaw.length > 0) body.push(attr('lxc_raw', guest.lxcRaw));
  body.push(...mountpointItems(ctx, guest, extraDependencies));
  body.push(...healthCheckItems(ctx, guest), ...passwordItems(ctx, guest));
  body.push(...dependsOnItem(ctx, guest, extraDependencies), ...trailingComments(ctx, guest));
  return block('resource', ['lxc', ctx.guestNames.get(guest)!], body);
}

/** A clone's disk can grow beyond its source's, never shrink: the legacy resize of a smaller size was a no-op. */
function rootfsSize(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  if (guest.diskGb === undefined) return [];
  const source = ctx.graph.cloneSource.get(guest);
  if (source?.diskGb !== undefined && guest.diskGb < source.diskGb) {
    ctx.diagnostics.push(
      legacyDiagnostic('warning', { ...guest.location, path: [...guest.location.path, 'storage_size_gb'] }, `Disk of ${guest.id} smaller than its clone source's`, `${guest.diskGb}G < ${source.diskGb}G: a clone cannot shrink; the size was left out.`),
    );
    return [];
  }
  return [attr('size', sizeGb(guest.diskGb))];
}

function networkItems(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  const n = guest.network;
  if (!n) return [];
  if (n.bridge === undefined) {
    // pct create --netN needs a bridge to attach the veth to (phoenix requires it too).
    if (n.ip !== undefined || n.name !== undefined) ctx.diagnostics.push(legacyDiagnostic('warning', { ...guest.location, path: [...guest.location.path, 'network_config'] }, `Network of container ${guest.id} has no bridge`, 'It was left out: add a `network` block with its bridge by hand.'));
    return n.nameserver !== undefined ? [attr('nameserver', ctx.sharedValue('nameserver', n.nameserver))] : [];
  }
  const fields: HclItem[] = [attr('name', n.name ?? 'eth0')];
  if (n.bridge !== undefined) fields.push(attr('bridge', ctx.sharedValue('bridge', n.bridge)));
  if (n.ip !== undefined) fields.push(attr('ip', n.ip));
  if (n.gw !== undefined) fields.push(attr('gw', ctx.sharedValue('gateway', n.gw)));
  if (n.mac !== undefined) fields.push(attr('hwaddr', n.mac.toUpperCase()));
  if (guest.firewall !== undefined) fields.push(attr('firewall', guest.firewall));
  const items = [block('network', [], fields)];
  if (n.nameserver !== undefined) items.push(attr('nameserver', ctx.sharedValue('nameserver', n.nameserver)));
  return items;
}

/** zfs_volumes (new volumes on a storage) and bind mounts (host paths), as mp0, mp1... */
function mountpointItems(ctx: EmitContext, guest: LegacyGuest, dependencies: string[]): HclItem[] {
  const items: HclItem[] = [];
  const slot = () => `mp${items.length}`;
  for (const volume of guest.volumes) {
    const fields: HclItem[] = [attr('slot', slot()), attr('volume', ctx.storageRef(volume.storage.value, guest)), attr('path', volume.mountPoint)];
    if (volume.sizeGb !== undefined) fields.push(attr('size', sizeGb(volume.sizeGb)));
    items.push(block('mountpoint', [], fields));
  }
  for (const mount of guest.bindMounts) {
    const dataset = ctx.datasetOfPath(mount.hostPath);
    if (dataset) dependencies.push(dataset);
    if (!ctx.isDatasetMountpoint(mount.hostPath)) ctx.diagnostics.push(missingSourceWarning(mount));
    const fields: HclItem[] = [attr('slot', slot()), attr('volume', mount.hostPath), attr('path', mount.containerPath)];
    if (mount.readOnly) fields.push(attr('read_only', true));
    if (mount.owner) fields.push(attr('owner_uid', mount.owner.uid), attr('owner_gid', mount.owner.gid));
    items.push(block('mountpoint', [], fields));
  }
  return items;
}

/**
 * The OS template: the legacy files give a tarball path. Under a declared `dir` storage's
 * template/cache it becomes that storage's volume ID (and the container waits for the dataset). It goes
 * into a variable either way, so a node that keeps templates elsewhere needs one -var.
 */
function templateVolume(ctx: EmitContext, path: string): { expr: HclExpr; dataset?: string } {
  const file = path.split('/').pop()!;
  let volume = path;
  let dataset: string | undefined;
  for (const [storageId, { name, dataset: d }] of ctx.storageDatasets) {
    if (d.storage?.type === 'dir' && path === `/${d.pool}/${d.name}/template/cache/${file}`) {
      volume = `${storageId}:vztmpl/${file}`;
      dataset = `zfs_dataset.${name}`;
    }
  }
  if (path === `/var/lib/vz/template/cache/${file}`) volume = `local:vztmpl/${file}`;
  const existing = [...ctx.variables.values()].find((v) => v.name.startsWith('lxc_template') && v.default === volume);
  const name = existing?.name ?? (ctx.variables.has('lxc_template') ? ctx.allocate('variable', `lxc_template_${file}`, 'lxc_template', ctx.variables.size) : 'lxc_template');
  const expr = ctx.declare({ name, type: 'string', default: volume, description: `OS template volume (legacy tarball ${path}).` });
  return { expr, ...(dataset ? { dataset } : {}) };
}

/** lxc-manager.sh made a missing bind-mount source with `mkdir -p`; phoenix leaves the host's directories alone. */
function missingSourceWarning(mount: LegacyBindMount): Diagnostic {
  return legacyDiagnostic(
    'warning',
    mount.location,
    `Bind-mount source ${mount.hostPath} must exist on the node`,
    'The legacy tool created it when missing (mkdir -p); phoenix does not, and Proxmox refuses to create or start a container whose bind-mount directory is missing (plan checks it). ' +
      'Create it on the node before the apply (convert --simulator seeds it on the simulated node).',
  );
}
