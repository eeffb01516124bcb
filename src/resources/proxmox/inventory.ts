/**
 * Batched reads of guests on one node: one `pvesh get /cluster/resources` for existence and placement,
 * one `pvesh get /nodes/NODE/{lxc,qemu}` per node holding requested guests for their live power state
 * (both once per plan, through ctx.memo),
 * and one `grep -H ''` over the config files of the requested guests — three commands no matter how many
 * guests are read. No guest agent is polled.
 */
import { hostPath, type NodeHandle, type ProviderContext } from '../provider.js';
import { parseGuestConfig, splitGrepOutput, type GuestConfig } from './guest-config.js';
import type { Attrs } from '../../config/values.js';
import { requireNode, runOnHost } from './host.js';
import { splitOwnerMarker } from './ownership.js';

export type GuestKind = 'lxc' | 'qemu';

export interface GuestRecord {
  vmid: number;
  kind: GuestKind;
  /** The node the guest currently lives on (it may have moved, e.g. by HA). */
  node: string;
  status: string;
  template: boolean;
  /** The config; its description without phoenix's ownership marker (see ownership.ts). */
  config: GuestConfig;
  /** The proof token of the marker, when it names this guest. */
  owner: string | null;
}

export interface ClusterResource {
  vmid?: number;
  type?: string;
  node?: string;
  status?: string;
  template?: number;
}

export function configDir(kind: GuestKind): string {
  return kind === 'lxc' ? 'lxc' : 'qemu-server';
}

export function guestConfigPath(node: NodeHandle, guestNode: string, kind: GuestKind, vmid: number): string {
  return hostPath(node, `/etc/pve/nodes/${guestNode}/${configDir(kind)}/${vmid}.conf`);
}

/** Every guest of the cluster as listed by pvesh: vmid → resource entry; once per node and plan (ctx.memo). */
export function listClusterGuests(node: NodeHandle, ctx?: ProviderContext): Promise<Map<number, ClusterResource>> {
  return ctx?.memo ? ctx.memo(`cluster-guests:${node.name}`, () => fetchClusterGuests(node)) : fetchClusterGuests(node);
}

async function fetchClusterGuests(node: NodeHandle): Promise<Map<number, ClusterResource>> {
  const result = await runOnHost(node, ['pvesh', 'get', '/cluster/resources', '--type', 'vm', '--output-format', 'json'], {
    what: 'listing guests',
  });
  const parsed: unknown = JSON.parse(result.stdout.trim() || '[]');
  const guests = new Map<number, ClusterResource>();
  if (Array.isArray(parsed)) {
    for (const entry of parsed as ClusterResource[]) {
      if (typeof entry.vmid === 'number') guests.set(entry.vmid, entry);
    }
  }
  return guests;
}

/** One guest of `/nodes/NODE/{lxc,qemu}`: its live power state, and a running container's init pid. */
export interface LiveGuest {
  status: string;
  pid?: number;
}

/**
 * The guests of one kind on `guestNode` as the node sees them now: `/nodes/NODE/{lxc,qemu}` asks the
 * running guests (pve-container LXC.pm / qemu-server QemuServer.pm vmstatus), whereas the status in
 * `/cluster/resources` comes from pvestatd's cache (pve-manager PVE/Service/pvestatd.pm, updated every
 * 10 s) and lags behind a start or stop. With `ctx`, one listing per node, kind and plan (ctx.memo), shared
 * by the guest reads (power state) and the feature reads (container pids). Empty when the node cannot be
 * asked (the caller falls back).
 */
export function listLiveGuests(node: NodeHandle, kind: GuestKind, guestNode: string, ctx?: ProviderContext): Promise<Map<number, LiveGuest>> {
  const load = () => fetchLiveGuests(node, kind, guestNode);
  return ctx?.memo ? ctx.memo(`live-guests:${node.name}:${kind}:${guestNode}`, load) : load();
}

