/**
 * The `.fw` file format of pve-firewall (/etc/pve/firewall/cluster.fw, /etc/pve/firewall/<vmid>.fw and a
 * node's /etc/pve/nodes/<node>/host.fw),
 * read and written as pve-firewall src/PVE/Firewall.pm does: generic_fw_config_parser, parse_fw_rule,
 * parse_alias, parse_ip_or_cidr and the $format_* subs of save_vmfw_conf / save_clusterfw_conf.
 * Pure text in, data out: shared by the engine's batched read and the simulator's store. Verification
 * (what the API refuses) is not here: the simulator ports it (src/sim/firewall/verify.ts), the engine
 * checks configs itself (src/resources/firewall/formats.ts, rules.ts).
 */

/** A rule as the parser keeps it; `icmp-type` and the other keys are the API's property names. */
export interface FwRule {
  type: string;
  action: string;
  enable: number;
  macro?: string;
  iface?: string;
  source?: string;
  dest?: string;
  proto?: string;
  dport?: string;
  sport?: string;
  log?: string;
  'icmp-type'?: string;
  comment?: string;
}

export interface FwIpsetEntry {
  cidr: string;
  nomatch?: number;
  comment?: string;
}

export interface FwAlias {
  name: string;
  cidr: string;
  comment?: string;
}

export interface FwConfig {
  options: Record<string, string>;
  /** By lower-cased name (parse_alias keys), keeping the name as written. */
  aliases: Record<string, FwAlias>;
  /** By lower-cased name: the parser lower-cases `[IPSET name]`. */
  ipset: Record<string, FwIpsetEntry[]>;
  ipsetComments: Record<string, string>;
  rules: FwRule[];
  /** By lower-cased name: the parser lower-cases `[group name]`. */
  groups: Record<string, FwRule[]>;
  groupComments: Record<string, string>;
}

export function emptyFwConfig(): FwConfig {
  return { options: {}, aliases: {}, ipset: {}, ipsetComments: {}, rules: [], groups: {}, groupComments: {} };
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;

/** parse_ip_or_cidr: a single-host prefix (/32, /128) is dropped. Undefined when it is no address. */
export function parseIpOrCidr(cidr: string): { cidr: string; ipversion: 4 | 6 } | undefined {
  const [ip, len, ...rest] = cidr.split('/');
  if (rest.length > 0 || ip === undefined || (len !== undefined && !/^\d+$/.test(len))) return undefined;
  if (IPV4.test(ip)) return { cidr: len === '32' ? ip : cidr, ipversion: 4 };
  if (IPV6.test(ip)) return { cidr: len === '128' ? ip : cidr, ipversion: 6 };
  return undefined;
}

function splitComment(line: string): { body: string; comment?: string } {
  const match = /#\s*(.*?)\s*$/.exec(line);
  if (!match) return { body: line };
  const body = line.slice(0, match.index).trimEnd();
  return match[1] ? { body, comment: match[1] } : { body };
}

/** parse_fw_rule without verify_rule: undefined for a line it cannot parse (Proxmox warns and skips it). */
export function parseFwRule(line: string): FwRule | undefined {
  const { body, comment } = splitComment(line);
  let rest = body;
  const enable = rest.startsWith('|') ? 0 : 1;
  if (enable === 0) rest = rest.slice(1);
  const head = /^(\S+)\s+(\S+)\s*/.exec(rest);
  if (!head) return undefined;
  rest = rest.slice(head[0].length);
  const rule: FwRule = { type: head[1]!.toLowerCase(), action: head[2]!, enable };
  if (['in', 'out', 'forward'].includes(rule.type)) {
    const macro = /^(\S+)\((ACCEPT|DROP|REJECT)\)$/.exec(rule.action);
    if (macro) {
      rule.macro = macro[1]!;
      rule.action = macro[2]!;
    }
  }
  const options: [RegExp, keyof FwRule][] = [
    [/^(?:-p|--?proto) (\S+)\s*/, 'proto'],
    [/^--?dport (\S+)\s*/, 'dport'],
    [/^--?sport (\S+)\s*/, 'sport'],
    [/^--?source (\S+)\s*/, 'source'],
    [/^--?dest (\S+)\s*/, 'dest'],
    [/^--?log (emerg|alert|crit|err|warning|notice|info|debug|nolog)\s*/, 'log'],
    [/^--?icmp-type (\S+)\s*/, 'icmp-type'],
  ];
  while (rest.length > 0) {
    const iface = /^-i (\S+)\s*/.exec(rest);
    if (iface) {
      rule.iface = iface[1]!;
      rest = rest.slice(iface[0].length);
      continue;
    }
    if (rule.type === 'group') break;
    const found = options.map(([re, key]) => [re.exec(rest), key] as const).find(([m]) => m);
    if (!found) break;
    (rule as unknown as Record<string, string>)[found[1]] = found[0]![1]!;
    rest = rest.slice(found[0]![0].length);
  }
  if (rest.length > 0) return undefined;
  if (comment !== undefined) rule.comment = comment;
  return rule;
}

/** generic_fw_config_parser: sections, then one entry a line; lines it cannot parse are skipped. */
export function parseFwConfig(text: string): FwConfig {
  const conf = emptyFwConfig();
  let section: string | undefined;
  let group = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(options|aliases|rules)\]$/i.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      continue;
    }
    const named = /^\[(group|ipset)\s+(\S+)\]\s*(?:#\s*(.*?)\s*)?$/i.exec(line);
    if (named) {
      section = named[1]!.toLowerCase() === 'group' ? 'groups' : 'ipset';
      group = named[2]!.toLowerCase();
      if (section === 'groups') {
        conf.groups[group] = [];
        if (named[3]) conf.groupComments[group] = named[3];
      } else {
        conf.ipset[group] = [];
        if (named[3]) conf.ipsetComments[group] = named[3];
      }
      continue;
    }
    if (section === 'options') {
      const option = /^(\w+):\s*(.*?)\s*$/.exec(line);
      if (option) conf.options[option[1]!.toLowerCase()] = option[2]!;
    } else if (section === 'aliases') {
      const { body, comment } = splitComment(line);
      const alias = /^(\S+)\s(\S+)$/.exec(body);
      const parsed = alias ? parseIpOrCidr(alias[2]!) : undefined;
      if (alias && parsed) conf.aliases[alias[1]!.toLowerCase()] = { name: alias[1]!, cidr: parsed.cidr, ...(comment ? { comment } : {}) };
    } else if (section === 'rules' || section === 'groups') {
      const rule = parseFwRule(line);
      if (rule) (section === 'rules' ? conf.rules : conf.groups[group]!).push(rule);
    } else if (section === 'ipset') {
      const { body, comment } = splitComment(line);
      const entry = /^(!)?\s*(\S+)\s*$/.exec(body);
      if (!entry) continue;
      const cidr = parseIpOrCidr(entry[2]!)?.cidr ?? entry[2]!;
      conf.ipset[group]!.push({ cidr, ...(entry[1] ? { nomatch: 1 } : {}), ...(comment ? { comment } : {}) });
    }
  }
  return conf;
}

