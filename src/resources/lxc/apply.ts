/**
 * Create / update / delete of containers with `pct`. Every step re-reads what the host stored, so the
 * attributes returned (generated MACs, normalised sizes) are the host's, not the config's.
 */
import type { Attrs } from '../../config/values.js';
import { cloneSourceKey, holding, storageKey, type DiffResult, type NodeHandle, type ProviderContext } from '../provider.js';
import { bool, num, numList, obj, objList, str, strList } from '../proxmox/attrs.js';
import { changedAttributes } from '../proxmox/diff-rules.js';
import { asDiagnosticError, diagnosticError } from '../proxmox/errors.js';
import { runOnHost, withHostTempFile } from '../proxmox/host.js';
import { readGuest, type GuestRecord } from '../proxmox/inventory.js';
import { rebootGuest, reconcilePower, shutdownGuest, stopGuestIfRunning } from '../proxmox/power.js';
import { parseSize } from '../proxmox/sizes.js';
import { setArguments } from '../proxmox/set-arguments.js';
import { effectiveLxc, lxcDiffRules } from './diff.js';
import { inheritedMountpoints, updateMountpoints } from './mountpoints.js';
import { afterMoves, moveNeedsStop, moveVolumes, volumeMoves } from './volume-moves.js';
import { mountpointOption } from './mountpoint-options.js';
import { LXC_REQUIRED_OPTIONS, rootfsCreateOption, settableOptions } from './options.js';
import { inheritedRawLines, managedRawLines, writeRawLines } from './raw-config.js';
import { applyMountOwners } from './owners.js';
import { lxcAttrsFromRecord, readMountOwnersOf } from './read.js';

function vmidOf(attrs: Attrs): number {
  const vmid = num(attrs, 'vmid');
  if (vmid === undefined) throw diagnosticError('The container has no vmid');
  return vmid;
}

async function readRecord(node: NodeHandle, vmid: number): Promise<GuestRecord> {
  const record = await readGuest(node, 'lxc', vmid);
  if (!record) throw diagnosticError(`CT ${vmid} disappeared from node ${node.name} during apply`);
  return record;
}

/** Reads the container back; carries create-only and engine-only attributes from `planned`. */
async function readBack(node: NodeHandle, vmid: number, planned: Attrs): Promise<Attrs> {
  return readMountOwnersOf(node, lxcAttrsFromRecord(await readRecord(node, vmid), planned), planned);
}

async function createFromTemplate(ctx: ProviderContext, node: NodeHandle, vmid: number, planned: Attrs): Promise<void> {
  const args = ['pct', 'create', String(vmid), str(planned, 'ostemplate')!, ...setArguments({}, settableOptions(planned))];
  const rootfs = obj(planned, 'rootfs');
  if (rootfs) args.push('--rootfs', rootfsCreateOption(rootfs));
  for (const mp of objList(planned, 'mountpoint')) args.push(`--${str(mp, 'slot')}`, mountpointOption(mp));
  const unprivileged = bool(planned, 'unprivileged');
  if (unprivileged !== undefined) args.push('--unprivileged', unprivileged ? '1' : '0');
  const password = str(planned, 'password');
  // One word: a password starting with `-` would otherwise be read as an option (Getopt::Long).
  if (password !== undefined) args.push(`--password=${password}`);
  ctx.progress(`creating CT ${vmid} from ${str(planned, 'ostemplate')}`);
  const keys = str(planned, 'ssh_public_keys');
  if (keys === undefined) {
    await runOnHost(node, args, { what: `creating CT ${vmid}` });
  } else {
    // --ssh-public-keys takes a file path that pct reads on the host.
    await withHostTempFile(node, keys, (path) => runOnHost(node, [...args, '--ssh-public-keys', path], { what: `creating CT ${vmid}` }));
  }
}