async function fetchLiveGuests(node: NodeHandle, kind: GuestKind, guestNode: string): Promise<Map<number, LiveGuest>> {
  const result = await runOnHost(node, ['pvesh', 'get', `/nodes/${guestNode}/${kind}`, '--output-format', 'json'], {
    allowFailure: true,
    what: `listing ${kind === 'lxc' ? 'containers' : 'VMs'} of node ${guestNode}`,
  });
  const guests = new Map<number, LiveGuest>();
  if (result.exitCode !== 0) return guests;
  const parsed: unknown = JSON.parse(result.stdout.trim() || '[]');
  if (Array.isArray(parsed)) {
    for (const entry of parsed as { vmid?: number | string; status?: string; pid?: unknown }[]) {
      if (entry.vmid === undefined || typeof entry.status !== 'string') continue;
      guests.set(Number(entry.vmid), typeof entry.pid === 'number' && entry.pid > 0 ? { status: entry.status, pid: entry.pid } : { status: entry.status });
    }
  }
  return guests;
}

/** Live power state of the guests of one kind on `guestNode` (see listLiveGuests). */
export async function readLiveStatuses(node: NodeHandle, kind: GuestKind, guestNode: string, ctx?: ProviderContext): Promise<Map<number, string>> {
  return new Map([...(await listLiveGuests(node, kind, guestNode, ctx))].map(([vmid, guest]) => [vmid, guest.status]));
}

/** Live power states of the listed guests, one listing per node they are on. */
async function liveStatusesOf(node: NodeHandle, kind: GuestKind, guestNodes: string[], ctx?: ProviderContext): Promise<Map<number, string>> {
  const maps = await Promise.all([...new Set(guestNodes)].map((guestNode) => readLiveStatuses(node, kind, guestNode, ctx)));
  return new Map(maps.flatMap((m) => [...m]));
}

/**
 * Reads the given guests of one kind; guests that do not exist (or are of the other kind) are absent.
 * `cluster` reuses a listing already made for another kind in the same read. Without `liveStatus` the
 * power state is the cluster listing's (lagging) one: for readers that do not use it. `ctx` shares the
 * live listing with the plan's other reads.
 */
export async function readGuests(
  node: NodeHandle,
  kind: GuestKind,
  vmids: number[],
  options: { cluster?: Map<number, ClusterResource>; liveStatus?: boolean; ctx?: ProviderContext } = {},
): Promise<Map<number, GuestRecord>> {
  const { liveStatus = true, ctx } = options;
  let { cluster } = options;
  const found = new Map<number, GuestRecord>();
  if (vmids.length === 0) return found;
  cluster ??= await listClusterGuests(node);
  const wanted = [...new Set(vmids)].flatMap((vmid) => {
    const entry = cluster.get(vmid);
    return entry && entry.type === kind ? [{ vmid, entry, path: guestConfigPath(node, entry.node ?? node.name, kind, vmid) }] : [];
  });
  if (wanted.length === 0) return found;
  const paths = wanted.map((w) => w.path);
  // A config removed between the two commands makes grep exit 2 for that file only; the rest is still read.
  const [grep, live] = await Promise.all([
    runOnHost(node, ['grep', '-H', '', ...paths], { allowFailure: true, what: 'reading guest configs' }),
    liveStatus ? liveStatusesOf(node, kind, wanted.map((w) => w.entry.node ?? node.name), ctx) : new Map<number, string>(),
  ]);
  const contents = splitGrepOutput(grep.stdout, paths);
  for (const w of wanted) {
    const text = contents.get(w.path);
    if (text === undefined) continue;
    const parsed = parseGuestConfig(text);
    const { description, owner } = splitOwnerMarker(parsed.description, kind, w.vmid);
    const config = { ...parsed, description };
    found.set(w.vmid, {
      vmid: w.vmid,
      kind,
      node: w.entry.node ?? node.name,
      status: live.get(w.vmid) ?? w.entry.status ?? 'unknown',
      template: w.entry.template === 1 || config.options.template === '1',
      config,
      owner,
    });
  }
  return found;
}

/** A provider's batch read: the guests named by the priors' `vmid`, with the plan's shared cluster listing. */
export async function readRequestedGuests(ctx: ProviderContext, kind: GuestKind, priors: Attrs[]): Promise<Map<number, GuestRecord>> {
  const node = requireNode(ctx);
  const vmids = priors.map((p) => p.vmid).filter((v): v is number => typeof v === 'number');
  if (vmids.length === 0) return new Map();
  return readGuests(node, kind, vmids, { cluster: await listClusterGuests(node, ctx), ctx });
}

/** Reads one guest (after a create or update, to return what the host actually stored). */
export async function readGuest(node: NodeHandle, kind: GuestKind, vmid: number): Promise<GuestRecord | undefined> {
  return (await readGuests(node, kind, [vmid])).get(vmid);
}
