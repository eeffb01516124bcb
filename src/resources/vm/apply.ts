/**
 * Create / update / delete of VMs with `qm`. Every step re-reads what the host stored, so returned
 * attributes carry the generated MACs and normalised sizes.
 */
import { isObject, type Attrs, type ValueObject } from '../../config/values.js';
import { cloneSourceKey, holding, storageKey, type DiffResult, type NodeHandle, type ProviderContext } from '../provider.js';
import { bool, num, obj, objList, str } from '../proxmox/attrs.js';
import { changedAttributes } from '../proxmox/diff-rules.js';
import { asDiagnosticError, diagnosticError } from '../proxmox/errors.js';
import { runOnHost, withHostTempFile } from '../proxmox/host.js';
import { waitForGuestAgent } from '../proxmox/guest-exec.js';
import { readGuest, type GuestRecord } from '../proxmox/inventory.js';
import { rebootGuest, reconcilePower, shutdownGuest, stopGuestIfRunning } from '../proxmox/power.js';
import { setArguments } from '../proxmox/set-arguments.js';
import { parseSize, toGiB, VM_VOLUME_UNIT } from '../proxmox/sizes.js';
import { effectiveVm, vmDiffRules } from './diff.js';
import { settableOptions } from './options.js';
import { newDiskOptionItems } from './hardware-options.js';
import { tpmMoveNeedsStop, tpmStateMove } from './hardware-diff.js';
import { vmAttrsFromRecord } from './read.js';

function vmidOf(attrs: Attrs): number {
  const vmid = num(attrs, 'vmid');
  if (vmid === undefined) throw diagnosticError('The VM has no vmid');
  return vmid;
}

async function readRecord(node: NodeHandle, vmid: number): Promise<GuestRecord> {
  const record = await readGuest(node, 'qemu', vmid);
  if (!record) throw diagnosticError(`VM ${vmid} disappeared from node ${node.name} during apply`);
  return record;
}

async function readBack(node: NodeHandle, vmid: number, planned: Attrs): Promise<Attrs> {
  return vmAttrsFromRecord(await readRecord(node, vmid), planned);
}

/** `--scsi0 local-zfs:32` for a new disk, `local-zfs:0,import-from=/img.qcow2` for an imported one. */
function newDiskOption(disk: ValueObject): string {
  const storage = str(disk, 'storage') ?? 'local';
  const importFrom = str(disk, 'import_from');
  const bytes = str(disk, 'size') === undefined ? undefined : parseSize(str(disk, 'size')!);
  const volume = importFrom !== undefined ? `${storage}:0,import-from=${importFrom}` : `${storage}:${bytes === undefined ? 4 : toGiB(bytes, VM_VOLUME_UNIT)}`;
  const options = newDiskOptionItems(disk);
  return options === '' ? volume : `${volume},${options}`;
}

/** Runs `qm set`/`qm create` with the cloud-init secrets: the password as a value, ssh keys as a temp file path. */
async function runWithCloudInitSecrets(node: NodeHandle, args: string[], what: string, password?: string, keys?: string): Promise<void> {
  // One word: a password starting with `-` would otherwise be read as an option (Getopt::Long).
  const withPassword = password === undefined ? args : [...args, `--cipassword=${password}`];
  if (keys === undefined) {
    await runOnHost(node, withPassword, { what });
    return;
  }
  await withHostTempFile(node, keys + '\n', (path) => runOnHost(node, [...withPassword, '--sshkeys', path], { what }));
}

function firstDiskStorage(attrs: Attrs): string {
  return str(objList(attrs, 'disks')[0] ?? {}, 'storage') ?? 'local';
}

/** Each drive of a VM with its storage: the disks, and the EFI vars and TPM state disks. */
function drivesWithStorage(attrs: Attrs): Map<string, string | undefined> {
  const drives = new Map(objList(attrs, 'disks').map((d) => [str(d, 'slot') ?? '', str(d, 'storage')]));
  const efi = obj(attrs, 'efidisk');
  if (efi) drives.set('efidisk0', str(efi, 'storage'));
  const tpm = obj(attrs, 'tpmstate');
  if (tpm) drives.set('tpmstate0', str(tpm, 'storage'));
  return drives;
}