const hasText = (comment: string | undefined): comment is string => comment !== undefined && !/^\s*$/.test(comment);

/** $format_rules. */
function formatRules(rules: readonly FwRule[], allowIface: boolean): string {
  return rules
    .map((rule) => {
      let line = (rule.enable === 0 ? '|' : '') + rule.type.toUpperCase();
      line += rule.macro ? ` ${rule.macro}(${rule.action})` : ` ${rule.action}`;
      if (allowIface && rule.iface) line += ` -i ${rule.iface}`;
      if (rule.type !== 'group') {
        for (const [key, flag] of [['source', 'source'], ['dest', 'dest'], ['proto', 'p'], ['dport', 'dport'], ['sport', 'sport'], ['log', 'log'], ['icmp-type', 'icmp-type']] as const) {
          if (rule[key]) line += ` -${flag} ${rule[key]}`;
        }
      }
      if (hasText(rule.comment)) line += ` # ${rule.comment}`;
      return line + '\n';
    })
    .join('');
}

function formatIpsets(conf: FwConfig): string {
  let raw = '';
  for (const name of Object.keys(conf.ipset).sort()) {
    raw += conf.ipsetComments[name] ? `[IPSET ${name}] # ${conf.ipsetComments[name]}\n\n` : `[IPSET ${name}]\n\n`;
    const byCidr = new Map<string, FwIpsetEntry>();
    for (const entry of conf.ipset[name]!) if (!byCidr.has(entry.cidr)) byCidr.set(entry.cidr, entry);
    for (const cidr of [...byCidr.keys()].sort()) {
      const entry = byCidr.get(cidr)!;
      raw += `${entry.nomatch ? '!' : ''}${entry.cidr}${hasText(entry.comment) ? ` # ${entry.comment}` : ''}\n`;
    }
    raw += '\n';
  }
  return raw;
}

/**
 * save_vmfw_conf (kind "vm"), save_clusterfw_conf ("cluster") and save_hostfw_conf ("host": options and
 * rules only); "" means the file is removed.
 */
export function formatFwConfig(conf: FwConfig, kind: 'vm' | 'cluster' | 'host'): string {
  let raw = '';
  const options = Object.keys(conf.options).sort();
  if (options.length > 0) raw += `[OPTIONS]\n\n${options.map((k) => `${k}: ${conf.options[k]}\n`).join('')}\n`;
  if (kind !== 'host') raw += formatAliasesAndIpsets(conf);
  if (conf.rules.length > 0) raw += `[RULES]\n\n${formatRules(conf.rules, true)}\n`;
  if (kind === 'cluster') {
    for (const name of Object.keys(conf.groups).sort()) {
      raw += conf.groupComments[name] ? `[group ${name}] # ${conf.groupComments[name]}\n\n` : `[group ${name}]\n\n`;
      raw += `${formatRules(conf.groups[name]!, false)}\n`;
    }
  }
  return raw;
}

function formatAliasesAndIpsets(conf: FwConfig): string {
  let raw = '';
  const aliases = Object.keys(conf.aliases).sort();
  if (aliases.length > 0) {
    raw += '[ALIASES]\n\n';
    for (const key of aliases) {
      const alias = conf.aliases[key]!;
      raw += `${alias.name} ${alias.cidr}${hasText(alias.comment) ? ` # ${alias.comment}` : ''}\n`;
    }
    raw += '\n';
  }
  return raw + formatIpsets(conf);
}
