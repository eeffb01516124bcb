/**
 * What pve-firewall refuses in a rule, an alias or an IP set entry, ported from src/PVE/Firewall.pm:
 * verify_rule (with $check_ipset_or_alias_property and $apply_macro), parse_address_list,
 * parse_port_name_number_or_range, pve_fw_verify_protocol_spec, pve_verify_ip_or_cidr and the name patterns.
 * Messages are Proxmox's; Net::IP's own error texts are approximated by "invalid IP address: ...".
 */
import { FIREWALL_IPV6_MACROS, FIREWALL_MACROS, ICMP_TYPES, ICMPV6_TYPES, PROTOCOLS, SERVICES } from '../../proxmox-data/firewall-tables.js';
import { parseIpOrCidr, type FwConfig, type FwRule } from '../../proxmox-data/fw-file.js';

/** $security_group_name_pattern, $ipset_name_pattern and $ip_alias_pattern are one pattern. */
export const NAME_PATTERN = '[A-Za-z][A-Za-z0-9\\-\\_]+';
const NAME = new RegExp(`^${NAME_PATTERN}$`);

/** $PROTOCOLS_WITH_PORTS. */
const PROTOCOLS_WITH_PORTS = new Set(['udp', '17', 'udplite', '136', 'tcp', '6', 'dccp', '33', 'sctp', '132']);
const isIcmp = (proto: string) => proto === 'icmp' || proto === 'icmpv6' || proto === 'ipv6-icmp';

/** Net::IP->new on one element: an address, a CIDR network, or a range `a-b`. */
function ipVersionOf(element: string): 4 | 6 | undefined {
  const [from, to, ...more] = element.split('-');
  if (more.length > 0) return undefined;
  const first = parseIpOrCidr(from!.trim());
  if (!first) return undefined;
  if (to !== undefined) {
    const second = parseIpOrCidr(to.trim());
    if (!second || second.ipversion !== first.ipversion || to.includes('/') || from!.includes('/')) return undefined;
  }
  const prefix = /\/(\d+)$/.exec(element);
  if (prefix && Number(prefix[1]) > (first.ipversion === 4 ? 32 : 128)) return undefined;
  return first.ipversion;
}

/** parse_address_list: returns the IP version (undefined for an ipset or alias reference); throws the message. */
export function parseAddressList(text: string): 4 | 6 | undefined {
  if (/^(\+)(\S+)$/.test(text)) {
    if (text.length > 65) throw new Error('ipset name too long');
    return undefined;
  }
  if (new RegExp(`^(dc/|guest/)?${NAME_PATTERN}$`).test(text)) {
    if (text.length > 64) throw new Error('alias name too long');
    return undefined;
  }
  const elements = text.split(',');
  if (elements.some((e) => e === '')) throw new Error('extraneous commas in list');
  let version: 4 | 6 | undefined;
  let range = false;
  for (const element of elements) {
    const found = ipVersionOf(element);
    if (found === undefined) throw new Error(`invalid IP address: ${element}`);
    if (element.includes('-')) range = true;
    if (version !== undefined && found !== version) throw new Error(`detected mixed ipv4/ipv6 addresses in address list '${text}'`);
    version = found;
  }
  if (range && elements.length > 1) throw new Error("you can't use a range in a list");
  return version;
}

/** parse_port_name_number_or_range ($dport: ICMP type names allowed). Throws the message. */
export function parsePorts(text: string, dport: boolean): void {
  const elements = text.split(',');
  if (elements.some((e) => e === '')) throw new Error('extraneous commas in list');
  let count = 0;
  let icmpPort = false;
  for (const item of elements) {
    const range = /^([0-9]+):([0-9]+)$/.exec(item);
    if (range) {
      count += 2;
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a > 65535) throw new Error(`invalid port '${range[1]}'`);
      if (b > 65535) throw new Error(`invalid port '${range[2]}'`);
      if (a > b) throw new Error(`backwards range '${range[1]}:${range[2]}' not allowed, did you mean '${range[2]}:${range[1]}'?`);
    } else if (/^[0-9]+$/.test(item)) {
      count += 1;
      if (Number(item) > 65535) throw new Error(`invalid port '${item}'`);
    } else if (dport && (ICMP_TYPES.includes(item) || ICMPV6_TYPES.includes(item))) {
      icmpPort = true;
    } else if (!(item in SERVICES)) {
      throw new Error(`invalid port '${item}'`);
    }
  }
  if (icmpPort && count > 0) throw new Error('ICMP ports not allowed in port range');
  if (count > 15) throw new Error('too many entries in port list (> 15 numbers)');
}

