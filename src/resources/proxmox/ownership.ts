/**
 * Ownership proof on guests: the last line of the guest's description is a marker naming the proof
 * token of the create that made it and the guest it was written for,
 *
 *     phoenix-owner: 5b0c…-uuid lxc/105
 *
 * `pct/qm create --description` and `pct/qm clone --description` write it with the create itself, so a
 * guest exists only with its proof. It survives `pct/qm config` round trips (the description is stored
 * as `#` comment lines). A clone made outside phoenix copies the description, but the marker then names
 * another guest (`lxc/105` on CT 300) and proves nothing. The marker is never part of the `description`
 * attribute: reads strip it, writes append it again.
 */
import type { Attrs, Value } from '../../config/values.js';
import { OWNER_KEY, type NodeHandle } from '../provider.js';
import { runOnHost } from './host.js';
import type { GuestKind, GuestRecord } from './inventory.js';

const MARKER = /^phoenix-owner: (\S+) (lxc|qemu)\/(\d+)$/;

/** The description without a marker line, and the token it proves for this guest (null: none). */
export function splitOwnerMarker(description: string | null, kind: GuestKind, vmid: number): { description: string | null; owner: string | null } {
  if (description === null) return { description, owner: null };
  const lines = description.split('\n');
  const match = MARKER.exec(lines.at(-1) ?? '');
  if (!match) return { description, owner: null };
  const rest = lines.slice(0, -1).join('\n').replace(/\n+$/, '');
  const owner = match[2] === kind && Number(match[3]) === vmid ? match[1]! : null;
  return { description: rest === '' ? null : rest, owner };
}

/** The description as written to the host: the attribute's text, then the marker when the object has a proof token. */
export function withOwnerMarker(description: string | undefined, attrs: Attrs, kind: GuestKind, vmid: number | undefined): string | undefined {
  const owner = ownerOf(attrs);
  if (owner === undefined || vmid === undefined) return description;
  const marker = `phoenix-owner: ${owner} ${kind}/${vmid}`;
  return description === undefined || description === '' ? marker : `${description}\n${marker}`;
}

/** The proof token the engine handed the provider (or the read found), if any. */
export function ownerOf(attrs: Attrs): string | undefined {
  const value: Value | undefined = attrs[OWNER_KEY];
  return typeof value === 'string' ? value : undefined;
}

/** `import` makes the guest phoenix's: the marker with the import's token is written into its description. */
export async function claimGuest(node: NodeHandle, record: GuestRecord, owner: string): Promise<void> {
  const description = withOwnerMarker(record.config.description ?? undefined, { [OWNER_KEY]: owner }, record.kind, record.vmid)!;
  const tool = record.kind === 'lxc' ? 'pct' : 'qm';
  await runOnHost(node, [tool, 'set', String(record.vmid), '--description', description], {
    what: `writing phoenix's ownership marker into ${record.kind === 'lxc' ? 'CT' : 'VM'} ${record.vmid}`,
  });
}

/** A vmid is one guest in the whole cluster, container or VM. */
export function guestIdentityKeys(planned: Attrs): { key: string; attribute: string; label: string }[] {
  return typeof planned.vmid === 'number' ? [{ key: `vmid:${planned.vmid}`, attribute: 'vmid', label: `vmid ${planned.vmid}` }] : [];
}
