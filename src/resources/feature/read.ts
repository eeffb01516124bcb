/**
 * Reading features back: a feature exists while its guest does and the guest's marker file records the
 * feature's hash, so a reinstalled or replaced guest shows its features as gone. The plan's cluster
 * listing, then the markers of every running container of the node in two host commands
 * (readContainerMarkers, which asks only containers with a live init pid); a VM is asked through its guest
 * agent, one command per VM running by the live listing of /nodes/N/qemu (the cluster listing lags). A
 * guest that is not running cannot be asked: its features keep their recorded state. Host features: one
 * `cat` of their markers on the node.
 */
import type { Attrs } from '../../config/values.js';
import { str } from '../proxmox/attrs.js';
import { requireNode } from '../proxmox/host.js';
import { listClusterGuests, readLiveStatuses } from '../proxmox/inventory.js';
import type { NodeHandle, ProviderContext, ReadRequest, ReadResult } from '../provider.js';
import { readHostMarkers } from './host-runner.js';
import { readContainerMarkers, readMarkers } from './runner.js';

export async function readFeatures(ctx: ProviderContext, requests: ReadRequest[]): Promise<ReadResult[]> {
  const node = requireNode(ctx);
  const guests = await listClusterGuests(node, ctx);
  const results: ReadResult[] = requests.map(() => null);
  const byGuest = new Map<string, { vmid: number; guestType: 'lxc' | 'vm'; guestNode: string; indexes: number[] }>();
  const onHost: number[] = [];
  requests.forEach(({ prior }, i) => {
    if (prior.host === true) {
      if (prior.sha256 === undefined) return; // pending: not installed yet
      results[i] = { ...prior, node: node.name };
      if (prior.sha256 !== null) onHost.push(i);
      return;
    }
    const guestType = prior.guest_type === 'vm' ? 'vm' : 'lxc';
    const vmid = typeof prior.guest === 'number' ? prior.guest : undefined;
    const guest = vmid === undefined ? undefined : guests.get(vmid);
    // A pending record (only the identity, no sha256 key) is not installed yet.
    if (vmid === undefined || !guest || guest.type !== (guestType === 'vm' ? 'qemu' : 'lxc') || prior.sha256 === undefined) return;
    const present: Attrs = { ...prior, node: guest.node ?? node.name };
    results[i] = present;
    // sha256 null: imported without a marker (installed by another tool), present while its guest is;
    // the first apply runs the script and writes the marker. Otherwise a running guest is asked.
    if (prior.sha256 === null) return;
    const key = `${guestType}/${vmid}`;
    const group = byGuest.get(key) ?? { vmid, guestType, guestNode: guest.node ?? node.name, indexes: [] };
    group.indexes.push(i);
    byGuest.set(key, group);
  });
  if (onHost.length > 0) {
    // One `cat` for every host feature of the node.
    const markers = await readHostMarkers(node, onHost.map((i) => str(requests[i]!.prior, 'name')!));
    if (markers) for (const i of onHost) if (!markers.has(str(requests[i]!.prior, 'sha256')!)) results[i] = null;
  }
  const namesOf = (indexes: number[]): string[] => indexes.map((i) => str(requests[i]!.prior, 'name')!);
  const settle = (indexes: number[], markers: Set<string> | undefined): void => {
    if (!markers) return; // the guest could not be asked: keep what state says
    for (const i of indexes) if (!markers.has(str(requests[i]!.prior, 'sha256')!)) results[i] = null;
  };
  const groups = [...byGuest.values()];
  const containers = groups.filter((g) => g.guestType === 'lxc');
  const containerMarkers = await readContainerMarkers(node, containers.map((g) => ({ vmid: g.vmid, names: namesOf(g.indexes) })));
  for (const group of containers) settle(group.indexes, containerMarkers.get(group.vmid));
  const vms = groups.filter((g) => g.guestType === 'vm');
  const running = await runningGuests(node, vms);
  await eachLimited(vms.filter((g) => running.has(`vm/${g.vmid}`)), Math.max(1, node.maxParallel), async ({ vmid, indexes }) => {
    settle(indexes, await readMarkers(node, vmid, 'vm', namesOf(indexes)));
  });
  return results;
}

/** `lxc/101`, `vm/300` keys of the guests that run now: one live listing per guest kind and node. */
async function runningGuests(node: NodeHandle, guests: { vmid: number; guestType: 'lxc' | 'vm'; guestNode: string }[]): Promise<Set<string>> {
  const listings = [...new Set(guests.map((g) => `${g.guestType}/${g.guestNode}`))];
  const running = new Set<string>();
  await Promise.all(
    listings.map(async (listing) => {
      const [guestType, guestNode] = listing.split('/') as ['lxc' | 'vm', string];
      const statuses = await readLiveStatuses(node, guestType === 'vm' ? 'qemu' : 'lxc', guestNode);
      for (const [vmid, status] of statuses) if (status === 'running') running.add(`${guestType}/${vmid}`);
    }),
  );
  return running;
}

/** Runs `work` over `items`, at most `limit` at a time (the node's operation limit). */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