/** Clones, then brings the clone to the planned settings; returns the raw lines it inherited (now phoenix's). */
async function createFromClone(ctx: ProviderContext, node: NodeHandle, vmid: number, planned: Attrs): Promise<string[]> {
  const clone = obj(planned, 'clone')!;
  const source = num(clone, 'source_vmid')!;
  const args = ['pct', 'clone', String(source), String(vmid)];
  const hostname = str(planned, 'hostname');
  if (hostname !== undefined) args.push('--hostname', hostname);
  // The clone is born with its own description and ownership marker, never with the source's.
  const description = settableOptions(planned).description;
  if (description !== undefined) args.push('--description', description);
  const full = bool(clone, 'full') === true;
  if (full) args.push('--full', '1');
  const snapshot = str(clone, 'snapshot');
  if (snapshot !== undefined) args.push('--snapname', snapshot);
  // A full copy lands on the planned rootfs storage; a linked clone must stay on the source's.
  const storage = str(clone, 'storage') ?? (full ? str(obj(planned, 'rootfs') ?? {}, 'storage') : undefined);
  if (storage !== undefined) args.push('--storage', storage);
  ctx.progress(`cloning CT ${vmid} from ${source}${snapshot ? ` snapshot ${snapshot}` : ''}`);
  // pct clone locks the source (`disk`) for the whole copy, linked or full: one clone per source at a
  // time. A full copy also loads its target storage. Neither key is held for what follows.
  const copyKeys = [cloneSourceKey(node, source), ...(full && storage !== undefined ? [storageKey(node, storage)] : [])];
  await holding(ctx, copyKeys, () => runOnHost(node, args, { what: `cloning CT ${source} to ${vmid}` }));
  // The clone has the source's settings: bring it to the planned ones like an update would.
  const record = await readRecord(node, vmid);
  const cloned = lxcAttrsFromRecord(record, planned);
  const desired = effectiveLxc(cloned, planned);
  await applySettings(node, vmid, cloned, protectionAfterMounts(cloned, desired), record.config.options);
  // The clone is stopped: the source's mount points are changed, removed or added at once.
  await updateMountpoints(node, vmid, inheritedMountpoints(cloned.mountpoint, planned.mountpoint), planned.mountpoint);
  await setProtection(node, vmid, cloned, desired);
  return inheritedRawLines(record.config.rawLxc);
}

/**
 * `pct set` for changed options, then `pct resize` when the rootfs grows. `host` is the config the host
 * has now: property strings keep the keys phoenix does not model.
 */
async function applySettings(node: NodeHandle, vmid: number, current: Attrs, desired: Attrs, host: Record<string, string>): Promise<void> {
  const args = setArguments(settableOptions(current, host), settableOptions(desired, host), LXC_REQUIRED_OPTIONS);
  if (args.length > 0) await runOnHost(node, ['pct', 'set', String(vmid), ...args], { what: `updating CT ${vmid}` });
  const before = str(obj(current, 'rootfs') ?? {}, 'size');
  const after = str(obj(desired, 'rootfs') ?? {}, 'size');
  if (after !== undefined && (before === undefined || parseSize(after)! > parseSize(before)!)) {
    await runOnHost(node, ['pct', 'resize', String(vmid), 'rootfs', after], { what: `resizing CT ${vmid} rootfs` });
  }
}

/** Attributes written as raw `lxc.*` lines. */
const RAW_LINE_ATTRIBUTES = ['lxc_raw', 'gpus', 'apparmor_profile', 'id_map'];

/**
 * Desired settings with `protection` held at its current value when it is being turned on: Proxmox refuses
 * mount point changes once it is set (Config.pm update_pct_config check_protection), so it is set last.
 */
function protectionAfterMounts(current: Attrs, desired: Attrs): Attrs {
  return desired.protection === true && current.protection !== true ? { ...desired, protection: current.protection ?? null } : desired;
}

async function setProtection(node: NodeHandle, vmid: number, current: Attrs, desired: Attrs): Promise<void> {
  if (desired.protection === true && current.protection !== true) {
    await runOnHost(node, ['pct', 'set', String(vmid), '--protection', '1'], { what: `protecting CT ${vmid}` });
  }
}

function rawLinesOf(attrs: Attrs): string[] {
  return managedRawLines(strList(attrs, 'lxc_raw'), numList(attrs, 'gpus'), attrs.apparmor_profile, attrs.id_map);
}

