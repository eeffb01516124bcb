/**
 * Proxmox property strings: `name=eth0,bridge=vmbr0,ip=dhcp` or `virtio=BC:24:11:00:00:01,bridge=vmbr0`,
 * where the first item may be a bare value for the format's default key (e.g. the volume of a disk).
 */

export type PropertyMap = Map<string, string>;

/**
 * Parses a property string. A bare item is stored under `defaultKey` (e.g. `volume` for `local:8,size=8G`).
 * Keys keep their order of appearance.
 */
export function parsePropertyString(text: string, defaultKey?: string): PropertyMap {
  const out: PropertyMap = new Map();
  for (const item of text.split(',')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) {
      out.set(defaultKey ?? item, defaultKey ? item : '1');
    } else {
      out.set(item.slice(0, eq), item.slice(eq + 1));
    }
  }
  return out;
}

/**
 * Prints a property string. `leading` entries come first in the given order (Proxmox prints the
 * format's required/default key first), the rest alphabetically, skipping undefined values. A leading
 * entry with key `''` is printed as a bare value.
 */
export function formatPropertyString(
  leading: [string, string | undefined][],
  rest: Record<string, string | undefined> = {},
): string {
  const items: string[] = [];
  for (const [k, v] of leading) {
    if (v === undefined) continue;
    items.push(k === '' ? v : `${k}=${v}`);
  }
  for (const k of Object.keys(rest).sort()) {
    const v = rest[k];
    if (v !== undefined) items.push(`${k}=${v}`);
  }
  return items.join(',');
}

/**
 * The items of a property string stored on the host whose keys phoenix does not model (a NIC's `rate`,
 * `trunks`, `link_down`, `queues`; a container's `mount` feature...). A changed value is sent whole and
 * replaces the stored one, so these are sent back with it: what phoenix does not manage stays as it is.
 */
export function unmodelledItems(hostValue: string | undefined, isModelled: (key: string) => boolean, defaultKey?: string): Record<string, string> {
  const kept: Record<string, string> = {};
  if (hostValue === undefined) return kept;
  for (const [key, value] of parsePropertyString(hostValue, defaultKey)) if (!isModelled(key)) kept[key] = value;
  return kept;
}