/** `qm disk move` for drives whose storage changed: the data is copied online and the source volume freed. */
async function moveDisks(node: NodeHandle, vmid: number, current: Attrs, desired: Attrs): Promise<void> {
  const before = drivesWithStorage(current);
  for (const [slot, storage] of drivesWithStorage(desired)) {
    const old = before.get(slot);
    if (old === undefined || storage === undefined || storage === old) continue;
    await runOnHost(node, ['qm', 'disk', 'move', String(vmid), slot, storage, '--delete', '1'], {
      what: `moving disk ${slot} of VM ${vmid} to ${storage}`,
    });
  }
}

/** `qm disk resize` for imported disks and disks that grew. */
async function growDisks(node: NodeHandle, vmid: number, current: Attrs, desired: Attrs): Promise<void> {
  const before = new Map(objList(current, 'disks').map((d) => [str(d, 'slot'), d]));
  for (const disk of objList(desired, 'disks')) {
    const size = str(disk, 'size');
    const old = before.get(str(disk, 'slot'));
    const oldSize = old ? str(old, 'size') : undefined;
    if (size === undefined || !old) continue;
    if (oldSize !== undefined && parseSize(size)! <= parseSize(oldSize)!) continue;
    await runOnHost(node, ['qm', 'disk', 'resize', String(vmid), str(disk, 'slot')!, size], { what: `resizing disk ${str(disk, 'slot')} of VM ${vmid}` });
  }
}

/** Adds keys to the `--delete` list of `qm set` arguments (one `--delete` only). */
function mergeDelete(args: string[], keys: string[]): void {
  const at = args.indexOf('--delete');
  if (at >= 0) args[at + 1] = [...new Set([...args[at + 1]!.split(','), ...keys])].join(',');
  else args.push('--delete', keys.join(','));
}

/**
 * `qm set` for changed options, new and removed disks and a missing cloud-init drive, then disk growth.
 * `host` is the config the host has now: property strings keep the keys phoenix does not model.
 */
async function applySettings(node: NodeHandle, vmid: number, current: Attrs, desired: Attrs, host: Record<string, string>): Promise<void> {
  const args = setArguments(settableOptions(current, host), settableOptions(desired, host));
  const existing = new Set(objList(current, 'disks').map((d) => str(d, 'slot')));
  const wanted = new Set(objList(desired, 'disks').map((d) => str(d, 'slot')));
  for (const disk of objList(desired, 'disks')) {
    if (!existing.has(str(disk, 'slot'))) args.push(`--${str(disk, 'slot')}`, newDiskOption(disk));
  }
  // A removed disk is detached; Proxmox keeps its volume as `unusedN` (vmconfig_delete_or_detach_drive).
  const removed = [...existing].filter((slot): slot is string => slot !== undefined && !wanted.has(slot));
  if (removed.length > 0) mergeDelete(args, removed);
  const ciNow = obj(current, 'cloud_init');
  const ciWant = obj(desired, 'cloud_init');
  if (ciWant && !ciNow) args.push('--ide2', `${firstDiskStorage(desired)}:cloudinit`);
  const password = ciWant && str(ciWant, 'password') !== (ciNow ? str(ciNow, 'password') : undefined) ? str(ciWant, 'password') : undefined;
  const keys = ciWant && str(ciWant, 'ssh_public_keys') !== (ciNow ? str(ciNow, 'ssh_public_keys') : undefined) ? str(ciWant, 'ssh_public_keys') : undefined;
  if (args.length > 0 || password !== undefined || keys !== undefined) {
    await runWithCloudInitSecrets(node, ['qm', 'set', String(vmid), ...args], `updating VM ${vmid}`, password, keys);
  }
  await moveDisks(node, vmid, current, desired);
  await growDisks(node, vmid, current, desired);
}

