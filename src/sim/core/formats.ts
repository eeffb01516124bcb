/**
 * pve-common's registered formats (src/PVE/JSONSchema.pm register_format) the simulated tools verify,
 * each returning the message the Perl sub dies with (printed after "invalid format - "), and
 * PVE::Tools::validate_ssh_public_keys. Kept separate from phoenix's own checks on purpose: the tests
 * hold both against one table of values (test/fixtures/proxmox-values.ts).
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { SimError } from './errors.js';

/** ParseUtils.pm $IPV4RE. */
const IPV4OCTET = '(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])';
const IPV4RE = new RegExp(`^(?:${IPV4OCTET}\\.){3}${IPV4OCTET}$`);
const ipv4 = (v: string) => IPV4RE.test(v);
/** ParseUtils.pm $IPV6RE (RFC 4291 text forms; no zone index). */
const ipv6 = (v: string) => !v.includes('%') && isIPv6(v) && (!/\./.test(v) || isIPv4(v.slice(v.lastIndexOf(':') + 1)));

/** pve_verify_cidrv4 / pve_verify_cidrv6: prefix length above 7. */
function cidr(v: string, address: (a: string) => boolean, max: number): boolean {
  const m = /^(.+)\/(\d+)$/.exec(v);
  return m !== null && address(m[1]!) && Number(m[2]) > 7 && Number(m[2]) <= max;
}

export type FormatCheck = (value: string) => string | undefined;

/** JSONSchema.pm pve_verify_ipv4 */
export const verifyIpv4: FormatCheck = (v) => (ipv4(v) ? undefined : 'value does not look like a valid IPv4 address');
/** JSONSchema.pm pve_verify_ipv6 */
export const verifyIpv6: FormatCheck = (v) => (ipv6(v) ? undefined : 'value does not look like a valid IPv6 address');
/** JSONSchema.pm pve_verify_ipv4_config */
export const verifyIpv4Config: FormatCheck = (v) =>
  /^(?:dhcp|manual)$/.test(v) || cidr(v, ipv4, 32) ? undefined : 'value does not look like a valid ipv4 network configuration';
/** JSONSchema.pm pve_verify_ipv6_config */
export const verifyIpv6Config: FormatCheck = (v) =>
  /^(?:auto|dhcp|manual)$/.test(v) || cidr(v, ipv6, 128) ? undefined : 'value does not look like a valid ipv6 network configuration';

/** JSONSchema.pm pve_verify_mac_addr: no I/G bit. */
export const verifyMacAddr: FormatCheck = (v) =>
  /^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i.test(v) ? undefined : 'value does not look like a valid unicast MAC address';

const DNS_LABEL = '([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const DNS_RE = new RegExp(`^(${DNS_LABEL}\\.)*${DNS_LABEL}$`);
/** JSONSchema.pm pve_verify_dns_name */
export const verifyDnsName: FormatCheck = (v) => (DNS_RE.test(v) ? undefined : 'value does not look like a valid DNS name');

/** JSONSchema.pm pve_verify_address */
export const verifyAddress: FormatCheck = (v) =>
  ipv4(v) || ipv6(v) || DNS_RE.test(v) ? undefined : `value does not look like a valid address: ${v}`;

/** JSONSchema.pm pve_verify_tag */
export const verifyTag: FormatCheck = (v) => (/^[a-z0-9_][a-z0-9_\-+.]*$/i.test(v) ? undefined : 'invalid characters in tag');

/** JSONSchema.pm parse_bridge_id */
export const verifyBridgeId: FormatCheck = (v) => (/^[-_.\w\d]+$/.test(v) ? undefined : `invalid bridge ID '${v}'`);

/** JSONSchema.pm pve_verify_startup_order / pve_parse_startup_order */
export const verifyStartupOrder: FormatCheck = (v) =>
  v !== '' && v.split(',').every((p) => /^\s*$/.test(p) || /^(?:order=)?\d+$/.test(p) || /^(?:up|down)=\d+$/.test(p)) ? undefined : 'unable to parse startup options';

/** pve-container LXC/Config.pm verify_lxc_mp_string */
export const verifyLxcMpString: FormatCheck = (v) =>
  /\/\.\.?\//.test(v) || /\/\.\.?$/.test(v) || /^\.\.\//.test(v) ? `${v} contains illegal character sequences` : undefined;

/** pve-container LXC/Config.pm verify_lxc_dev_string: under /dev/, no /./ or /../ components. */
export const verifyLxcDevString: FormatCheck = (v) => (/\/\.\.?(?:\/|$)/.test(v) || !v.startsWith('/dev/') ? `${v} is not a valid device path` : undefined);

/** ParseUtils.pm split_list */
export function splitList(text: string): string[] {
  if (text.includes('\0')) return text.split('\0');
  return text.replace(/[,;]/g, ' ').replace(/^\s+/, '').split(/\s+/).filter((x) => x !== '');
}

/** JSONSchema.pm check_format for `FORMAT-list`: every item of split_list must pass. */
export function listOf(check: FormatCheck): FormatCheck {
  return (v) => splitList(v).map(check).find((problem) => problem !== undefined);
}

/** pve-container LXC.pm verify_nameserver_list → LXC/Config.pm verify_ip_with_ll_iface. */
export const verifyNameserverList: FormatCheck = (v) =>
  splitList(v).every((s) => ipv4(s) || ipv6(s) || /^fe80:[^%]+%[-_.\w\d]+$/i.test(s)) ? undefined : 'value does not look like a valid IP address';

/**
 * PVE::Tools::validate_ssh_public_keys runs `ssh-keygen -l -f` on every non-blank line; this checks what
 * ssh-keygen parses: `[options] TYPE BASE64 [comment]` with a blob whose first wire string is TYPE.
 */
export function validateSshPublicKeys(text: string): void {
  for (const line of text.split('\n')) {
    if (/^\s*$/.test(line)) continue;
    if (!isPublicKeyLine(line)) throw new SimError('SSH public key validation error');
  }
}

function isPublicKeyLine(line: string): boolean {
  const words = line.trim().split(/\s+/);
  // Options (`no-pty,from="..."`) may precede the key: it starts at the first key-type word.
  const at = words.findIndex((w) => /^(?:ssh-|ecdsa-sha2-|sk-)/.test(w));
  const type = words[at];
  const data = words[at + 1];
  if (type === undefined || data === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) return false;
  // The blob is a sequence of SSH wire strings (uint32 length + bytes), the first one the key type.
  const blob = Buffer.from(data, 'base64');
  const strings: Buffer[] = [];
  for (let offset = 0; offset < blob.length; ) {
    if (offset + 4 > blob.length) return false;
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) return false;
    strings.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return strings.length >= 2 && strings[0]!.toString('latin1') === type;
}
/** `--ssh-public-keys FILE` (pct) / `--sshkeys FILE` (qm): the CLI reads the file, the API validates its keys. */
export function readPublicKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SimError(`unable to open file '${path}' - No such file or directory`);
  }
  validateSshPublicKeys(text);
  return text;
}
