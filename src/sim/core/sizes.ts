/** Byte sizes as Proxmox and ZFS write them. */

const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

/** `8G`, `1.5T`, `8192k`, `512` (bytes) → bytes; null when not a size. */
export function parseSize(text: string, defaultUnit = ''): number | null {
  const m = /^(\d+(?:\.\d+)?)([BKMGTP]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] || defaultUnit).toUpperCase();
  return Math.round(Number(m[1]) * UNITS[unit]!);
}

/** PVE::JSONSchema::format_size: the largest unit that divides the size exactly (`8G`, `512M`). */
export function formatPveSize(bytes: number): string {
  for (const unit of ['T', 'G', 'M', 'K']) {
    const factor = UNITS[unit]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/** zfs_nicenum: 1024-based, at most 3 significant digits (`96K`, `1.50G`, `8G`). */
export function formatZfsNumber(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  const units = ['K', 'M', 'G', 'T', 'P', 'E'];
  let value = bytes;
  let index = -1;
  while (value >= 1024 && index < units.length - 1) {
    value /= 1024;
    index++;
  }
  const unit = units[index]!;
  if (Number.isInteger(value)) return `${value}${unit}`;
  for (const digits of [2, 1, 0]) {
    const text = value.toFixed(digits);
    if (text.replace('.', '').length <= 3) return `${text}${unit}`;
  }
  return `${Math.round(value)}${unit}`;
}