async function createFromScratch(ctx: ProviderContext, node: NodeHandle, vmid: number, planned: Attrs): Promise<void> {
  const disks = objList(planned, 'disks');
  const options = settableOptions(planned);
  if (options.scsihw === undefined && disks.some((d) => str(d, 'slot')?.startsWith('scsi'))) options.scsihw = 'virtio-scsi-pci';
  const args = ['qm', 'create', String(vmid), ...setArguments({}, options)];
  for (const disk of disks) args.push(`--${str(disk, 'slot')}`, newDiskOption(disk));
  const ci = obj(planned, 'cloud_init');
  if (ci) args.push('--ide2', `${firstDiskStorage(planned)}:cloudinit`);
  if (options.boot === undefined && disks.length > 0) args.push('--boot', `order=${str(disks[0]!, 'slot')}`);
  ctx.progress(`creating VM ${vmid}`);
  // A disk import copies the image during `qm create`: that step holds the target storages' keys.
  const importKeys = [...new Set(disks.flatMap((d) => (str(d, 'import_from') !== undefined && str(d, 'storage') ? [storageKey(node, str(d, 'storage')!)] : [])))];
  await holding(ctx, importKeys, () =>
    runWithCloudInitSecrets(node, args, `creating VM ${vmid}`, ci ? str(ci, 'password') : undefined, ci ? str(ci, 'ssh_public_keys') : undefined),
  );
  const imported = disks.filter((d) => str(d, 'import_from') !== undefined && str(d, 'size') !== undefined);
  if (imported.length > 0) await growDisks(node, vmid, await readBack(node, vmid, planned), planned);
}

async function createFromClone(ctx: ProviderContext, node: NodeHandle, vmid: number, planned: Attrs): Promise<void> {
  const clone = obj(planned, 'clone')!;
  const source = num(clone, 'source_vmid')!;
  const args = ['qm', 'clone', String(source), String(vmid)];
  const name = str(planned, 'name');
  if (name !== undefined) args.push('--name', name);
  // The clone is born with its own description and ownership marker, never with the source's.
  const description = settableOptions(planned).description;
  if (description !== undefined) args.push('--description', description);
  const full = bool(clone, 'full') === true;
  if (full) args.push('--full', '1');
  const snapshot = str(clone, 'snapshot');
  if (snapshot !== undefined) args.push('--snapname', snapshot);
  // A full copy lands on the first planned disk's storage; a linked clone must stay on the source's.
  const storage = str(clone, 'storage') ?? (full ? str(objList(planned, 'disks')[0] ?? {}, 'storage') : undefined);
  if (storage !== undefined) args.push('--storage', storage);
  ctx.progress(`cloning VM ${vmid} from ${source}`);
  await holding(ctx, await cloneCopyKeys(node, source, full, storage), () => runOnHost(node, args, { what: `cloning VM ${source} to ${vmid}` }));
  const record = await readRecord(node, vmid);
  const cloned = vmAttrsFromRecord(record, planned);
  await applySettings(node, vmid, cloned, effectiveVm(cloned, planned), record.config.options);
}

/**
 * The keys a `qm clone` holds for its copy. qemu-server's clone worker holds the source's config flock
 * for the whole clone: shared while the source is stopped (a template always is), so any number of
 * clones of it run side by side; exclusive, waiting 1 s, while it runs, so clones of a running source
 * must go one at a time (PVE/API2/Qemu.pm clone_vm $lock_source_vm). A clone without `--full` of a
 * source that is no template is a full copy too (`$full //= !is_template`). A full copy loads its
 * target storage. A source phoenix cannot read is held as if it ran.
 */
async function cloneCopyKeys(node: NodeHandle, source: number, full: boolean, storage: string | undefined): Promise<string[]> {
  const record = await readGuest(node, 'qemu', source);
  const copies = full || record?.template !== true;
  return [
    ...(record?.status !== 'stopped' ? [cloneSourceKey(node, source)] : []),
    ...(copies && storage !== undefined ? [storageKey(node, storage)] : []),
  ];
}

async function convertToTemplate(node: NodeHandle, vmid: number, running: boolean): Promise<void> {
  if (running) await shutdownGuest(node, 'qm', vmid);
  await runOnHost(node, ['qm', 'template', String(vmid)], { what: `converting VM ${vmid} to a template` });
}

