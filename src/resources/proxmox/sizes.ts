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

/** Granularity of new volumes: pve-container allocates whole MiB, qemu-server whole KiB (see toGiB). */
export const CONTAINER_VOLUME_UNIT = UNITS.M!;
export const VM_VOLUME_UNIT = UNITS.K!;

/**
 * Normalises a configured size string to what the host will store: rounded up to whole `unit`s (the
 * allocation granularity; default bytes). Leaves text that is not a size unchanged (validate reports it).
 */
export function normalizeSize(text: string, unit = 1): string {
  const bytes = parseSize(text);
  return bytes === undefined ? text : formatSize(Math.ceil(bytes / unit) * unit);
}

/**
 * The size in GiB for Proxmox's `STORAGE:SIZE` allocation syntax, exact. pve-container allocates
 * `int(GiB * 1024)` MiB (src/PVE/LXC.pm create_disks), so 500M sent as a rounded 0.488281 GiB would become
 * 499M; qemu-server rounds up to KiB (API2/Qemu.pm, PVE::Tools::convert_size). A whole number of MiB or
 * KiB over 1024² is a finite binary fraction: printed in full (never in exponent form), it is the size
 * exactly. The size is first rounded up to whole `unit`s.
 */
export function toGiB(bytes: number, unit = CONTAINER_VOLUME_UNIT): string {
  const gib = (Math.ceil(bytes / unit) * unit) / UNITS.G!;
  return Number.isInteger(gib) ? String(gib) : gib.toFixed(20).replace(/0+$/, '');
}

export function isValidSize(text: string): boolean {
  return parseSize(text) !== undefined;
}
