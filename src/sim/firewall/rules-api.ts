/**
 * Rule lists through pvesh: /nodes/N/{lxc,qemu}/ID/firewall/rules[/POS], /cluster/firewall/groups/G[/POS],
 * /cluster/firewall/rules[/POS] and /nodes/N/firewall/rules[/POS],
 * after pve-firewall src/PVE/API2/Firewall/Rules.pm (RulesBase: get_rules, get_rule, create_rule,
 * update_rule, delete_rule; GroupRules, ClusterRules, HostRules, VMRules, CTRules) and the $rule_properties of Firewall.pm.
 */
import { parseArgs } from '../core/args.js';
import { arg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import type { ParamSpec } from '../core/schema.js';
import { emptyFwConfig, type FwConfig, type FwRule } from '../../proxmox-data/fw-file.js';
import { assertNotModified, listWithDigest, loadCluster, loadGuest, loadHost, ruleRecord, saveCluster, saveGuest, saveHost } from './store.js';
import { NAME_PATTERN, parseAddressList, parsePorts, protocolProblem, verifyRule, type RuleEnv } from './verify.js';
import { ICMP_TYPES, ICMPV6_TYPES } from '../../proxmox-data/firewall-tables.js';

const thrown = (f: () => void) => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'nolog'];
export const DIGEST: ParamSpec = { type: 'string', maxLength: 64, pattern: /^[a-f0-9]{40}$/i };

/** $rule_properties (Firewall.pm), as create_rule and update_rule take them. */
export const RULE_OPTIONS: Record<string, ParamSpec> = {
  pos: { type: 'integer', min: 0 },
  digest: DIGEST,
  type: { type: 'string', enum: ['in', 'out', 'forward', 'group'] },
  action: { type: 'string', minLength: 2, maxLength: 20, pattern: new RegExp(`^${NAME_PATTERN}$`) },
  macro: { type: 'string', maxLength: 128 },
  iface: { type: 'string', minLength: 2, maxLength: 20, check: (v) => (/^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/i.test(v) ? undefined : `invalid network interface name '${v}'`) },
  source: { type: 'string', maxLength: 512, check: (v) => (thrown(() => parseAddressList(v))) },
  dest: { type: 'string', maxLength: 512, check: (v) => (thrown(() => parseAddressList(v))) },
  proto: { type: 'string', check: (v) => (protocolProblem(v)) },
  enable: { type: 'integer', min: 0 },
  log: { type: 'string', enum: LOG_LEVELS },
  sport: { type: 'string', check: (v) => (thrown(() => parsePorts(v, false))) },
  dport: { type: 'string', check: (v) => (thrown(() => parsePorts(v, true))) },
  comment: { type: 'string' },
  'icmp-type': { type: 'string', check: (v) => (v === '' || ICMP_TYPES.includes(v) || ICMPV6_TYPES.includes(v) ? undefined : `invalid icmp-type value '${v}'`) },
};


const FORMAT_OPTIONS: Record<string, ParamSpec> = { 'output-format': { type: 'string', enum: ['text', 'json', 'json-pretty', 'yaml'] }, quiet: { type: 'boolean' } };
const RULE_KEYS = ['type', 'action', 'macro', 'iface', 'source', 'dest', 'proto', 'enable', 'log', 'sport', 'dport', 'comment', 'icmp-type'] as const;

/** Where a rule list lives and how it is saved: a guest's <vmid>.fw or a security group of cluster.fw. */
export interface RuleList {
  env: RuleEnv;
  load(ctx: CommandContext): { cluster: FwConfig; local: FwConfig | undefined; rules: FwRule[] };
  save(ctx: CommandContext, rules: FwRule[]): void;
}

export function guestRules(kind: 'lxc' | 'qemu', vmid: number): RuleList {
  return {
    env: kind === 'lxc' ? 'ct' : 'vm',
    load(ctx) {
      const local = loadGuest(ctx.env, vmid);
      return { cluster: loadCluster(ctx.env), local, rules: local.rules };
    },
    save(ctx, rules) {
      saveGuest(ctx.env, vmid, { ...loadGuest(ctx.env, vmid), rules });
    },
  };
}

/**
 * ClusterRules: cluster.fw [RULES]. Its load_config hands verify_rule cluster.fw as the rule's own config and
 * no cluster config, so a `dc/` alias yields no IP version there.
 */
export function clusterRules(): RuleList {
  return {
    env: 'cluster',
    load(ctx) {
      const cluster = loadCluster(ctx.env);
      return { cluster: emptyFwConfig(), local: cluster, rules: cluster.rules };
    },
    save(ctx, rules) {
      saveCluster(ctx.env, { ...loadCluster(ctx.env), rules });
    },
  };
}

/** HostRules: host.fw [RULES] of the node the call runs on. */
export function hostRules(): RuleList {
  return {
    env: 'host',
    load(ctx) {
      const local = loadHost(ctx.env);
      return { cluster: loadCluster(ctx.env), local, rules: local.rules };
    },
    save(ctx, rules) {
      saveHost(ctx.env, { ...loadHost(ctx.env), rules });
    },
  };
}

