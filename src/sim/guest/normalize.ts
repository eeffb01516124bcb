/** Normalisations pct and qm share: tags, generated MAC addresses, hostnames. */
import { randomBytes, randomUUID } from 'node:crypto';
import { listOf, verifyDnsName, verifyMacAddr, verifyStartupOrder, verifyTag } from '../core/formats.js';
import type { ParamSpec } from '../core/schema.js';

/** Proxmox's default MAC prefix (BC:24:11, Proxmox Server Solutions), random rest. */
export function generateMac(): string {
  const tail = [...randomBytes(3)].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
  return ['BC', '24', '11', ...tail].join(':');
}

/** GuestHelpers::get_unique_tags: lower-case, sorted, de-duplicated, joined with `;`. */
export function normaliseTags(text: string): string {
  const tags = text.split(/[;, ]/).filter(Boolean).map((t) => t.toLowerCase());
  return [...new Set(tags)].sort().join(';');
}

/** pve-common JSONSchema.pm format pve-tag-list: split_list, every item pve_verify_tag. */
export const TAGS: ParamSpec = { type: 'string', check: listOf(verifyTag) };

/** pve-common JSONSchema.pm pve_verify_dns_name (pve-container/qemu-server hostname and name: maxLength 255). */
export const DNS_NAME: ParamSpec = { type: 'string', maxLength: 255, check: verifyDnsName };

/** pve-common JSONSchema.pm standard option mac-addr (format mac-addr). */
export const MAC: ParamSpec = { type: 'string', check: verifyMacAddr };

/** pve-common JSONSchema.pm standard option pve-startup-order. */
export const STARTUP: ParamSpec = { type: 'string', check: verifyStartupOrder };

export function newUuid(): string {
  return randomUUID();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function randomPid(): number {
  return 1000 + Math.floor(Math.random() * 900000);
}
