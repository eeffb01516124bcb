/** IP set entries in the form Proxmox stores them (pve-firewall API2/Firewall/IPSet.pm create_ip, Firewall.pm $format_ipsets). */
import { isObject, isUnknown, type Value, type ValueObject } from '../../config/values.js';
import type { FwIpsetEntry } from '../../proxmox-data/fw-file.js';
import { canonicalCidr } from '../firewall/formats.js';

/** clean_cidr for IPv4: the host bits below the prefix are cleared (10.0.0.5/24 → 10.0.0.0/24). */
function cleanCidr(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return cidr;
  const length = Number(m[5]);
  if (length > 32) return cidr;
  const value = m.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const masked = (value & mask) >>> 0;
  return `${[24, 16, 8, 0].map((shift) => (masked >>> shift) & 255).join('.')}/${length}`;
}

/** Entries with every field, addresses as create_ip stores them, sorted by address as $format_ipsets writes them. */
export function normalizeEntries(value: Value | undefined): Value {
  if (!Array.isArray(value)) return value ?? [];
  if (value.some((e) => isUnknown(e) || (isObject(e) && isUnknown(e.cidr ?? null)))) return value;
  const entries = value.filter(isObject).map((e): ValueObject => {
    const comment = typeof e.comment === 'string' && e.comment.trim() !== '' ? e.comment.trim() : null;
    return { cidr: typeof e.cidr === 'string' ? canonicalCidr(cleanCidr(e.cidr)) : (e.cidr ?? null), nomatch: e.nomatch ?? false, comment };
  });
  return entries.sort((a, b) => (String(a.cidr) < String(b.cidr) ? -1 : String(a.cidr) > String(b.cidr) ? 1 : 0));
}

export function entryAttrs(entry: FwIpsetEntry): ValueObject {
  return { cidr: entry.cidr, nomatch: entry.nomatch === 1, comment: entry.comment ?? null };
}
