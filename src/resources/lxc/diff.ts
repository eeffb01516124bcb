/**
 * Value-dependent change classification for `lxc`, checked against pve-container:
 * - rootfs grow = `pct resize` online (API2/LXC.pm resize_vm); shrink has no path ("unable to shrink disk
 *   size"): replace; another storage = `pct move-volume` (API2/LXC.pm move_volume), which needs the CT
 *   stopped: a restart (volume-moves.ts);
 * - mount points: see mountpoints.ts (add/remove/options in place, grow with `pct resize`, shrink replaces);
 * - template false→true = `pct template`; true→false has no path (a template cannot be converted back): replace;
 * - devices: see devices.ts (add in place, change/remove pending);
 * - protection: Proxmox refuses `--mpN` and `--delete mpN` while it is set (Config.pm update_pct_config
 *   check_protection: "can't update CT N drive 'mpN' - protection mode enabled"), so a plan that changes a
 *   protected container's mount points stops here; destroy and replace are refused by deletionRefusal;
 * - `pending_changes` going to [] is the restart that applies them.
 * Everything else follows the schema (`restart` = pending while the CT runs: Config.pm vmconfig_hotplug_pending).
 */
import type { Attrs, Value } from '../../config/values.js';
import { isObject } from '../../config/values.js';
import { AttributeError, type DiffResult } from '../provider.js';
import { keepGeneratedMacs } from '../proxmox/guest-schema.js';
import { adoptCreateOnly, refineDiff, restartAttributes, withComputedFromPrior, type ChangeKind, type DiffRules } from '../proxmox/diff-rules.js';
import { plannedPendingChanges, plannedRestart } from '../proxmox/restart.js';
import { classifyDevicesChange } from './devices.js';
import { classifyMountpointsChange, slotsSetOrDeleted } from './mountpoints.js';
import { moveNeedsStop, volumeMoves } from './volume-moves.js';
import { parseSize } from '../proxmox/sizes.js';
import { LXC_CREATE_ONLY, lxcSchema } from './schema.js';

function sizeBytes(v: Value | undefined): number | undefined {
  return isObject(v) && typeof v.size === 'string' ? parseSize(v.size) : undefined;
}

export function classifyDiskChange(prior: Value | undefined, planned: Value | undefined): ChangeKind {
  if (!isObject(prior) || !isObject(planned)) return 'replace';
  const before = sizeBytes(prior);
  const after = sizeBytes(planned);
  if (before !== undefined && after !== undefined && after < before) return 'replace';
  return planned.storage !== null && planned.storage !== prior.storage ? 'restart' : 'in-place';
}

export const lxcDiffRules: DiffRules = {
  schema: lxcSchema,
  createOnly: LXC_CREATE_ONLY,
  classify(attribute, prior, planned) {
    if (attribute === 'rootfs') return classifyDiskChange(prior, planned);
    if (attribute === 'mountpoint') return classifyMountpointsChange(prior, planned);
    if (attribute === 'device') return classifyDevicesChange(prior, planned);
    if (attribute === 'pending_changes') return 'restart';
    if (attribute === 'template') return prior === true && planned !== true ? 'replace' : 'in-place';
    return undefined;
  },
};

/** After an import: create-only inputs (clone, ostemplate, password...) as configured; the host keeps no record of them. */
export function adoptConfiguredLxc(imported: Attrs, configured: Attrs): Attrs {
  return adoptCreateOnly(lxcDiffRules, imported, configured);
}

/**
 * Nested values the host decided and config leaves unset (generated MACs, the rootfs size), and the
 * `pending_changes` apply will leave (see restart.ts).
 */
export function completeLxcPlanned(prior: Attrs, planned: Attrs): Attrs {
  const out: Attrs = { ...planned, network: keepGeneratedMacs(prior.network, planned.network) };
  if (isObject(out.rootfs) && out.rootfs.size === null && isObject(prior.rootfs)) {
    out.rootfs = { ...out.rootfs, size: prior.rootfs.size ?? null };
  }
  if (prior.pending_changes !== undefined) {
    out.pending_changes = plannedPendingChanges(prior, out, restartAttributes(lxcDiffRules, prior, out));
  }
  return out;
}

/** Planned attributes as they will be on the host: unset computed values and host-decided nested values kept. */
export function effectiveLxc(prior: Attrs, planned: Attrs): Attrs {
  return completeLxcPlanned(prior, withComputedFromPrior(lxcSchema, prior, planned));
}

/** Proxmox's words for the first mount point a protected container would refuse to change, if any. */
function protectedDriveChange(prior: Attrs, effective: Attrs): string | undefined {
  if (prior.protection !== true || effective.protection !== true) return undefined;
  const slot = slotsSetOrDeleted(prior.mountpoint, effective.mountpoint)[0];
  if (slot === undefined) return undefined;
  return (
    `can't update CT ${String(prior.vmid)} drive '${slot}' - protection mode enabled. Proxmox refuses to add, change or remove mount points ` +
    'of a protected container: set protection = false and apply, then change the mount points.'
  );
}

/** A protected container is neither destroyed nor replaced (API2/LXC.pm destroy_vm: "can't remove CT N - protection mode enabled"). */
export function lxcDeletionRefusal(prior: Attrs): { summary: string; detail: string } | undefined {
  if (prior.protection !== true) return undefined;
  return {
    summary: `CT ${String(prior.vmid)} is protected`,
    detail:
      `The plan would destroy CT ${String(prior.vmid)}, and Proxmox refuses: "can't remove CT ${String(prior.vmid)} - protection mode enabled". ` +
      'Set protection = false and apply first, then plan the destroy or replacement again.',
  };
}

export function diffLxc(prior: Attrs, planned: Attrs, proposed: DiffResult): DiffResult {
  const effective = effectiveLxc(prior, planned);
  const refused = protectedDriveChange(prior, effective);
  if (refused) throw new AttributeError(refused, 'mountpoint');
  const diff = refineDiff(lxcDiffRules, prior, effective, proposed);
  const restart = plannedRestart('CT', prior, effective, restartAttributes(lxcDiffRules, prior, effective));
  const moves = diff.replacePaths.length === 0 ? volumeMoves(prior, effective) : [];
  // A volume move cannot wait in a pending section: without consent to stop the CT, the plan stops here.
  if (restart && !restart.restarts && moves.length > 0) {
    throw new AttributeError(moveNeedsStop(Number(prior.vmid), moves), moves[0]!.key === 'rootfs' ? 'rootfs' : 'mountpoint');
  }
  return restart ? { ...diff, restart } : diff;
}
