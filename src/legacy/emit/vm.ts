/**
 * `vm` resources: the cloud-image template vm-manager.sh built (`qm create` + importdisk + `qm template`)
 * and its full clones, with cloud-init user and ipconfig.
 */
import { legacyDiagnostic } from '../json-path.js';
import { attr, block, raw, template, type HclExpr, type HclItem } from '../hcl-writer.js';
import type { LegacyGuest } from '../model.js';
import { healthCheckItems } from './checks.js';
import type { EmitContext } from './context.js';
import { bootItems, cloneSource, dependsOnItem, guestNameItem, sizeGb, trailingComments } from './guest-common.js';

export function vmResource(ctx: EmitContext, guest: LegacyGuest): HclItem {
  const extraDependencies: string[] = [];
  const body: HclItem[] = [attr('vmid', guest.id)];
  body.push(...guestNameItem(ctx, guest, 'name'));
  const storage = guest.storagePool ? ctx.storageRef(guest.storagePool.value, guest) : undefined;
  const clone = cloneSource(ctx, guest);
  if (clone) {
    body.push(block('clone', [], [attr('source_vmid', clone.source), ...(clone.snapshot ? [attr('snapshot', clone.snapshot)] : []), attr('full', true)]));
    extraDependencies.push(...clone.waitFor);
  }
  if (guest.cores !== undefined) body.push(attr('cores', guest.cores));
  if (guest.memoryMb !== undefined) body.push(attr('memory', guest.memoryMb));
  body.push(...diskItems(ctx, guest, storage, clone !== undefined));
  if (guest.network?.bridge !== undefined) body.push(block('network', [], [attr('bridge', ctx.sharedValue('bridge', guest.network.bridge))]));
  body.push(...cloudInitItems(ctx, guest));
  // Features and health checks run through the QEMU guest agent.
  body.push(attr('agent', true));
  if (guest.isTemplate) body.push(attr('template', true));
  body.push(...bootItems(guest), ...healthCheckItems(ctx, guest));
  for (const path of guest.networkMounts) {
    const dataset = ctx.datasetOfPath(path);
    if (dataset) extraDependencies.push(dataset);
  }
  body.push(...dependsOnItem(ctx, guest, extraDependencies), ...trailingComments(ctx, guest));
  return block('resource', ['vm', ctx.guestNames.get(guest)!], body);
}

/** scsi0: imported from the cloud image for a template; a clone only declares it when it grows. */
function diskItems(ctx: EmitContext, guest: LegacyGuest, storage: HclExpr | undefined, isClone: boolean): HclItem[] {
  if (storage === undefined) return [];
  const fields: HclItem[] = [attr('slot', 'scsi0'), attr('storage', storage)];
  if (!isClone) {
    if (guest.diskGb !== undefined) fields.push(attr('size', sizeGb(guest.diskGb)));
    if (guest.image) {
      const dir = ctx.declare({ name: 'cloud_image_dir', type: 'string', default: '/var/lib/vz/template/iso', description: 'Host directory holding the cloud images VM templates are imported from.' });
      fields.push(attr('import_from', template(dir, `/${guest.image.value}`)));
    }
    return [block('disks', [], fields)];
  }
  const source = ctx.graph.cloneSource.get(guest);
  if (guest.diskGb === undefined || source?.diskGb === undefined || guest.diskGb === source.diskGb) return [];
  if (guest.diskGb < source.diskGb) {
    ctx.diagnostics.push(
      legacyDiagnostic('warning', { ...guest.location, path: [...guest.location.path, 'disk_size_gb'] }, `Disk of VM ${guest.id} smaller than its template's`, `${guest.diskGb}G < ${source.diskGb}G: the legacy tool never applied it and a clone cannot shrink; the size was left out.`),
    );
    return [];
  }
  return [block('disks', [], [...fields, attr('size', sizeGb(guest.diskGb))])];
}

function cloudInitItems(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  const fields: HclItem[] = [];
  if (guest.cloudInitUser !== undefined) fields.push(attr('user', guest.cloudInitUser));
  for (const secret of guest.secrets) {
    const name = ctx.secrets.variableFor(secret.location, `${ctx.guestNames.get(guest)}_password`);
    fields.push(attr('password', raw(`var.${name}`)));
  }
  const n = guest.network;
  if (n?.ip !== undefined) {
    const ip = n.ip === 'dhcp' ? 'ip=dhcp' : `ip=${n.ip}`;
    const gateway = n.gw === undefined ? undefined : ctx.sharedValue('gateway', n.gw);
    const config = gateway === undefined ? ip : typeof gateway === 'string' ? `${ip},gw=${gateway}` : template(`${ip},gw=`, gateway as ReturnType<typeof raw>);
    fields.push(attr('ipconfig', [config]));
  }
  if (n?.nameserver !== undefined) fields.push(attr('nameserver', ctx.sharedValue('nameserver', n.nameserver)));
  return fields.length > 0 ? [block('cloud_init', [], fields)] : [];
}
