/**
 * Lifecycle snapshots: the legacy tools took a snapshot before installing features (lxc-manager.sh
 * `enable_lifecycle_snapshots` → "pre-configured"; vm-manager.sh `snapshots."pre-features"`) and one after
 * them ("final-form" / `"post-features"`). Here they are `snapshot` resources: the guest's first features
 * depend on the one before, so the plan shows it taken before the scripts run, and the one after depends on
 * every feature. A snapshot that is also the clone source snapshot (`template_snapshot_name`) is that one.
 */
import { legacyDiagnostic } from '../json-path.js';
import { attr, block, raw, type HclItem } from '../hcl-writer.js';
import type { LegacyGuest } from '../model.js';
import { sanitiseName } from '../names.js';
import type { EmitContext } from './context.js';

/** Why Proxmox would refuse a snapshot of this guest, if it would. */
function snapshotRefusal(guest: LegacyGuest): string | undefined {
  // pve-guest-common AbstractConfig.pm __snapshot_prepare → pve-container Config.pm has_feature('snapshot'): bind mounts have none.
  if (guest.kind === 'lxc' && guest.bindMounts.length > 0) return 'Proxmox cannot snapshot a container with a bind mount ("snapshot feature is not available")';
  // The VM becomes a template: phoenix refuses a template with snapshots (qemu-server: snapshots of a template block linked clones' base).
  if (guest.isTemplate) return 'the VM becomes a template, and a template keeps no snapshots';
  return undefined;
}

function snapshotBlock(ctx: EmitContext, guest: LegacyGuest, name: string, dependsOn: string[]): { address: string; item: HclItem } {
  const resource = ctx.allocate('snapshot', `${ctx.guestNames.get(guest)}_${sanitiseName(name, 'snapshot')}`, 'snapshot', `${guest.id}_${name}`);
  const body: HclItem[] = [attr('guest', raw(`${ctx.guestAddress(guest)}.vmid`))];
  if (guest.kind === 'vm') body.push(attr('guest_type', 'vm'));
  body.push(attr('name', name));
  if (dependsOn.length > 0) body.push(attr('depends_on', dependsOn.map(raw)));
  return { address: `snapshot.${resource}`, item: block('resource', ['snapshot', resource], body) };
}

/** Whether the guest's lifecycle snapshots can be taken; warns once when they cannot. */
function lifecycleApplies(ctx: EmitContext, guest: LegacyGuest): boolean {
  const lifecycle = guest.lifecycleSnapshots;
  if (!lifecycle) return false;
  const refusal = snapshotRefusal(guest);
  if (refusal === undefined) return true;
  const names = [lifecycle.beforeFeatures, lifecycle.afterFeatures].filter((n) => n !== undefined).join('", "');
  ctx.diagnostics.push(legacyDiagnostic('warning', lifecycle.location, `Lifecycle snapshots "${names}" of ${guest.id} not converted`, `${refusal}.`));
  return false;
}

/** The snapshot taken before the features run (its address for their depends_on), if any. */
export function beforeFeaturesSnapshot(ctx: EmitContext, guest: LegacyGuest): { address: string; item: HclItem } | undefined {
  const name = guest.lifecycleSnapshots?.beforeFeatures;
  if (name === undefined || !lifecycleApplies(ctx, guest)) return undefined;
  return snapshotBlock(ctx, guest, name, []);
}

/** The snapshot taken after every feature, unless it is the clone source snapshot already declared. */
export function afterFeaturesSnapshot(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  const name = guest.lifecycleSnapshots?.afterFeatures;
  if (name === undefined || name === guest.snapshotName || name === guest.lifecycleSnapshots?.beforeFeatures) return [];
  // The refusal was reported with the snapshot before, when there is one.
  if (guest.lifecycleSnapshots?.beforeFeatures !== undefined ? snapshotRefusal(guest) !== undefined : !lifecycleApplies(ctx, guest)) return [];
  return [snapshotBlock(ctx, guest, name, ctx.featureAddresses.get(guest) ?? []).item];
}
