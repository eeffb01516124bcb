/**
 * Aliases, IP sets and security groups through pvesh: /cluster/firewall/aliases[/NAME] (API2/Firewall/Aliases.pm
 * AliasesBase), /cluster/firewall/ipset[/NAME[/CIDR]] (API2/Firewall/IPSet.pm IPSetBase, BaseIPSetList) and
 * /cluster/firewall/groups[/G] (API2/Firewall/Groups.pm), kept in cluster.fw; a guest's own aliases and IP sets
 * (VMAliases, CTAliases, VMIPSetList, CTIPSetList...) at /nodes/N/{lxc,qemu}/ID/firewall/{aliases,ipset}, kept
 * in its <vmid>.fw.
 */
import { parseArgs } from '../core/args.js';
import { arg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import type { ParamSpec } from '../core/schema.js';
import { parseIpOrCidr, type FwConfig } from '../../proxmox-data/fw-file.js';
import { assertDigest, DIGEST } from './rules-api.js';
import { listWithDigest, loadCluster, loadGuest, saveCluster, saveGuest } from './store.js';
import { ipOrCidrProblem, NAME_PATTERN } from './verify.js';

const FORMAT_OPTIONS: Record<string, ParamSpec> = { 'output-format': { type: 'string', enum: ['text', 'json', 'json-pretty', 'yaml'] }, quiet: { type: 'boolean' } };

/** ipset-name, pve-fw-alias (max 64) and pve-security-group-name (max 18): the name pattern, min length 2. */
const name = (max: number): ParamSpec => ({ type: 'string', minLength: 2, maxLength: max, pattern: new RegExp(`^${NAME_PATTERN}$`) });
const IP_OR_CIDR: ParamSpec = { type: 'string', check: ipOrCidrProblem };
const IP_OR_CIDR_OR_ALIAS: ParamSpec = { type: 'string', check: (v) => (new RegExp(`^(dc/|guest/)?${NAME_PATTERN}$`).test(v) ? undefined : IP_OR_CIDR.check!(v)) };

function parse(command: string, options: Record<string, ParamSpec>, args: string[]): Record<string, string> {
  return parseArgs({ usage: `pvesh ${command} <api_path> [OPTIONS] [FORMAT_OPTIONS]`, positionals: [arg('api_path')], options: { ...options, ...FORMAT_OPTIONS } }, args).options;
}

/** The config aliases and IP sets are kept in, and the cluster config resolve_alias looks at besides it. */
export interface FwScope {
  load(ctx: CommandContext): FwConfig;
  save(ctx: CommandContext, conf: FwConfig): void;
  /** undefined at cluster level: the config itself is the cluster's (resolve_alias). */
  cluster(ctx: CommandContext): FwConfig | undefined;
}

export const CLUSTER_SCOPE: FwScope = { load: (ctx) => loadCluster(ctx.env), save: (ctx, conf) => saveCluster(ctx.env, conf), cluster: () => undefined };

export function guestScope(vmid: number): FwScope {
  return { load: (ctx) => loadGuest(ctx.env, vmid), save: (ctx, conf) => saveGuest(ctx.env, vmid, conf), cluster: (ctx) => loadCluster(ctx.env) };
}

function change(ctx: CommandContext, scope: FwScope, edit: (conf: FwConfig) => void): Promise<void> {
  return withNodeLock(ctx.env, () => {
    const conf = scope.load(ctx);
    edit(conf);
    scope.save(ctx, conf);
  });
}

const changeCluster = (ctx: CommandContext, edit: (conf: FwConfig) => void) => change(ctx, CLUSTER_SCOPE, edit);

/** Firewall.pm resolve_alias: `guest/` looks only at the guest's aliases, `dc/` only at the cluster's. */
function aliasExists(scope: FwScope, ctx: CommandContext, conf: FwConfig, prefix: string | undefined, alias: string): boolean {
  const cluster = scope.cluster(ctx) ?? conf;
  const local = scope.cluster(ctx) ? conf : undefined;
  const key = alias.toLowerCase();
  return Boolean((prefix !== 'dc/' && local?.aliases[key]) || (prefix !== 'guest/' && cluster.aliases[key]));
}

/** $aliases_to_list: sorted by lower-cased name. */
function aliasList(conf: FwConfig) {
  return listWithDigest(Object.keys(conf.aliases).sort().map((k) => ({ ...conf.aliases[k]! })));
}

export function getAliases(ctx: CommandContext, scope: FwScope, alias?: string): unknown {
  const conf = scope.load(ctx);
  if (alias === undefined) return aliasList(conf).list;
  const found = conf.aliases[alias.toLowerCase()];
  if (!found) throw verificationError({ name: 'no such alias' });
  return found;
}

export function createAlias(ctx: CommandContext, scope: FwScope, args: string[]): Promise<void> {
  const p = parse('create', { name: name(64), cidr: IP_OR_CIDR, comment: { type: 'string' } }, args);
  if (p.name === undefined || p.cidr === undefined) throw verificationError(Object.fromEntries(['cidr', 'name'].filter((k) => p[k] === undefined).map((k) => [k, 'property is missing'])));
  return change(ctx, scope, (conf) => {
    if (conf.aliases[p.name!.toLowerCase()]) throw verificationError({ name: `alias '${p.name}' already exists` });
    conf.aliases[p.name!.toLowerCase()] = { name: p.name!, cidr: p.cidr!, ...(p.comment ? { comment: p.comment } : {}) };
  });
}

export function updateAlias(ctx: CommandContext, scope: FwScope, alias: string, args: string[]): Promise<void> {
  const p = parse('set', { cidr: IP_OR_CIDR, comment: { type: 'string' }, rename: name(64), digest: DIGEST }, args);
  if (p.cidr === undefined) throw verificationError({ cidr: 'property is missing' });
  return change(ctx, scope, (conf) => {
    assertDigest(aliasList(conf).digest, p.digest);
    const key = alias.toLowerCase();
    if (!conf.aliases[key]) throw verificationError({ name: 'no such alias' });
    conf.aliases[key] = { name: alias, cidr: p.cidr!, ...(p.comment ? { comment: p.comment } : {}) };
    const rename = p.rename?.toLowerCase();
    if (rename && rename !== key) {
      if (conf.aliases[rename]) throw verificationError({ name: `alias '${p.rename}' already exists` });
      conf.aliases[rename] = { ...conf.aliases[key]!, name: p.rename! };
      delete conf.aliases[key];
    }
  });
}

export function deleteAlias(ctx: CommandContext, scope: FwScope, alias: string, args: string[]): Promise<void> {
  const p = parse('delete', { digest: DIGEST }, args);
  return change(ctx, scope, (conf) => {
    assertDigest(aliasList(conf).digest, p.digest);
    delete conf.aliases[alias.toLowerCase()];
  });
}

/** BaseIPSetList $get_ipset_list: name, comment, digest over the list. */
function ipsetList(conf: FwConfig) {
  return listWithDigest(Object.keys(conf.ipset).sort().map((n) => ({ name: n, ...(conf.ipsetComments[n] ? { comment: conf.ipsetComments[n] } : {}) })));
}

function ipsetOf(conf: FwConfig, set: string) {
  const entries = conf.ipset[set];
  if (!entries) throw new SimError(`no such IPSet '${set}'`);
  return entries;
}

export function getIpsets(ctx: CommandContext, scope: FwScope, set?: string): unknown {
  const conf = scope.load(ctx);
  if (set === undefined) return ipsetList(conf).list;
  return listWithDigest(ipsetOf(conf, set).map((e) => ({ ...e }))).list;
}

export function createIpset(ctx: CommandContext, scope: FwScope, args: string[]): Promise<void> {
  const p = parse('create', { name: name(64), comment: { type: 'string' }, rename: name(64), digest: DIGEST }, args);
  if (p.name === undefined) throw verificationError({ name: 'property is missing' });
  return change(ctx, scope, (conf) => {
    const n = p.name!;
    if (p.rename) {
      assertDigest(ipsetList(conf).digest, p.digest);
      if (!conf.ipset[p.rename]) throw verificationError({ name: `IPSet '${p.rename}' does not exist` });
      if (conf.ipset[n] && n !== p.rename) throw verificationError({ name: `IPSet '${n}' does already exist` });
      const entries = conf.ipset[p.rename]!;
      const comment = conf.ipsetComments[p.rename];
      delete conf.ipset[p.rename];
      delete conf.ipsetComments[p.rename];
      conf.ipset[n] = entries;
      if (comment) conf.ipsetComments[n] = comment;
    } else {
      if (conf.ipset[n]) throw verificationError({ name: `IPSet '${n}' already exists` });
      conf.ipset[n] = [];
    }
    if (p.comment !== undefined) conf.ipsetComments[n] = p.comment;
  });
}

export function deleteIpset(ctx: CommandContext, scope: FwScope, set: string, args: string[]): Promise<void> {
  const p = parse('delete', { force: { type: 'boolean' } }, args);
  return change(ctx, scope, (conf) => {
    if (ipsetOf(conf, set).length > 0 && p.force !== '1') throw new SimError(`IPSet '${set}' is not empty`);
    delete conf.ipset[set];
    delete conf.ipsetComments[set];
  });
}

/** create_ip: an alias must exist; an address is cleaned (clean_cidr) and normalised (parse_ip_or_cidr). */
export function addIpsetEntry(ctx: CommandContext, scope: FwScope, set: string, args: string[]): Promise<void> {
  const p = parse('create', { cidr: IP_OR_CIDR_OR_ALIAS, nomatch: { type: 'boolean' }, comment: { type: 'string' } }, args);
  if (p.cidr === undefined) throw verificationError({ cidr: 'property is missing' });
  return change(ctx, scope, (conf) => {
    const entries = ipsetOf(conf, set);
    let cidr = p.cidr!;
    const alias = new RegExp(`^(dc/|guest/)?(${NAME_PATTERN})$`).exec(cidr);
    if (alias) {
      if (!aliasExists(scope, ctx, conf, alias[1], alias[2]!)) throw new SimError(`no such alias '${alias[2]}'`);
    } else cidr = parseIpOrCidr(cleanCidr(cidr))!.cidr;
    if (entries.some((e) => e.cidr === cidr)) throw verificationError({ cidr: `address '${cidr}' already exists` });
    if (/\/0+$/.test(cidr)) throw verificationError({ cidr: 'a zero prefix is not allowed in ipset entries' });
    entries.unshift({ cidr, ...(p.nomatch === '1' ? { nomatch: 1 } : {}), ...(p.comment ? { comment: p.comment } : {}) });
  });
}

/** update_ip / remove_ip: the entry is addressed by its cidr in the path, so only a path-safe one (no "/"). */
export function changeIpsetEntry(ctx: CommandContext, scope: FwScope, set: string, cidr: string, command: 'set' | 'delete', args: string[]): Promise<void> {
  const p = parse(command, command === 'set' ? { nomatch: { type: 'boolean' }, comment: { type: 'string' }, digest: DIGEST } : { digest: DIGEST }, args);
  const problem = IP_OR_CIDR_OR_ALIAS.check!(cidr);
  if (problem) throw verificationError({ cidr: problem });
  return change(ctx, scope, (conf) => {
    const entries = ipsetOf(conf, set);
    assertDigest(listWithDigest(entries.map((e) => ({ ...e }))).digest, p.digest);
    if (command === 'delete') {
      conf.ipset[set] = entries.filter((e) => e.cidr !== cidr);
      return;
    }
    const entry = entries.find((e) => e.cidr === cidr);
    if (!entry) throw verificationError({ cidr: 'no such IP/Network' });
    if (p.nomatch === '1') entry.nomatch = 1;
    else delete entry.nomatch;
    if (p.comment) entry.comment = p.comment;
    else delete entry.comment;
  });
}

/** PVE::Firewall::clean_cidr for IPv4: host bits below the prefix are cleared. */
function cleanCidr(cidr: string): string {
  const [ip, len] = cidr.split('/');
  if (!len || !/^\d+\.\d+\.\d+\.\d+$/.test(ip!)) return cidr;
  const value = ip!.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0;
  const masked = (value & mask) >>> 0;
  return `${[24, 16, 8, 0].map((shift) => (masked >>> shift) & 255).join('.')}/${len}`;
}

/** $get_security_group_list. */
function groupList(conf: FwConfig) {
  return listWithDigest(Object.keys(conf.groups).sort().map((g) => ({ group: g, ...(conf.groupComments[g] ? { comment: conf.groupComments[g] } : {}) })));
}

export function getGroups(ctx: CommandContext): unknown {
  return groupList(loadCluster(ctx.env)).list;
}

/** create_security_group (rename of one group to itself updates its comment; renames to another name are not modelled). */
export function createGroup(ctx: CommandContext, args: string[]): Promise<void> {
  const p = parse('create', { group: name(18), comment: { type: 'string' }, rename: name(18), digest: DIGEST }, args);
  if (p.group === undefined) throw verificationError({ group: 'property is missing' });
  return changeCluster(ctx, (conf) => {
    const group = p.group!;
    if (p.rename) {
      assertDigest(groupList(conf).digest, p.digest);
      if (!conf.groups[p.rename]) throw verificationError({ group: `Security group '${p.rename}' does not exist` });
      if (p.rename !== group) throw new SimError('renaming a security group is not supported by the simulated node');
      if (p.comment !== undefined) conf.groupComments[group] = p.comment;
      return;
    }
    if (conf.groups[group]) throw verificationError({ group: `Security group '${group}' already exists` });
    conf.groups[group] = [];
    if (p.comment !== undefined) conf.groupComments[group] = p.comment;
  });
}

/** delete_security_group: only an empty group. */
export function deleteGroup(ctx: CommandContext, group: string): Promise<void> {
  return changeCluster(ctx, (conf) => {
    const rules = conf.groups[group];
    if (!rules) throw new SimError(`no such security group '${group}'`);
    if (rules.length > 0) throw new SimError(`Security group '${group}' is not empty`);
    delete conf.groups[group];
    delete conf.groupComments[group];
  });
}