async function convertToTemplate(node: NodeHandle, vmid: number, running: boolean): Promise<void> {
  if (running) await shutdownGuest(node, 'pct', vmid);
  await runOnHost(node, ['pct', 'template', String(vmid)], { what: `converting CT ${vmid} to a template` });
}

export async function createContainer(ctx: ProviderContext, node: NodeHandle, planned: Attrs): Promise<Attrs> {
  const vmid = vmidOf(planned);
  let inherited: string[] = [];
  if (obj(planned, 'clone')) inherited = await createFromClone(ctx, node, vmid, planned);
  else await createFromTemplate(ctx, node, vmid, planned);
  const rawLines = rawLinesOf(planned);
  if (rawLines.length > 0 || inherited.length > 0) await writeRawLines(node, str(planned, 'node') ?? node.name, vmid, inherited, rawLines);
  await applyMountOwners(node, vmid, [], planned.mountpoint);
  if (bool(planned, 'template')) await convertToTemplate(node, vmid, false);
  else await reconcilePower(node, 'pct', vmid, 'stopped', str(planned, 'state'));
  return readBack(node, vmid, planned);
}

export async function updateContainer(ctx: ProviderContext, node: NodeHandle, prior: Attrs, planned: Attrs, diff: DiffResult): Promise<Attrs> {
  const vmid = vmidOf(prior);
  const desired = effectiveLxc(prior, planned);
  const changed = changedAttributes(lxcDiffRules, prior, desired);
  const running = str(prior, 'state') === 'running';
  const restarts = diff.restart?.restarts === true && running && str(desired, 'state') === 'running';
  const moves = volumeMoves(prior, desired);
  if (moves.length > 0 && running && !restarts && str(desired, 'state') === 'running') throw diagnosticError(moveNeedsStop(vmid, moves));
  await applySettings(node, vmid, prior, protectionAfterMounts(prior, desired), (await readRecord(node, vmid)).config.options);
  // pct move-volume needs the CT stopped: the restart the plan named is this stop and the start below.
  const stoppedForMoves = moves.length > 0 && running;
  if (stoppedForMoves) {
    ctx.progress(`restarting CT ${vmid}: ${diff.restart?.attributes.join(', ') ?? moves.map((m) => m.key).join(', ')}`);
    await shutdownGuest(node, 'pct', vmid);
  }
  await moveVolumes(node, vmid, moves);
  if (changed.has('mountpoint')) await updateMountpoints(node, vmid, afterMoves(prior.mountpoint, moves), desired.mountpoint);
  if (RAW_LINE_ATTRIBUTES.some((a) => changed.has(a))) await writeRawLines(node, str(prior, 'node') ?? node.name, vmid, rawLinesOf(prior), rawLinesOf(desired));
  if (changed.has('mountpoint')) await applyMountOwners(node, vmid, prior.mountpoint, desired.mountpoint);
  await setProtection(node, vmid, prior, desired);
  const powerNow = stoppedForMoves ? 'stopped' : str(prior, 'state');
  if (bool(desired, 'template') && !bool(prior, 'template')) {
    await convertToTemplate(node, vmid, powerNow === 'running');
  } else {
    // Only what the approved plan said: `CT 110 will be restarted: features` (reboot_after_update).
    if (restarts && !stoppedForMoves) {
      ctx.progress(`restarting CT ${vmid}: ${diff.restart!.attributes.join(', ')}`);
      await rebootGuest(node, 'pct', vmid);
    }
    await reconcilePower(node, 'pct', vmid, powerNow, str(desired, 'state'));
  }
  return readBack(node, vmid, planned);
}

export async function deleteContainer(node: NodeHandle, prior: Attrs): Promise<void> {
  const vmid = vmidOf(prior);
  if (str(prior, 'state') !== 'stopped') await stopGuestIfRunning(node, 'pct', vmid);
  // Every failure is reported, "does not exist" too (`storage 'x' does not exist`, a guest on another
  // cluster node): the engine reads the node afterwards and drops the guest from state only when gone.
  try {
    await node.run(['pct', 'destroy', String(vmid), '--purge', '1']);
  } catch (error) {
    throw asDiagnosticError(error, `destroying CT ${vmid}`);
  }
}
