/**
 * Reading and writing firewall objects on a node. Reads take every firewall config of the cluster and the
 * node's own in one command, `grep -r -H '' /etc/pve/firewall /etc/pve/nodes/N/host.fw` (cluster.fw, each
 * guest's <vmid>.fw and host.fw, each line prefixed with its file), once per node and plan (ctx.memo): a
 * constant number of commands whatever the estate.
 * Writes go through `pvesh` at pve-firewall's API paths.
 */
import { parseFwConfig, emptyFwConfig, type FwConfig } from '../../proxmox-data/fw-file.js';
import { hostPath, type NodeHandle, type ProviderContext } from '../provider.js';
import { diagnosticError } from '../proxmox/errors.js';
import { runOnHost } from '../proxmox/host.js';
import type { GuestKind } from '../proxmox/inventory.js';

export interface FirewallFiles {
  cluster: FwConfig;
  guests: ReadonlyMap<number, FwConfig>;
  /** The host.fw of the node read from (pve-firewall $hostfw_conf_filename). */
  host: FwConfig;
}

async function fetchFirewallFiles(node: NodeHandle): Promise<FirewallFiles> {
  const dir = hostPath(node, '/etc/pve/firewall');
  const hostFile = hostPath(node, `/etc/pve/nodes/${node.name}/host.fw`);
  const result = await runOnHost(node, ['grep', '-r', '-H', '-e', '', '--', dir, hostFile], { allowFailure: true, what: 'reading the firewall configs' });
  // grep: 1 = no line at all (empty files), 2 = trouble (a missing directory or host.fw: no config there yet).
  const trouble = result.stderr.split('\n').filter((l) => l.trim() !== '' && !/No such file or directory/.test(l));
  if (result.exitCode === 2 && trouble.length > 0) {
    throw diagnosticError('Reading the firewall configs failed', `grep -r ${dir} ${hostFile} on node ${node.name}: ${trouble.join('\n')}`);
  }
  const texts = new Map<string, string[]>();
  const hostLines: string[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith(hostFile + ':')) hostLines.push(line.slice(hostFile.length + 1));
    if (!line.startsWith(dir + '/')) continue;
    const rest = line.slice(dir.length + 1);
    const colon = rest.indexOf(':');
    if (colon < 0) continue;
    const file = rest.slice(0, colon);
    texts.set(file, [...(texts.get(file) ?? []), rest.slice(colon + 1)]);
  }
  const guests = new Map<number, FwConfig>();
  for (const [file, lines] of texts) {
    const vmid = /^(\d+)\.fw$/.exec(file);
    if (vmid) guests.set(Number(vmid[1]), parseFwConfig(lines.join('\n')));
  }
  const cluster = texts.get('cluster.fw');
  return { cluster: cluster ? parseFwConfig(cluster.join('\n')) : emptyFwConfig(), guests, host: parseFwConfig(hostLines.join('\n')) };
}

/** All firewall configs of the cluster: once per node and plan where the engine memoises, fresh otherwise. */
export function readFirewallFiles(ctx: ProviderContext, node: NodeHandle): Promise<FirewallFiles> {
  return ctx.memo ? ctx.memo(`firewall-files:${node.name}`, () => fetchFirewallFiles(node)) : fetchFirewallFiles(node);
}

export function guestFirewall(files: FirewallFiles, vmid: number): FwConfig {
  return files.guests.get(vmid) ?? emptyFwConfig();
}

/** `/nodes/N/lxc/ID/firewall` or `/nodes/N/qemu/ID/firewall`. */
export function guestFirewallPath(node: NodeHandle, kind: GuestKind | string, vmid: number): string {
  return `/nodes/${node.name}/${kind === 'vm' || kind === 'qemu' ? 'qemu' : 'lxc'}/${vmid}/firewall`;
}

/** `pvesh get PATH --output-format json`, parsed. */
export async function pveshGet<T>(node: NodeHandle, path: string, what: string): Promise<T> {
  const result = await runOnHost(node, ['pvesh', 'get', path, '--output-format', 'json'], { what });
  return JSON.parse(result.stdout || 'null') as T;
}

export async function pvesh(node: NodeHandle, method: 'create' | 'set' | 'delete', path: string, args: string[], what: string): Promise<void> {
  await runOnHost(node, ['pvesh', method, path, ...args], { what });
}

/**
 * Where an alias or IP set lives: cluster.fw (`/cluster/firewall`), or the guest's own <vmid>.fw
 * (`/nodes/N/{lxc,qemu}/ID/firewall`, API2/Firewall/Aliases.pm VMAliases/CTAliases, IPSet.pm VMIPSetList...)
 * when the resource sets `guest`.
 */
export interface ObjectScope {
  /** The API path the `aliases` / `ipset` collections hang off. */
  api: string;
  config(files: FirewallFiles): FwConfig;
  /** "cluster.fw" or "150.fw", for messages. */
  file: string;
}

export function objectScope(attrs: Record<string, unknown>, node: NodeHandle): ObjectScope {
  const guest = typeof attrs.guest === 'number' ? attrs.guest : undefined;
  if (guest === undefined) return { api: '/cluster/firewall', config: (files) => files.cluster, file: 'cluster.fw' };
  return { api: guestFirewallPath(node, String(attrs.guest_type ?? 'lxc'), guest), config: (files) => guestFirewall(files, guest), file: `${guest}.fw` };
}

/** The `guest` and `guest_type` attributes of a scoped object (both null for the cluster's). */
export function scopeAttrs(attrs: Record<string, unknown>): { guest: number | null; guest_type: string | null } {
  return typeof attrs.guest === 'number' ? { guest: attrs.guest, guest_type: typeof attrs.guest_type === 'string' ? attrs.guest_type : 'lxc' } : { guest: null, guest_type: null };
}

/** The import id of a scoped object: NAME for the cluster's, VMID/NAME for a guest's. */
export function scopedId(attrs: Record<string, unknown>, name: string): string {
  return typeof attrs.guest === 'number' ? `${attrs.guest}/${name}` : name;
}

/** An import id split into the guest (if any) and the name. */
export function parseScopedId(id: string): { guest?: number; name: string } {
  const match = /^(\d+)\/(.+)$/.exec(id);
  return match ? { guest: Number(match[1]), name: match[2]! } : { name: id };
}
