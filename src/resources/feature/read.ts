/**
 * Reading features back: a feature exists while its guest does and the guest's marker file records the
 * feature's hash, so a reinstalled or replaced guest shows its features as gone. The plan's cluster
 * listing, then the markers of every running container of the node in two host commands
 * (readContainerMarkers: the plan's live listing of /nodes/N/lxc for the init pids, then one grep), and
 * the host-side records of every VM's features in one more (readVmRecords). A container that is not
 * running cannot be asked: its features keep their recorded state. Host features: one `cat` of their
 * markers on the node. So a node's features cost at most four commands whatever the estate.
 */
import type { Attrs } from '../../config/values.js';
import { str } from '../proxmox/attrs.js';
import { requireNode } from '../proxmox/host.js';
import { listClusterGuests, readLiveStatuses } from '../proxmox/inventory.js';
import type { NodeHandle, ProviderContext, ReadRequest, ReadResult } from '../provider.js';
import { readHostMarkers } from './host-runner.js';
import { readContainerMarkers } from './runner.js';
import { readVmRecords } from './vm-records.js';

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
  const vms = groups.filter((g) => g.guestType === 'vm');
  const [containerMarkers, vmRecords] = await Promise.all([
    readContainerMarkers(node, containers.map((g) => ({ vmid: g.vmid, names: namesOf(g.indexes) })), ctx),
    readVmRecords(node, vms.map((g) => ({ vmid: g.vmid, guestNode: g.guestNode, names: namesOf(g.indexes) }))),
  ]);
  for (const group of containers) settle(group.indexes, containerMarkers.get(group.vmid));
  const unrecorded: { i: number; group: (typeof vms)[number] }[] = [];
  for (const group of vms) {
    for (const i of group.indexes) {
      const record = vmRecords.get(`${group.vmid}/${str(requests[i]!.prior, 'name')}`);
      if (record?.recorded !== undefined && record.recorded !== str(requests[i]!.prior, 'sha256')) results[i] = null;
      else if (record?.recorded === undefined && record?.reason === 'no-record') unrecorded.push({ i, group });
    }
  }
  if (unrecorded.length > 0) {
    // No record for the VM's current generation (installed by an older phoenix, or the VM was cloned or
    // rolled back since): unknown, like an imported feature. A running VM's feature plans an in-place
    // update whose install asks the guest's own marker and records it; a stopped VM keeps what state says.
    const running = await runningGuests(node, unrecorded.map(({ group }) => group), ctx);
    for (const { i, group } of unrecorded) if (running.has(`vm/${group.vmid}`)) results[i] = { ...results[i]!, sha256: null };
  }
  return results;
}

/** `lxc/101`, `vm/300` keys of the guests that run now: one live listing per guest kind and node, shared by the plan. */
async function runningGuests(node: NodeHandle, guests: { vmid: number; guestType: 'lxc' | 'vm'; guestNode: string }[], ctx: ProviderContext): Promise<Set<string>> {
  const listings = [...new Set(guests.map((g) => `${g.guestType}/${g.guestNode}`))];
  const running = new Set<string>();
  await Promise.all(
    listings.map(async (listing) => {
      const [guestType, guestNode] = listing.split('/') as ['lxc' | 'vm', string];
      const statuses = await readLiveStatuses(node, guestType === 'vm' ? 'qemu' : 'lxc', guestNode, ctx);
      for (const [vmid, status] of statuses) if (status === 'running') running.add(`${guestType}/${vmid}`);
    }),
  );
  return running;
}
