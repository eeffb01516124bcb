/**
 * Value-dependent change classification for `lxc`, checked against pve-container:
 * - rootfs grow = `pct resize` online (API2/LXC.pm resize_vm); shrink has no path ("unable to shrink disk
 *   size"): replace; another storage = `pct move-volume` (API2/LXC.pm move_volume), which needs the CT
 *   stopped: a restart (volume-moves.ts);
 * - mount points: see mountpoints.ts (add/remove/options in place, grow with `pct resize`, shrink replaces);
 * - template false→true = `pct template`; true→false has no path (a template cannot be converted back): replace;
 * - `pending_changes` going to [] is the restart that applies them.
 * Everything else follows the schema (`restart` = pending while the CT runs: Config.pm vmconfig_hotplug_pending).
 */
import type { Attrs, Value } from '../../config/values.js';
import { isObject } from '../../config/values.js';
import { AttributeError, type DiffResult } from '../provider.js';
import { keepGeneratedMacs } from '../proxmox/guest-schema.js';
import { adoptCreateOnly, refineDiff, restartAttributes, withComputedFromPrior, type ChangeKind, type DiffRules } from '../proxmox/diff-rules.js';
import { plannedPendingChanges, plannedRestart } from '../proxmox/restart.js';
import { classifyMountpointsChange } from './mountpoints.js';
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

export function diffLxc(prior: Attrs, planned: Attrs, proposed: DiffResult): DiffResult {
  const effective = effectiveLxc(prior, planned);
  const diff = refineDiff(lxcDiffRules, prior, effective, proposed);
  const restart = plannedRestart('CT', prior, effective, restartAttributes(lxcDiffRules, prior, effective));
  const moves = diff.replacePaths.length === 0 ? volumeMoves(prior, effective) : [];
  // A volume move cannot wait in a pending section: without consent to stop the CT, the plan stops here.
  if (restart && !restart.restarts && moves.length > 0) {
    throw new AttributeError(moveNeedsStop(Number(prior.vmid), moves), moves[0]!.key === 'rootfs' ? 'rootfs' : 'mountpoint');
  }
  return restart ? { ...diff, restart } : diff;
}