/** pve_fw_verify_protocol_spec. */
export function protocolProblem(proto: string): string | undefined {
  const known = proto in PROTOCOLS || proto === 'icmpv6' || Object.values(PROTOCOLS).includes(Number(proto)) && /^\d+$/.test(proto);
  return known ? undefined : `unknown protocol '${proto}'`;
}

/** pve_verify_ip_or_cidr (the IPorCIDR format of aliases and ipset entries). */
export function ipOrCidrProblem(cidr: string): string | undefined {
  const parsed = parseIpOrCidr(cidr);
  const prefix = /\/(\d+)$/.exec(cidr);
  if (!parsed || (prefix && Number(prefix[1]) > (parsed.ipversion === 4 ? 32 : 128))) return 'value does not look like a valid IP address or CIDR network';
  return undefined;
}

export type RuleEnv = 'vm' | 'ct' | 'group' | 'cluster' | 'host';

/** $rule_env_direction_lookup. */
const DIRECTIONS: Record<RuleEnv, string[]> = {
  ct: ['in', 'out', 'group'],
  vm: ['in', 'out', 'group'],
  group: ['in', 'out', 'forward'],
  cluster: ['in', 'out', 'forward', 'group'],
  host: ['in', 'out', 'forward', 'group'],
};

/** The macro's preferred name for any spelling ($pve_fw_preferred_macro_names). */
export function preferredMacro(name: string): string | undefined {
  return Object.keys(FIREWALL_MACROS).find((k) => k.toLowerCase() === name.toLowerCase());
}

/**
 * verify_rule: the errors by parameter (raise_param_exc collects one message per parameter, the first),
 * the rule's IP version, and the macro normalised to its preferred name.
 */
