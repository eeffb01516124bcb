/**
 * The firewall API paths of the simulated node's pvesh, dispatched by path and method as PVE::API2's
 * router does (pve-manager PVE/API2/Cluster.pm → API2/Firewall/Cluster.pm; pve-container API2/LXC.pm and
 * qemu-server API2/Qemu.pm → API2/Firewall/VM.pm; pve-manager API2/Nodes.pm → API2/Firewall/Host.pm). Options of
 * every scope are in options-api.ts, rule lists in rules-api.ts, cluster objects in cluster-api.ts.
 */
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { addIpsetEntry, changeIpsetEntry, CLUSTER_SCOPE, createAlias, createGroup, createIpset, deleteAlias, deleteGroup, deleteIpset, getAliases, getGroups, getIpsets, guestScope, updateAlias } from './cluster-api.js';
import { clusterOptionsSection, getOptions, guestOptionsSection, hostOptionsSection, setOptions } from './options-api.js';
import { clusterRules, createRule, deleteRule, getRules, groupRules, guestRules, hostRules, updateRule, type RuleList } from './rules-api.js';

export type Method = 'get' | 'create' | 'set' | 'delete';

/** A firewall path (after `/nodes/N` was checked against this node), or false for any other path. */
export function isFirewallPath(path: string): boolean {
  return /^\/cluster\/firewall(\/|$)/.test(path) || /^\/nodes\/[^/]+\/((lxc|qemu)\/\d+\/)?firewall(\/|$)/.test(path);
}

/** Runs one pvesh command on a firewall path; returns what `get` prints (undefined for writes). */
export async function firewallCommand(ctx: CommandContext, method: Method, path: string, args: string[]): Promise<unknown> {
  // pvesh.pm extract_path_info: a path/method without an API handler is refused before anything runs,
  // naming the path as given, with exit code 1.
  const noHandler = () => new SimError(`No '${method}' handler defined for '${args.find((a) => !a.startsWith('-')) ?? path}'`, 1);
  const section = /^\/(?:cluster|nodes\/[^/]+(?:\/(lxc|qemu)\/(\d+))?)\/firewall\/(options|rules)(?:\/([^/]+))?$/.exec(path);
  if (section) {
    const [, kind, id, what, pos] = section;
    const scope = path.startsWith('/cluster/') ? 'cluster' : kind === undefined ? 'host' : 'guest';
    if (what === 'options') {
      if (pos !== undefined) throw noHandler();
      const options = scope === 'cluster' ? clusterOptionsSection() : scope === 'host' ? hostOptionsSection() : guestOptionsSection(Number(id));
      if (method === 'get') return getOptions(ctx, options);
      if (method === 'set') return setOptions(ctx, options, args);
      throw noHandler();
    }
    const list = scope === 'cluster' ? clusterRules() : scope === 'host' ? hostRules() : guestRules(kind as 'lxc' | 'qemu', Number(id));
    return rules(ctx, list, method, pos, args, noHandler);
  }
  const objects = /^\/(?:cluster|nodes\/[^/]+\/(lxc|qemu)\/(\d+))\/firewall\/(aliases|ipset|groups)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
  if (!objects) throw noHandler();
  const [, , id, family, name, item] = objects;
  const scope = id === undefined ? CLUSTER_SCOPE : guestScope(Number(id));
  if (family === 'aliases' && item === undefined) {
    if (method === 'get') return getAliases(ctx, scope, name);
    if (method === 'create' && name === undefined) return createAlias(ctx, scope, args);
    if (method === 'set' && name !== undefined) return updateAlias(ctx, scope, name, args);
    if (method === 'delete' && name !== undefined) return deleteAlias(ctx, scope, name, args);
  }
  if (family === 'ipset') {
    if (name === undefined && method === 'get') return getIpsets(ctx, scope);
    if (name === undefined && method === 'create') return createIpset(ctx, scope, args);
    if (name !== undefined && item === undefined && method === 'get') return getIpsets(ctx, scope, name);
    if (name !== undefined && item === undefined && method === 'create') return addIpsetEntry(ctx, scope, name, args);
    if (name !== undefined && item === undefined && method === 'delete') return deleteIpset(ctx, scope, name, args);
    if (name !== undefined && item !== undefined && (method === 'set' || method === 'delete')) return changeIpsetEntry(ctx, scope, name, item, method, args);
  }
  if (family === 'groups' && id === undefined) {
    if (name === undefined && method === 'get') return getGroups(ctx);
    if (name === undefined && method === 'create') return createGroup(ctx, args);
    if (name !== undefined && item === undefined && method === 'delete') return deleteGroup(ctx, name);
    if (name !== undefined) return rules(ctx, groupRules(name), method, item, args, noHandler);
  }
  throw noHandler();
}

function rules(ctx: CommandContext, list: RuleList, method: Method, pos: string | undefined, args: string[], noHandler: () => SimError): unknown {
  if (pos !== undefined && !/^\d+$/.test(pos)) throw verificationError({ pos: `type check ('integer') failed - got '${pos}'` });
  const at = pos === undefined ? undefined : Number(pos);
  if (method === 'get') return getRules(ctx, list, at);
  if (method === 'create' && at === undefined) return createRule(ctx, list, args);
  if (method === 'set' && at !== undefined) return updateRule(ctx, list, at, args);
  if (method === 'delete' && at !== undefined) return deleteRule(ctx, list, at, args);
  throw noHandler();
}