/** GroupRules load_config: "no such security group" for a group cluster.fw does not hold. */
export function groupRules(group: string): RuleList {
  return {
    env: 'group',
    load(ctx) {
      const cluster = loadCluster(ctx.env);
      const rules = cluster.groups[group];
      if (!rules) throw new SimError(`no such security group '${group}'`);
      return { cluster, local: undefined, rules };
    },
    save(ctx, rules) {
      const cluster = loadCluster(ctx.env);
      saveCluster(ctx.env, { ...cluster, groups: { ...cluster.groups, [group]: rules } });
    },
  };
}

function records(list: RuleList, ctx: CommandContext) {
  const { cluster, local, rules } = list.load(ctx);
  // get_rules: the digest covers the rules; `pos` is added afterwards.
  const { list: entries, digest } = listWithDigest(rules.map((r) => ruleRecord(r, cluster, local, list.env)));
  return { list: entries.map((entry, pos) => ({ ...entry, pos })), digest };
}

/** get_rules / get_rule. */
export function getRules(ctx: CommandContext, list: RuleList, pos: number | undefined): unknown {
  const { list: all } = records(list, ctx);
  if (pos === undefined) return all;
  if (pos >= all.length) throw new SimError(`no rule at position ${pos}`);
  return all[pos];
}

/** copy_rule_data: '' or '-' deletes a property. */
function copyRuleData(rule: Record<string, string | number>, params: Record<string, string>): void {
  for (const key of RULE_KEYS) {
    const value = params[key];
    if (value === undefined) continue;
    if (value === '' || value === '-') delete rule[key];
    else rule[key] = key === 'enable' ? Number(value) : value;
  }
}

function checked(rule: FwRule, list: RuleList, cluster: FwConfig, local: FwConfig | undefined): FwRule {
  let errors: Record<string, string>;
  try {
    ({ errors } = verifyRule(rule, cluster, local, list.env));
  } catch (e) {
    throw new SimError((e as Error).message);
  }
  if (Object.keys(errors).length > 0) throw verificationError(errors);
  return rule;
}

export async function createRule(ctx: CommandContext, list: RuleList, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'pvesh create <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options: { ...RULE_OPTIONS, ...FORMAT_OPTIONS } }, args);
  const params = parsed.options;
  const missing = Object.fromEntries(['action', 'type'].filter((k) => params[k] === undefined).map((k) => [k, 'property is missing']));
  if (Object.keys(missing).length > 0) throw verificationError(missing, 'pvesh create <api_path> [OPTIONS] [FORMAT_OPTIONS]');
  await withNodeLock(ctx.env, () => {
    const { cluster, local, rules } = list.load(ctx);
    const rule: Record<string, string | number> = {};
    copyRuleData(rule, params);
    // create_rule: a rule created without `enable` is disabled; it goes to the top (unshift), `pos` is ignored.
    if (params.enable === undefined) rule.enable = 0;
    list.save(ctx, [checked(rule as unknown as FwRule, list, cluster, local), ...rules]);
  });
}

export async function updateRule(ctx: CommandContext, list: RuleList, pos: number, args: string[]): Promise<void> {
  const options = { ...RULE_OPTIONS, moveto: { type: 'integer', min: 0 } as ParamSpec, delete: { type: 'string' } as ParamSpec, ...FORMAT_OPTIONS };
  const params = parseArgs({ usage: 'pvesh set <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options }, args).options;
  await withNodeLock(ctx.env, () => {
    const { cluster, local, rules } = list.load(ctx);
    assertDigest(records(list, ctx).digest, params.digest);
    if (pos >= rules.length) throw new SimError(`no rule at position ${pos}`);
    const rule = rules[pos]!;
    const moveto = params.moveto === undefined ? undefined : Number(params.moveto);
    if (moveto !== undefined && moveto !== pos) {
      const moved: FwRule[] = [];
      rules.forEach((r, i) => {
        if (i === pos) return;
        if (i === moveto) moved.push(rule);
        moved.push(r);
      });
      if (moveto >= rules.length) moved.push(rule);
      return list.save(ctx, moved);
    }
    const data = rule as unknown as Record<string, string | number>;
    copyRuleData(data, params);
    for (const key of (params.delete ?? '').split(/[,;\s]+/).filter(Boolean)) {
      // delete_rule_properties
      if (!(key in RULE_OPTIONS)) throw verificationError({ delete: `no such property ('${key}')` });
      if (key === 'type' || key === 'action') throw verificationError({ delete: `unable to delete required property '${key}'` });
      delete data[key];
    }
    checked(rule, list, cluster, local);
    list.save(ctx, rules);
  });
}

export async function deleteRule(ctx: CommandContext, list: RuleList, pos: number, args: string[]): Promise<void> {
  const params = parseArgs({ usage: 'pvesh delete <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options: { digest: DIGEST, ...FORMAT_OPTIONS } }, args).options;
  await withNodeLock(ctx.env, () => {
    const { rules } = list.load(ctx);
    assertDigest(records(list, ctx).digest, params.digest);
    if (pos >= rules.length) throw new SimError(`no rule at position ${pos}`);
    list.save(ctx, rules.filter((_, i) => i !== pos));
  });
}

export function assertDigest(current: string, given: string | undefined): void {
  try {
    assertNotModified(current, given);
  } catch (e) {
    throw new SimError((e as Error).message);
  }
}
