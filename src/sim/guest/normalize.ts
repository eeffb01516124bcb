/** Normalisations pct and qm share: tags, generated MAC addresses, hostnames. */
import { randomBytes, randomUUID } from 'node:crypto';
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

export const TAGS: ParamSpec = {
  type: 'string',
  check: (v) =>
    v.split(/[;, ]/).filter(Boolean).every((tag) => /^[a-z0-9_][a-z0-9_\-+.]*$/i.test(tag)) ? undefined : `invalid tag list '${v}'`,
};

export const DNS_NAME: ParamSpec = {
  type: 'string',
  check: (v) =>
    /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/.test(v)
      ? undefined
      : `value does not look like a valid DNS name`,
};

export const MAC: ParamSpec = { type: 'string', pattern: /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i };

export const STARTUP: ParamSpec = {
  type: 'string',
  check: (v) =>
    v.split(',').every((part) => /^(?:(?:order=)?\d+|up=\d+|down=\d+)$/.test(part)) ? undefined : `invalid startup order '${v}'`,
};

export function newUuid(): string {
  return randomUUID();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function randomPid(): number {
  return 1000 + Math.floor(Math.random() * 900000);
}
