/**
 * The value formats Proxmox enforces, checked at validate time so a value a node would refuse never
 * reaches apply. Each format follows the upstream check it names and returns that check's message;
 * `accepts` says in words what Proxmox takes instead. The simulator (src/sim) implements the same rules
 * independently; test/fixtures/proxmox-values.ts is the one table both are tested against.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseSize } from './sizes.js';

export interface Format {
  /** What Proxmox accepts, for the diagnostic's detail. */
  accepts: string;
  /** The message Proxmox prints for `value`, or undefined when it accepts it. */
  problem(value: string): string | undefined;
}

function format(accepts: string, problem: (value: string) => string | undefined): Format {
  return { accepts, problem };
}

// pve-common src/PVE/ParseUtils.pm $IPV4RE: four decimal octets 0-255 without leading zeros.
const IPV4_OCTET = '(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])';
const IPV4_RE = new RegExp(`^(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}$`);

/** pve-common JSONSchema.pm pve_verify_ipv4. */
export function isPveIPv4(value: string): boolean {
  return IPV4_RE.test(value) && isIPv4(value);
}

/** pve-common JSONSchema.pm pve_verify_ipv6 ($IPV6RE: the RFC 4291 text forms, no zone index). */
export function isPveIPv6(value: string): boolean {
  return !value.includes('%') && isIPv6(value);
}

/** pve_verify_cidrv4 / pve_verify_cidrv6: the prefix length must be above 7. */
function cidr(value: string, isAddress: (v: string) => boolean, maxPrefix: number): boolean {
  const m = /^(.*)\/(\d+)$/.exec(value);
  return m !== null && isAddress(m[1]!) && Number(m[2]) > 7 && Number(m[2]) <= maxPrefix;
}

export const IPV4: Format = format('an IPv4 address such as 10.0.0.1 (no prefix length)', (v) =>
  isPveIPv4(v) ? undefined : 'value does not look like a valid IPv4 address',
);

export const IPV6: Format = format('an IPv6 address such as fd00::1 (no prefix length)', (v) =>
  isPveIPv6(v) ? undefined : 'value does not look like a valid IPv6 address',
);

/** pve-common JSONSchema.pm pve_verify_ipv4_config. */
export const IPV4_CONFIG: Format = format('"dhcp", "manual" or an IPv4 address with a prefix length of 8 to 32, such as 10.0.0.5/24', (v) =>
  /^(?:dhcp|manual)$/.test(v) || cidr(v, isPveIPv4, 32) ? undefined : 'value does not look like a valid ipv4 network configuration',
);

/** pve-common JSONSchema.pm pve_verify_ipv6_config. */
export const IPV6_CONFIG: Format = format('"auto", "dhcp", "manual" or an IPv6 address with a prefix length of 8 to 128, such as fd00::5/64', (v) =>
  /^(?:auto|dhcp|manual)$/.test(v) || cidr(v, isPveIPv6, 128) ? undefined : 'value does not look like a valid ipv6 network configuration',
);

const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DNS_NAME_RE = new RegExp(`^(?:${DNS_LABEL}\\.)*${DNS_LABEL}$`);

/** pve-common JSONSchema.pm pve_verify_dns_name (pve-container's hostname adds maxLength 255). */
export const DNS_NAME: Format = format('a DNS name: dot-separated labels of letters, digits and "-" (no "_", not starting or ending with "-")', (v) =>
  v.length > 255 ? 'value may only be 255 characters long' : DNS_NAME_RE.test(v) ? undefined : 'value does not look like a valid DNS name',
);

/** pve-common JSONSchema.pm pve_verify_mac_addr: hex pairs, and the I/G (multicast) bit not set. */
export const MAC_ADDR: Format = format('a unicast MAC address such as BC:24:11:2A:00:01 (six hex pairs, second digit even)', (v) =>
  /^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i.test(v) ? undefined : 'value does not look like a valid unicast MAC address',
);

/** pve-common JSONSchema.pm pve_verify_tag ($PVE_TAG_RE). */
export const PVE_TAG: Format = format('letters, digits, "_", "-", "+" and "." (not starting with "-", "+" or ".")', (v) =>
  /^[a-z0-9_][a-z0-9_\-+.]*$/i.test(v) ? undefined : 'invalid characters in tag',
);

/** pve-common JSONSchema.pm pve_verify_configid ($CONFIGID_RE); pve-guest-common caps snapshot names at 40. */
export const SNAPSHOT_NAME: Format = format('a letter, then letters, digits, "_" or "-" (2 to 40 characters)', (v) =>
  v.length > 40 ? 'value may only be 40 characters long' : /^[a-z][a-z0-9_-]+$/i.test(v) ? undefined : `invalid configuration ID '${v}'`,
);

/** pve-common JSONSchema.pm pve_verify_configid ($CONFIGID_RE): mapping IDs. */
export const CONFIG_ID: Format = format('a letter, then letters, digits, "_" or "-"', (v) => (/^[a-z][a-z0-9_-]+$/i.test(v) ? undefined : `invalid configuration ID '${v}'`));

/** pve-common JSONSchema.pm parse_id (format pve-storage-id). */
export const STORAGE_ID: Format = format('a storage ID: a letter, then letters, digits, "-", "_" or ".", ending in a letter or digit', (v) =>
  v.length < 2
    ? `storage ID '${v}' cannot be shorter than 2 characters`
    : /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v)
      ? undefined
      : `storage ID '${v}' contains illegal characters`,
);

