/**
 * Firewall rules as phoenix models them: the `rule` blocks of `firewall_rules` (a guest's list) and
 * `firewall_security_group` (a group's list). One rule is an object with the API's properties
 * (pve-firewall Firewall.pm $rule_properties; `icmp-type` spelled `icmp_type`); an ordered list of them is
 * one attribute, so order is declarative and compares as a whole.
 */
import { isObject, isUnknown, type Value, type ValueObject } from '../../config/values.js';
import type { AttributeSchema } from '../provider.js';
import type { Checks } from '../proxmox/checks.js';
import type { FwRule } from '../../proxmox-data/fw-file.js';
import { ADDRESS_SPEC, addressListVersion, GROUP_NAME, isIcmp, LOG_LEVELS, portSpec, preferredMacro, PROTOCOL, PROTOCOLS_WITH_PORTS } from './formats.js';
import { ICMP_TYPES, ICMPV6_TYPES } from '../../proxmox-data/firewall-tables.js';

/** Rule fields → API property. */
export const RULE_PROPERTIES = {
  type: 'type',
  action: 'action',
  macro: 'macro',
  source: 'source',
  dest: 'dest',
  proto: 'proto',
  dport: 'dport',
  sport: 'sport',
  icmp_type: 'icmp-type',
  iface: 'iface',
  log: 'log',
  comment: 'comment',
  enable: 'enable',
} as const;
type Field = keyof typeof RULE_PROPERTIES;
const OPTIONAL_FIELDS = (Object.keys(RULE_PROPERTIES) as Field[]).filter((f) => f !== 'type' && f !== 'action');

/** Where a rule list lives: pve-firewall's rule_env (a guest's list is "vm"/"ct", both as "guest" here). */
export type RuleScope = 'guest' | 'group' | 'cluster' | 'host';

/** $rule_env_direction_lookup. */
const DIRECTIONS: Record<RuleScope, string[]> = { guest: ['in', 'out', 'group'], group: ['in', 'out', 'forward'], cluster: ['in', 'out', 'forward', 'group'], host: ['in', 'out', 'forward', 'group'] };

export function ruleListAttribute(where: RuleScope): AttributeSchema {
  const groups = where !== 'group';
  return {
    type: {
      list: {
        object: { type: 'string', action: 'string', macro: 'string', source: 'string', dest: 'string', proto: 'string', dport: 'string', sport: 'string', icmp_type: 'string', iface: 'string', log: 'string', comment: 'string', enable: 'bool' },
        optional: OPTIONAL_FIELDS,
      },
    },
    block: 'list',
    required: true,
    description:
      `The rules in order, one \`rule\` block each: \`type\` (${DIRECTIONS[where].map((t) => `"${t}"`).join(', ')}` +
      (groups ? '; "group" inserts the security group named by `action`' : '') +
      '), `action` (ACCEPT, DROP, REJECT' +
      (groups ? ' or the group name' : '') +
      '), `macro` (SSH, HTTP, DNS...), `source` / `dest` (address, network, range, list, alias name or "+ipset"), `proto`, `dport` / `sport` ' +
      '(ports, /etc/services names, ranges "80:85", lists), `icmp_type`, ' +
      (where === 'guest' ? '`iface` (net0...), ' : where === 'group' ? '' : '`iface` (a host interface such as vmbr0), ') +
      '`log` (nolog, info...), `comment`, `enable` (default true). The first rule is position 0.',
  };
}

/** A rule with every field present: unset ones null, `enable` true, the macro in Proxmox's spelling, the comment trimmed. */
export function normalizeRule(value: Value): Value {
  if (!isObject(value)) return value;
  const rule: ValueObject = {};
  for (const field of Object.keys(RULE_PROPERTIES) as Field[]) rule[field] = value[field] ?? null;
  rule.enable = value.enable ?? true;
  if (typeof rule.macro === 'string') rule.macro = preferredMacro(rule.macro) ?? rule.macro;
  // parse_fw_rule reads a comment back without surrounding blanks; an empty one is not written.
  if (typeof rule.comment === 'string') rule.comment = rule.comment.trim() === '' ? null : rule.comment.trim();
  return rule;
}

export function normalizeRules(value: Value | undefined): Value {
  return Array.isArray(value) ? value.map(normalizeRule) : (value ?? []);
}

/** A rule read from a .fw file, in the attribute's shape. */
export function ruleFromFw(rule: FwRule): ValueObject {
  const record = rule as unknown as Record<string, string | number | undefined>;
  const out: ValueObject = {};
  for (const [field, property] of Object.entries(RULE_PROPERTIES)) out[field] = record[property] === undefined ? null : String(record[property]);
  out.enable = rule.enable !== 0;
  return out;
}

/** `--property value` for every set field; `enable` always (create_rule disables a rule created without it). */
export function ruleArgs(rule: ValueObject): string[] {
  const args: string[] = [];
  for (const [field, property] of Object.entries(RULE_PROPERTIES)) {
    const value = rule[field];
    if (field === 'enable') args.push('--enable', value === false ? '0' : '1');
    else if (typeof value === 'string') args.push(`--${property}`, value);
  }
  return args;
}