export function verifyRule(rule: FwRule, cluster: FwConfig, local: FwConfig | undefined, env: RuleEnv): { errors: Record<string, string>; ipversion?: 4 | 6 } {
  const errors: Record<string, string> = {};
  const add = (param: string, message: string) => {
    errors[param] ??= message;
  };
  let ipversion: 4 | 6 | undefined;
  const setVersion = (version: 4 | 6 | undefined) => {
    if (!version) return;
    if (ipversion && version !== ipversion) throw new Error('detected mixed ipv4/ipv6 addresses in rule');
    ipversion = version;
  };
  const { type, action } = rule;
  if (!type) add('type', 'missing property');
  if (!action) add('action', 'missing property');
  if (type) {
    if (!DIRECTIONS[env].includes(type)) add('type', `invalid rule type '${type}' for rule_env '${env}'`);
    if (type === 'in' || type === 'out' || type === 'forward') {
      if (type === 'forward' && action === 'REJECT') add('action', 'cannot define REJECT rules on forward chain');
      if (action && !/^(ACCEPT|DROP|REJECT)$/.test(action)) add('action', `unknown action '${action}'`);
    } else if (type === 'group') {
      if (env === 'group') add('type', 'security groups not allowed');
      if (action && !NAME.test(action)) add('action', 'invalid characters in security group name');
    } else add('type', `unknown rule type '${type}'`);
  }
  if (rule.iface) {
    if (env === 'group') add('type', 'parameter -i not allowed for this rule type');
    if (!/^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/i.test(rule.iface)) add('iface', `invalid network interface name '${rule.iface}'`);
    if ((env === 'vm' || env === 'ct') && !/^net(\d+)$/.test(rule.iface)) add('iface', "value does not match the regex pattern 'net\\d+'");
  }
  if (rule.macro) {
    const preferred = preferredMacro(rule.macro);
    if (preferred) rule.macro = preferred;
    else add('macro', `unknown macro '${rule.macro}'`);
  }
  const proto = rule.proto;
  let icmp = false;
  if (proto) {
    const problem = protocolProblem(proto);
    if (problem) add('proto', problem);
    if (proto === 'icmp') setVersion(4);
    if (proto === 'icmpv6' || proto === 'ipv6-icmp') setVersion(6);
    icmp = isIcmp(proto);
  }
  const ports = (key: 'dport' | 'sport') => {
    const value = rule[key];
    if (!value) return;
    try {
      parsePorts(value, key === 'dport' && icmp);
    } catch (e) {
      add(key, (e as Error).message);
    }
    if (!proto) add('proto', `missing property - '${key}' requires this property`);
    else if (!PROTOCOLS_WITH_PORTS.has(proto) && !(key === 'dport' && icmp)) add(key, `protocol '${proto}' does not support ports`);
  };
  ports('dport');
  const icmpType = rule['icmp-type'];
  if (icmpType) {
    if (!icmp) add('proto', "missing property - 'icmp-type' requires this property");
    if (rule.dport) add('icmp-type', "'icmp-type' cannot be specified together with 'dport'");
    if (proto === 'icmp' && !ICMP_TYPES.includes(icmpType)) add('icmp-type', `invalid icmp-type '${icmpType}' for proto 'icmp'`);
    else if ((proto === 'icmpv6' || proto === 'ipv6-icmp') && !ICMPV6_TYPES.includes(icmpType)) add('icmp-type', `invalid icmp-type '${icmpType}' for proto '${proto}'`);
  }
  ports('sport');
  for (const key of ['source', 'dest'] as const) {
    const value = rule[key];
    if (!value) continue;
    try {
      setVersion(parseAddressList(value));
    } catch (e) {
      add(key, (e as Error).message);
    }
    // $check_ipset_or_alias_property
    if (value.startsWith('+')) {
      const ref = new RegExp(`^\\+(guest/|dc/|sdn/)?(${NAME_PATTERN})$`).exec(value);
      if (!ref) add(key, `invalid ipset name '${value}'`);
      else if (!cluster.ipset[ref[2]!] && !local?.ipset[ref[2]!]) add(key, `no such ipset '${ref[2]}'`);
    } else {
      const ref = new RegExp(`^(guest/|dc/)?(${NAME_PATTERN})$`).exec(value);
      if (ref) {
        const name = ref[2]!.toLowerCase();
        const scope = ref[1] ?? '';
        if (!cluster.aliases[name] && !local?.aliases[name]) add(key, `no such alias '${value}'`);
        const alias = (scope !== 'dc/' ? local?.aliases[name] : undefined) ?? (scope !== 'guest/' ? cluster.aliases[name] : undefined);
        if (alias) setVersion(parseIpOrCidr(alias.cidr)?.ipversion);
      }
    }
  }
  if (rule.macro && Object.keys(errors).length === 0) applyMacro(rule, ipversion, add);
  return { errors, ...(ipversion ? { ipversion } : {}) };
}

/** $apply_macro with $verify: a parameter the macro fixes may not be given with another value. */
function applyMacro(rule: FwRule, ipversion: 4 | 6 | undefined, add: (param: string, message: string) => void): void {
  const macro = FIREWALL_MACROS[rule.macro!]!;
  const templates = ipversion === 6 && FIREWALL_IPV6_MACROS[rule.macro!] ? FIREWALL_IPV6_MACROS[rule.macro!]! : macro.rules;
  if (ipversion && macro.ipversion && macro.ipversion !== ipversion) return;
  const param = rule as unknown as Record<string, string | number | undefined>;
  for (const template of templates) {
    const used = new Set<string>();
    const fixed: Record<string, string> = {};
    for (const [key, literal] of Object.entries(template)) {
      const from = literal === 'PARAM' ? key : literal === 'DEST' ? 'dest' : literal === 'SOURCE' ? 'source' : undefined;
      const value = from === undefined ? literal : param[from];
      if (from !== undefined) used.add(from);
      if (value === undefined) return add('macro', `missing parameter '${key}' in macro '${rule.macro}'`);
      fixed[key] = String(value);
    }
    for (const [key, value] of Object.entries(param)) {
      if (key === 'macro' || value === undefined || used.has(key)) continue;
      if (fixed[key] !== undefined && fixed[key] !== String(value)) add(key, `parameter '${key}' already define in macro (value = '${fixed[key]}')`);
    }
  }
}