/** After a (re)start: a VM with the guest agent is ready once the agent answers (features and checks use it). */
async function awaitGuestAgent(ctx: ProviderContext, node: NodeHandle, vmid: number, desired: Attrs): Promise<void> {
  if (bool(desired, 'agent') !== true || str(desired, 'state') !== 'running') return;
  ctx.progress(`waiting for the guest agent of VM ${vmid}`);
  await waitForGuestAgent(node, vmid);
}

export async function createVm(ctx: ProviderContext, node: NodeHandle, planned: Attrs): Promise<Attrs> {
  const vmid = vmidOf(planned);
  if (obj(planned, 'clone')) await createFromClone(ctx, node, vmid, planned);
  else await createFromScratch(ctx, node, vmid, planned);
  if (bool(planned, 'template')) await convertToTemplate(node, vmid, false);
  else {
    await reconcilePower(node, 'qm', vmid, 'stopped', str(planned, 'state'));
    const created = await readBack(node, vmid, planned);
    await awaitGuestAgent(ctx, node, vmid, created);
    return created;
  }
  return readBack(node, vmid, planned);
}

export async function updateVm(ctx: ProviderContext, node: NodeHandle, prior: Attrs, planned: Attrs, diff: DiffResult): Promise<Attrs> {
  const vmid = vmidOf(prior);
  const desired = effectiveVm(prior, planned);
  const changed = changedAttributes(vmDiffRules, prior, desired);
  const running = str(prior, 'state') === 'running';
  const reboots = diff.restart?.restarts === true && running && str(desired, 'state') === 'running';
  // qm disk move refuses the TPM state of a running VM: the restart the plan named is this stop and the start below.
  const tpmMove = tpmStateMove(prior, desired);
  const stoppedForMove = tpmMove !== undefined && running;
  if (stoppedForMove) {
    if (!reboots && str(desired, 'state') === 'running') throw diagnosticError(tpmMoveNeedsStop(vmid, tpmMove));
    ctx.progress(`restarting VM ${vmid}: ${diff.restart?.attributes.join(', ') ?? 'tpmstate'}`);
    await shutdownGuest(node, 'qm', vmid);
  }
  await applySettings(node, vmid, prior, desired, (await readRecord(node, vmid)).config.options);
  if (changed.has('cloud_init') && isObject(prior.cloud_init)) {
    // The guest only sees cloud-init changes after the drive is regenerated and the VM restarts.
    await runOnHost(node, ['qm', 'cloudinit', 'update', String(vmid)], { what: `regenerating cloud-init of VM ${vmid}` });
  }
  const powerNow = stoppedForMove ? 'stopped' : str(prior, 'state');
  if (bool(desired, 'template') && !bool(prior, 'template')) {
    await convertToTemplate(node, vmid, powerNow === 'running');
  } else {
    // Only what the approved plan said: `VM 9000 will be restarted: memory` (reboot_after_update).
    if (reboots && !stoppedForMove) {
      ctx.progress(`restarting VM ${vmid}: ${diff.restart!.attributes.join(', ')}`);
      await rebootGuest(node, 'qm', vmid);
    }
    await reconcilePower(node, 'qm', vmid, powerNow, str(desired, 'state'));
    if (reboots || powerNow !== 'running') await awaitGuestAgent(ctx, node, vmid, desired);
  }
  return readBack(node, vmid, planned);
}

export async function deleteVm(node: NodeHandle, prior: Attrs): Promise<void> {
  const vmid = vmidOf(prior);
  if (str(prior, 'state') !== 'stopped') await stopGuestIfRunning(node, 'qm', vmid);
  // Every failure is reported, "does not exist" too (`storage 'x' does not exist`, a guest on another
  // cluster node): the engine reads the node afterwards and drops the guest from state only when gone.
  try {
    await node.run(['qm', 'destroy', String(vmid), '--purge', '1']);
  } catch (error) {
    throw asDiagnosticError(error, `destroying VM ${vmid}`);
  }
}