/** pve-common JSONSchema.pm parse_bridge_id (format pve-bridge-id); pve-container's bridge pattern is the same. */
export const BRIDGE_ID: Format = format('a bridge name of letters, digits, "-", "_" and "." such as vmbr0', (v) =>
  /^[-_.\w\d]+$/.test(v) ? undefined : `invalid bridge ID '${v}'`,
);

/** pve-container LXC/Config.pm $netconf_desc name pattern. */
export const LXC_IFACE_NAME: Format = format('an interface name of letters, digits, "-", "_" and "." such as eth0', (v) =>
  /^[-_.\w\d]+$/.test(v) ? undefined : 'value does not match the regex pattern',
);

/** pve-container LXC/Config.pm verify_lxc_mp_string, plus the absolute path pct requires for `mp=`. */
export const LXC_MOUNT_PATH: Format = format('an absolute path inside the container without "." or ".." components and without ","', (v) => {
  if (/\/\.\.?\//.test(v) || /\/\.\.?$/.test(v) || /^\.\.\//.test(v)) return `${v} contains illegal character sequences`;
  if (!v.startsWith('/')) return 'mount point path must be absolute';
  return v.includes(',') ? 'a "," would start a new key of the property string' : undefined;
});

/** A host path for a bind mount (pve-container LXC/Config.pm: volumes starting with "/" are bind mounts). */
export const HOST_PATH: Format = format('an absolute host path without "," or "=", or a storage ID', (v) =>
  /[,=]/.test(v) ? 'a "," or "=" would start a new key of the property string' : LXC_MOUNT_PATH.problem(v),
);

/** pve-common JSONSchema.pm pve_verify_node_name. */
export const NODE_NAME: Format = format('a node name of letters, digits and "-"', (v) =>
  /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v) ? undefined : 'value does not look like a valid node name',
);

/**
 * pve-common JSONSchema.pm pve_verify_disk_size, for sizes as phoenix reads them ("8G", "512M", a bare
 * number of GiB): phoenix converts them to the unit Proxmox wants before sending.
 */
export const DISK_SIZE: Format = format('a size such as "8G", "512M", "1.5T" or a bare number of GiB', (v) => {
  const bytes = parseSize(v);
  return bytes !== undefined && bytes > 0 ? undefined : `value does not look like a valid disk size: ${v}`;
});

/**
 * A volume ID (`storage:path`, e.g. an OS template `local:vztmpl/debian-12...tar.zst`) or an absolute
 * path: pve-storage PVE/Storage.pm parse_volume_id. Never starting with "-", so it cannot be read as an option.
 */
export const VOLUME_OR_PATH: Format = format('a volume ID STORAGE:PATH such as "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", or an absolute path', (v) => {
  if (v.startsWith('/')) return /[,\n]/.test(v) ? 'invalid path' : undefined;
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/i.exec(v);
  return m && !m[2]!.startsWith('-') ? undefined : `unable to parse volume ID '${v}'`;
});

/** pve-container LXC.pm verify_nameserver_list: IP addresses separated by spaces, "," or ";". */
export const NAMESERVER_LIST: Format = format('IP addresses separated by spaces, such as "10.0.0.1 fd00::1"', (v) => {
  const bad = splitList(v).find((server) => !isPveIPv4(server) && !isPveIPv6(server) && !/^fe80:[^%]+%[a-z0-9._-]+$/i.test(server));
  return bad === undefined ? undefined : `value does not look like a valid IP address`;
});

/** pve-common JSONSchema.pm format address-list (pve_verify_address per item): qemu-server's cloud-init nameserver. */
export const ADDRESS_LIST: Format = format('IP addresses or DNS names separated by spaces, such as "10.0.0.1"', (v) => {
  const bad = splitList(v).find((a) => !isPveIPv4(a) && !isPveIPv6(a) && DNS_NAME.problem(a) !== undefined);
  return bad === undefined ? undefined : `value does not look like a valid address: ${bad}`;
});

/** pve-container LXC/Config.pm searchdomain: format dns-name-list. */
export const DNS_NAME_LIST: Format = format('DNS names separated by spaces, such as "lan example.com"', (v) =>
  splitList(v).every((name) => DNS_NAME.problem(name) === undefined) ? undefined : 'value does not look like a valid DNS name',
);

/** pve-common ParseUtils.pm split_list: "," ";" and whitespace separate list items. */
export function splitList(text: string): string[] {
  return text.replace(/[,;]/g, ' ').trim().split(/\s+/).filter(Boolean);
}

/** A value phoenix puts into a Proxmox property string as is: a "," or "=" would add keys to it. */
export const PROPERTY_VALUE: Format = format('a value without ",", "=" or ";"', (v) =>
  /[,=;]/.test(v) ? 'a "," "=" or ";" would add keys to the property string' : undefined,
);

/** C0 control characters and DEL; `multiLine` values may hold tabs and line breaks. */
export function controlCharacter(value: string, multiLine: boolean): string | undefined {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (multiLine && (ch === '\n' || ch === '\t' || ch === '\r')) continue;
    if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}
