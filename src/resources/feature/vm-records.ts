/**
 * Host-side records of the features installed in VMs, so that refresh reads every VM's features of a
 * node in ONE host command instead of one guest-agent call per VM (a VM's filesystem is reachable only
 * through its agent; no batch agent call exists: qemu-server's `qm guest exec` and the agent API
 * /nodes/N/qemu/ID/agent/* take one VM each, PVE/API2/Qemu/Agent.pm).
 *
 * The record /etc/phoenix/vm-features/VMID/NAME.sha256 on the node holds the feature's hash and the
 * VM's `vmgenid`, the generation of its disks: qemu-server gives a VM a new vmgenid when it is created
 * (API2/Qemu.pm create_vm), cloned (clone_vm) or rolled back to a snapshot (QemuConfig.pm
 * __snapshot_rollback_hook: "tell the VM that it's another generation"). A record counts only for the
 * generation it names, so a VM recreated under the same vmid, a clone and a rollback are never taken for
 * the disk the feature was installed on. The marker inside the guest stays the truth an install checks.
 */
import { hostPath, type NodeHandle } from '../provider.js';
import { parseGuestConfig, splitGrepOutput } from '../proxmox/guest-config.js';
import { runOnHost } from '../proxmox/host.js';
import { guestConfigPath, readGuests } from '../proxmox/inventory.js';

export const VM_RECORD_DIR = '/etc/phoenix/vm-features';

function recordDir(node: NodeHandle, vmid: number): string {
  return hostPath(node, `${VM_RECORD_DIR}/${vmid}`);
}

function recordPath(node: NodeHandle, vmid: number, name: string): string {
  return `${recordDir(node, vmid)}/${name}.sha256`;
}

function recordLine(sha256: string, vmgenid: string): string {
  return `${sha256} vmgenid=${vmgenid}`;
}

/** What refresh learns of one VM feature from the host: its recorded hash for the current generation, or nothing. */
export type VmRecord = { recorded: string } | { recorded: undefined; reason: 'no-record' | 'unreadable' };

export interface VmFeatureRequest {
  vmid: number;
  /** The node the VM lives on (its config path). */
  guestNode: string;
  names: string[];
}

/**
 * The records of many VMs' features in one `grep -H ''` over their config files and record files:
 * `vmid/name` → what was recorded for the VM's current vmgenid. A VM without vmgenid (aarch64, or turned
 * off) or without a record for this generation gives `no-record`; a config that vanished, `unreadable`.
 */
export async function readVmRecords(node: NodeHandle, vms: VmFeatureRequest[]): Promise<Map<string, VmRecord>> {
  const found = new Map<string, VmRecord>();
  if (vms.length === 0) return found;
  const reads = vms.map((vm) => ({ ...vm, config: guestConfigPath(node, vm.guestNode, 'qemu', vm.vmid), records: vm.names.map((name) => recordPath(node, vm.vmid, name)) }));
  const paths = reads.flatMap((r) => [r.config, ...r.records]);
  // Exit 2 for records never written: expected, the output tells.
  const grep = await runOnHost(node, ['grep', '-H', '', ...paths], { allowFailure: true, what: 'reading VM feature records' });
  const contents = splitGrepOutput(grep.stdout, paths);
  for (const read of reads) {
    const config = contents.get(read.config);
    const vmgenid = config === undefined ? undefined : parseGuestConfig(config).options.vmgenid;
    read.names.forEach((name, i) => {
      const key = `${read.vmid}/${name}`;
      if (config === undefined) return found.set(key, { recorded: undefined, reason: 'unreadable' });
      const [sha256, generation] = (contents.get(read.records[i]!) ?? '').trim().split(' ');
      const current = vmgenid !== undefined && vmgenid !== '0' && generation === `vmgenid=${vmgenid}`;
      found.set(key, current && sha256 ? { recorded: sha256 } : { recorded: undefined, reason: 'no-record' });
    });
  }
  return found;
}

/** Records that feature NAME with this hash is installed in the VM's current generation (nothing when it has no vmgenid). */
export async function writeVmRecord(node: NodeHandle, vmid: number, name: string, sha256: string): Promise<void> {
  const vm = (await readGuests(node, 'qemu', [vmid], { liveStatus: false })).get(vmid);
  const vmgenid = vm?.config.options.vmgenid;
  if (vmgenid === undefined || vmgenid === '0') return; // refresh asks the guest instead
  await runOnHost(node, ['mkdir', '-p', recordDir(node, vmid)], { what: `preparing the feature records of VM ${vmid}` });
  await runOnHost(node, ['tee', recordPath(node, vmid, name)], { stdin: `${recordLine(sha256, vmgenid)}\n`, what: `recording feature ${name} of VM ${vmid}` });
}

/**
 * After an uninstall: records that feature NAME is absent from the VM's current generation. Removing
 * the record would leave the feature unknown (no record), which a read takes for present on a running
 * VM — the delete would never be seen done.
 */
export async function removeVmRecord(node: NodeHandle, vmid: number, name: string): Promise<void> {
  await writeVmRecord(node, vmid, name, REMOVED);
}

/** The record of a feature uninstalled from this generation: matches no hash, so a read finds it gone. */
const REMOVED = 'removed';
