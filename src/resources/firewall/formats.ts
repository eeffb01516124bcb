/**
 * pve-firewall's value formats, checked at validate time (src/PVE/Firewall.pm): names ($ipset_name_pattern,
 * $ip_alias_pattern, $security_group_name_pattern and their maximum lengths), pve-fw-addr-spec
 * (parse_address_list), pve-fw-dport-spec / pve-fw-sport-spec (parse_port_name_number_or_range),
 * pve-fw-protocol-spec, IPorCIDR (pve_verify_ip_or_cidr), log levels and macros. The simulator ports the
 * same checks on its own (src/sim/firewall/verify.ts); both read the tables of src/proxmox-data.
 */
import { FIREWALL_MACROS, ICMP_TYPES, ICMPV6_TYPES, PROTOCOLS, SERVICES } from '../../proxmox-data/firewall-tables.js';
import { isPveIPv4, isPveIPv6, type Format } from '../proxmox/formats.js';

const NAME_RE = /^[A-Za-z][A-Za-z0-9\-_]+$/;

function nameFormat(what: string, max: number, lowerCase: boolean): Format {
  return {
    accepts: `${what}: a letter, then letters, digits, "-" or "_" (2 to ${max} characters${lowerCase ? ', lower case: Proxmox lower-cases the name when it reads cluster.fw, and rules look it up as written' : ''})`,
    problem: (v) =>
      v.length > max
        ? `value may only be ${max} characters long`
        : !NAME_RE.test(v)
          ? 'value does not match the regex pattern'
          : lowerCase && v !== v.toLowerCase()
            ? `"${v}" would be stored as "${v.toLowerCase()}"`
            : undefined,
  };
}

export const ALIAS_NAME = nameFormat('an alias name', 64, false);
export const IPSET_NAME = nameFormat('an IP set name', 64, true);
export const GROUP_NAME = nameFormat('a security group name', 18, true);

/** One address of Net::IP: an address, a network (CIDR) or a range a-b of one family. */
function addressVersion(element: string): 4 | 6 | undefined {
  const [from, to, ...more] = element.split('-');
  if (more.length > 0 || from === undefined) return undefined;
  const one = (text: string, allowPrefix: boolean): 4 | 6 | undefined => {
    const [ip, prefix, ...rest] = text.split('/');
    if (rest.length > 0 || (prefix !== undefined && (!allowPrefix || !/^\d+$/.test(prefix)))) return undefined;
    const version = isPveIPv4(ip!) ? 4 : isPveIPv6(ip!) ? 6 : undefined;
    if (version && prefix !== undefined && Number(prefix) > (version === 4 ? 32 : 128)) return undefined;
    return version;
  };
  const first = one(from, to === undefined);
  if (to === undefined || first === undefined) return first;
  return one(to, false) === first ? first : undefined;
}

/** IPorCIDR (aliases, IP set entries). */
export const IP_OR_CIDR: Format = {
  accepts: 'an IP address or a network in CIDR notation, such as 10.0.0.5 or 10.0.0.0/24',
  problem: (v) => (v.includes('-') || addressVersion(v) === undefined ? 'value does not look like a valid IP address or CIDR network' : undefined),
};

/** IPorCIDRorAlias (IP set entries). */
export const IP_OR_CIDR_OR_ALIAS: Format = {
  accepts: `${IP_OR_CIDR.accepts}, or an alias name`,
  problem: (v) => (/^(dc\/|guest\/)?[A-Za-z][A-Za-z0-9\-_]+$/.test(v) ? undefined : IP_OR_CIDR.problem(v)),
};