/** The API properties a rule no longer has (for `--delete` when it is rewritten in place). */
export function droppedProperties(before: ValueObject, after: ValueObject): string[] {
  return OPTIONAL_FIELDS.filter((f) => f !== 'enable' && typeof before[f] === 'string' && typeof after[f] !== 'string').map((f) => RULE_PROPERTIES[f]);
}

/** verify_rule's checks that need no other object (references to ipsets and aliases are checked at plan). */
export function checkRules(c: Checks, attribute: string, rules: Value | undefined, where: RuleScope): void {
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, index) => {
    if (!isObject(rule)) return;
    const at = (field: string) => [attribute, String(index), field];
    const text = (field: string) => (typeof rule[field] === 'string' && !isUnknown(rule[field]) ? (rule[field] as string) : undefined);
    const types = DIRECTIONS[where];
    const type = text('type');
    const action = text('action');
    if (type !== undefined && !types.includes(type)) c.reject(at('type'), type, `invalid rule type '${type}' for rule_env '${where === 'guest' ? 'vm' : where}'`, types.join(', '));
    if (type === 'group' && action !== undefined) c.string(at('action'), action, GROUP_NAME);
    else if (action !== undefined && !/^(ACCEPT|DROP|REJECT)$/.test(action)) c.reject(at('action'), action, `unknown action '${action}'`, 'ACCEPT, DROP or REJECT');
    if (type === 'forward' && action === 'REJECT') c.reject(at('action'), action, 'cannot define REJECT rules on forward chain');
    const macro = text('macro');
    if (macro !== undefined && preferredMacro(macro) === undefined) c.reject(at('macro'), macro, `unknown macro '${macro}'`, 'a pve-firewall macro such as SSH, HTTP, HTTPS, DNS, Ping');
    const iface = text('iface');
    if (iface !== undefined) {
      if (where === 'group') c.reject(at('iface'), iface, 'parameter -i not allowed for this rule type');
      else if (!/^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/i.test(iface)) c.reject(at('iface'), iface, `invalid network interface name '${iface}'`, 'an interface name such as vmbr0 (pve-iface)');
      else if (where === 'guest' && !/^net\d+$/.test(iface)) c.reject(at('iface'), iface, "value does not match the regex pattern 'net\\d+'", 'a guest interface key such as net0');
    }
    const proto = text('proto');
    if (proto !== undefined) c.string(at('proto'), proto, PROTOCOL);
    const icmp = proto !== undefined && isIcmp(proto);
    for (const key of ['dport', 'sport'] as const) {
      const ports = text(key);
      if (ports === undefined) continue;
      c.string(at(key), ports, portSpec(key === 'dport' && icmp));
      if (proto === undefined) c.reject(at(key), ports, `missing property - '${key}' requires this property`, 'a rule with `proto` set');
      else if (proto !== undefined && !PROTOCOLS_WITH_PORTS.has(proto) && !(key === 'dport' && icmp)) c.reject(at(key), ports, `protocol '${proto}' does not support ports`);
    }
    const icmpType = text('icmp_type');
    if (icmpType !== undefined) {
      if (!icmp) c.reject(at('icmp_type'), icmpType, "missing property - 'icmp-type' requires this property", 'proto = "icmp", "icmpv6" or "ipv6-icmp"');
      else if (text('dport') !== undefined) c.reject(at('icmp_type'), icmpType, "'icmp-type' cannot be specified together with 'dport'");
      else if (!(proto === 'icmp' ? ICMP_TYPES : ICMPV6_TYPES).includes(icmpType)) c.reject(at('icmp_type'), icmpType, `invalid icmp-type '${icmpType}' for proto '${proto}'`);
    }
    const versions = new Set<number>();
    if (proto === 'icmp') versions.add(4);
    if (proto === 'icmpv6' || proto === 'ipv6-icmp') versions.add(6);
    for (const key of ['source', 'dest'] as const) {
      const address = text(key);
      if (address === undefined) continue;
      c.string(at(key), address, ADDRESS_SPEC);
      try {
        const version = addressListVersion(address);
        if (version) versions.add(version);
      } catch {
        // reported by the format check above
      }
    }
    if (versions.size > 1) c.error([attribute, String(index)], 'Invalid firewall rule', 'detected mixed ipv4/ipv6 addresses in rule: source, dest and proto must name one IP family.');
    const log = text('log');
    if (log !== undefined) c.oneOf(at('log'), log, LOG_LEVELS);
  });
}

/** The `+ipset` and alias names the rules' addresses refer to (checked against the plan and the node). */
export function referencedNames(rules: Value | undefined): { ipsets: string[]; aliases: string[] } {
  const ipsets: string[] = [];
  const aliases: string[] = [];
  for (const rule of Array.isArray(rules) ? rules : []) {
    if (!isObject(rule)) continue;
    for (const key of ['source', 'dest']) {
      const value = rule[key];
      if (typeof value !== 'string') continue;
      const ipset = /^\+(?:guest\/|dc\/|sdn\/)?([A-Za-z][A-Za-z0-9\-_]+)$/.exec(value);
      const alias = /^(?:dc\/|guest\/)?([A-Za-z][A-Za-z0-9\-_]+)$/.exec(value);
      if (ipset) ipsets.push(ipset[1]!);
      else if (alias) aliases.push(alias[1]!.toLowerCase());
    }
  }
  return { ipsets, aliases };
}
