/** Retention as Proxmox writes it (`prune-backups keep-last=3,keep-weekly=2`), as a map of numbers in phoenix. */
import type { ValueObject } from '../../config/values.js';

export const KEEP_OPTIONS = ['keep-all', 'keep-last', 'keep-hourly', 'keep-daily', 'keep-weekly', 'keep-monthly', 'keep-yearly'];

export function parsePruneBackups(text: string | undefined): ValueObject | null {
  if (text === undefined || text === '') return null;
  const result: ValueObject = {};
  for (const part of text.split(',')) {
    const [key, value] = part.split('=');
    if (key && value !== undefined) result[key] = Number(value);
  }
  return result;
}

/** Keys in Proxmox's order (print_property_string sorts them). */
export function formatPruneBackups(keep: ValueObject | null | undefined): string | undefined {
  if (!keep) return undefined;
  const keys = Object.keys(keep).sort();
  return keys.length === 0 ? undefined : keys.map((k) => `${k}=${keep[k]}`).join(',');
}

export function pruneBackupsProblem(keep: ValueObject | null | undefined): string | undefined {
  for (const [key, value] of Object.entries(keep ?? {})) {
    if (!KEEP_OPTIONS.includes(key)) return `"${key}" is not a retention option: use ${KEEP_OPTIONS.join(', ')}`;
    if (typeof value === 'number' && (!Number.isInteger(value) || value < 0)) return `${key} must be a whole number ≥ 0`;
  }
  return undefined;
}