/** parse_address_list: the IP version of a literal list (undefined for references); throws Proxmox's message. */
export function addressListVersion(text: string): 4 | 6 | undefined {
  if (/^\+\S+$/.test(text)) {
    if (text.length > 65) throw new Error('ipset name too long');
    return undefined;
  }
  if (/^(dc\/|guest\/)?[A-Za-z][A-Za-z0-9\-_]+$/.test(text)) {
    if (text.length > 64) throw new Error('alias name too long');
    return undefined;
  }
  const elements = text.split(',');
  if (elements.includes('')) throw new Error('extraneous commas in list');
  let version: 4 | 6 | undefined;
  for (const element of elements) {
    const found = addressVersion(element);
    if (found === undefined) throw new Error(`invalid IP address: ${element}`);
    if (version !== undefined && version !== found) throw new Error(`detected mixed ipv4/ipv6 addresses in address list '${text}'`);
    version = found;
  }
  if (elements.length > 1 && elements.some((e) => e.includes('-'))) throw new Error("you can't use a range in a list");
  return version;
}

export const ADDRESS_SPEC: Format = {
  accepts: 'an address, a network, a range a-b, a comma-separated list of one IP family, an alias name, or "+ipset"',
  problem: (v) => {
    try {
      addressListVersion(v);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  },
};

/** parse_port_name_number_or_range ($icmp: ICMP type names count as ports of dport). */
export function portSpec(icmp: boolean): Format {
  return {
    accepts: 'ports (0-65535) or /etc/services names, ranges "80:85", comma-separated (at most 15 numbers, a range counts 2)',
    problem: (v) => {
      const elements = v.split(',');
      if (elements.includes('')) return 'extraneous commas in list';
      let count = 0;
      let icmpPort = false;
      for (const item of elements) {
        const range = /^(\d+):(\d+)$/.exec(item);
        if (range) {
          count += 2;
          for (const port of [range[1]!, range[2]!]) if (Number(port) > 65535) return `invalid port '${port}'`;
          if (Number(range[1]) > Number(range[2])) return `backwards range '${item}' not allowed, did you mean '${range[2]}:${range[1]}'?`;
        } else if (/^\d+$/.test(item)) {
          count += 1;
          if (Number(item) > 65535) return `invalid port '${item}'`;
        } else if (icmp && (ICMP_TYPES.includes(item) || ICMPV6_TYPES.includes(item))) icmpPort = true;
        else if (!(item in SERVICES)) return `invalid port '${item}'`;
      }
      if (icmpPort && count > 0) return 'ICMP ports not allowed in port range';
      if (count > 15) return 'too many entries in port list (> 15 numbers)';
      return undefined;
    },
  };
}

/** pve-fw-protocol-spec: a name or number of /etc/protocols, or "icmpv6". */
export const PROTOCOL: Format = {
  accepts: 'a protocol name or number of /etc/protocols, such as tcp, udp, icmp, icmpv6 or 47',
  problem: (v) => (v in PROTOCOLS || v === 'icmpv6' || (/^\d+$/.test(v) && Object.values(PROTOCOLS).includes(Number(v))) ? undefined : `unknown protocol '${v}'`),
};

/** $PROTOCOLS_WITH_PORTS. */
export const PROTOCOLS_WITH_PORTS: ReadonlySet<string> = new Set(['udp', '17', 'udplite', '136', 'tcp', '6', 'dccp', '33', 'sctp', '132']);
export const isIcmp = (proto: string): boolean => proto === 'icmp' || proto === 'icmpv6' || proto === 'ipv6-icmp';

export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'nolog'] as const;
export const POLICIES = ['ACCEPT', 'REJECT', 'DROP'] as const;

/** The macro's preferred spelling ($pve_fw_preferred_macro_names), or undefined for an unknown macro. */
export function preferredMacro(name: string): string | undefined {
  return Object.keys(FIREWALL_MACROS).find((k) => k.toLowerCase() === name.toLowerCase());
}

/** parse_ip_or_cidr: Proxmox drops a single-host prefix (/32, /128) when it reads an address back. */
export function canonicalCidr(cidr: string): string {
  return cidr.replace(/^([^/]*\.[^/]*)\/32$/, '$1').replace(/^([^/]*:[^/]*)\/128$/, '$1');
}
