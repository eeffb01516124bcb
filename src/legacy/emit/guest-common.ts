/** Parts of `lxc` and `vm` resources built the same way: boot settings, health checks, edges, secrets. */
import { attr, block, raw, type HclExpr, type HclItem } from '../hcl-writer.js';
import type { LegacyGuest } from '../model.js';
import { legacyDiagnostic } from '../json-path.js';
import { DNS_NAME } from '../../resources/proxmox/formats.js';
import { unmodelledComment } from './comments.js';
import type { EmitContext } from './context.js';
import { snapshotName, takesSnapshot } from './features.js';

export function bootItems(guest: LegacyGuest): HclItem[] {
  const items: HclItem[] = [];
  if (guest.onboot !== undefined) items.push(attr('onboot', guest.onboot));
  const startup = guest.startup;
  if (startup && (startup.order !== undefined || startup.up !== undefined)) {
    items.push(block('startup', [], [...(startup.order !== undefined ? [attr('order', startup.order)] : []), ...(startup.up !== undefined ? [attr('up', startup.up)] : [])]));
  }
  return items;
}

/** The clone block's source and snapshot references, and what a clone must wait for without a snapshot. */
export function cloneSource(ctx: EmitContext, guest: LegacyGuest): { source: HclExpr; snapshot?: HclExpr; waitFor: string[] } | undefined {
  if (!guest.cloneFrom || ctx.graph.templateFrom.has(guest)) return undefined;
  const source = ctx.graph.cloneSource.get(guest);
  if (!source) return { source: guest.cloneFrom.value, waitFor: [] };
  const sourceRef = raw(`${ctx.guestAddress(source)}.vmid`);
  if (takesSnapshot(source) && !source.isTemplate) return { source: sourceRef, snapshot: raw(`snapshot.${snapshotName(ctx, source)}.name`), waitFor: [] };
  // Cloned from the source's current state: its features must be installed first.
  return { source: sourceRef, waitFor: ctx.featureAddresses.get(source) ?? [] };
}

/** depends_on: legacy `dependencies`, plus implicit edges found elsewhere (datasets, features). */
export function dependsOnItem(ctx: EmitContext, guest: LegacyGuest, extra: string[]): HclItem[] {
  const addresses = [...(ctx.graph.dependsOn.get(guest) ?? []).map((g) => ctx.guestAddress(g)), ...extra];
  const unique = [...new Set(addresses)];
  return unique.length > 0 ? [attr('depends_on', unique.map(raw))] : [];
}

export function passwordItems(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  return guest.secrets.map((secret) => {
    const name = ctx.secrets.variableFor(secret.location, `${ctx.guestNames.get(guest)}_${secret.attribute}`);
    return attr(secret.attribute, raw(`var.${name}`));
  });
}

export function trailingComments(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  return unmodelledComment(guest.unmodelled, ctx.secrets, guest.location);
}

export function sizeGb(size: number): string {
  return `${size}G`;
}

/**
 * The legacy name as the guest's hostname (pct) or name (qm), both DNS names in Proxmox (pve-common
 * dns-name). Another is a warning naming the field; the guest is then created without it.
 */
export function guestNameItem(ctx: EmitContext, guest: LegacyGuest, attribute: 'hostname' | 'name'): HclItem[] {
  if (guest.name === undefined) return [];
  const problem = DNS_NAME.problem(guest.name);
  if (problem === undefined) return [attr(attribute, guest.name)];
  ctx.diagnostics.push(
    legacyDiagnostic('warning', { ...guest.location, path: [...guest.location.path, 'name'] }, `Invalid ${attribute} ${JSON.stringify(guest.name)} for ${guest.id}`, `Proxmox rejects it (${problem}); it accepts ${DNS_NAME.accepts}. The ${attribute} was left out.`),
  );
  return [];
}
