/**
 * Disk sizes as Proxmox writes them (`8G`, `512M`, `1T`). Config may say `8G`, `8192M` or `8` (GiB,
 * like `pct create --rootfs local-zfs:8`); all compare equal after normalisation.
 */

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([KMGT])?(?:i?B)?$/i;

/** Bytes of a size string; a bare number means GiB. Undefined when the text is not a size. */
export function parseSize(text: string): number | undefined {
  const m = SIZE_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'G').toUpperCase();
  return Math.round(Number(m[1]) * UNITS[unit]!);
}

/** Bytes of a size written with an explicit unit, or bare bytes (Proxmox's `size=` values, zfs -p output). */
export function parseStoredSize(text: string): number | undefined {
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  return parseSize(text);
}

/** The largest unit that represents the size exactly: 8589934592 → "8G", 1536 MiB → "1536M". */
export function formatSize(bytes: number): string {
  for (const unit of ['T', 'G', 'M', 'K']) {
    const factor = UNITS[unit]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/** Normalises a configured size string; leaves text that is not a size unchanged (validate reports it). */
export function normalizeSize(text: string): string {
  const bytes = parseSize(text);
  return bytes === undefined ? text : formatSize(bytes);
}

/** The size in GiB as Proxmox's `STORAGE:SIZE` allocation syntax wants it (fractions allowed). */
export function toGiB(bytes: number): string {
  const gib = bytes / UNITS.G!;
  return Number.isInteger(gib) ? String(gib) : String(Number(gib.toFixed(6)));
}

export function isValidSize(text: string): boolean {
  return parseSize(text) !== undefined;
}
