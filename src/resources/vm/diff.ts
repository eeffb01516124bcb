/**
 * Value-dependent change classification for `vm`, checked against qemu-server:
 * - a disk that grows: `qm disk resize`, online (API2/Qemu.pm resize_vm); shrinking has no path: replace;
 * - a new disk: `qm set --scsiN STORAGE:SIZE`, hot-plugged (QemuServer.pm vmconfig_hotplug_pending);
 * - a removed disk: `qm set --delete scsiN`; scsi/virtio are hot-unplugged, ide/sata wait for the next start
 *   (vmconfig_hotplug_pending: `die "skip\n" if ... $opt =~ m/(ide|sata)(\d+)/`); the volume is kept as
 *   `unusedN` (vmconfig_delete_or_detach_drive);
 * - moving a disk to another storage: `qm disk move VMID DISK STORAGE --delete 1`, online (API2/Qemu.pm
 *   move_vm_disk: drive-mirror for a running VM);
 * - re-importing a disk (another `import_from`) has no path short of a new disk: replace;
 * - template false→true is `qm template`; true→false has no path: replace.
 */
import { isObject, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import { AttributeError, type DiffResult } from '../provider.js';
import { keepGeneratedMacs } from '../proxmox/guest-schema.js';
import { adoptCreateOnly, refineDiff, restartAttributes, withComputedFromPrior, type ChangeKind, type DiffRules } from '../proxmox/diff-rules.js';
import { plannedPendingChanges, plannedRestart } from '../proxmox/restart.js';
import { parseSize } from '../proxmox/sizes.js';
import { VM_CREATE_ONLY, vmSchema } from './schema.js';
import { DISK_OPTIONS_ON_RESTART } from './hardware-options.js';
import { classifyHardwareChange, tpmMoveNeedsStop, tpmStateMove } from './hardware-diff.js';

function disksBySlot(v: Value | undefined): Map<string, ValueObject> {
  const list = Array.isArray(v) ? v.filter(isObject) : [];
  return new Map(list.map((d) => [String(d.slot), d]));
}

export function classifyDisksChange(prior: Value | undefined, planned: Value | undefined): ChangeKind {
  const before = disksBySlot(prior);
  const after = disksBySlot(planned);
  let kind: ChangeKind = 'in-place';
  // vmconfig_update_disk: aio, discard, iothread, cache, ssd cannot change on a running VM.
  for (const [slot, old] of before) {
    const next = after.get(slot);
    if (next && DISK_OPTIONS_ON_RESTART.some((o) => (old[o] ?? null) !== (next[o] ?? null))) kind = 'restart';
  }
  for (const [slot, old] of before) {
    const next = after.get(slot);
    if (!next) {
      if (/^(ide|sata)\d+$/.test(slot)) kind = 'restart';
      continue;
    }
    if (next.import_from !== old.import_from && old.import_from !== null) return 'replace';
    const oldSize = typeof old.size === 'string' ? parseSize(old.size) : undefined;
    const newSize = typeof next.size === 'string' ? parseSize(next.size) : undefined;
    if (oldSize !== undefined && newSize !== undefined && newSize < oldSize) return 'replace';
  }
  return kind;
}

/** The rules for one change: some kinds depend on other attributes (USB hotplug on `options.ostype`). */
export function vmDiffRulesFor(priorVm: Attrs, plannedVm: Attrs): DiffRules {
  return {
    schema: vmSchema,
    createOnly: VM_CREATE_ONLY,
    classify(attribute, prior, planned) {
      if (attribute === 'disks') return classifyDisksChange(prior, planned);
      if (attribute === 'pending_changes') return 'restart';
      if (attribute === 'template') return prior === true && planned !== true ? 'replace' : 'in-place';
      return classifyHardwareChange(attribute, { ...priorVm, [attribute]: prior ?? null }, { ...plannedVm, [attribute]: planned ?? null });
    },
  };
}

export const vmDiffRules: DiffRules = vmDiffRulesFor({}, {});

/**
 * After an import: create-only inputs (clone) as configured, and each disk's configured `import_from`
 * (the image a disk was made from leaves no trace on the host).
 */
export function adoptConfiguredVm(imported: Attrs, configured: Attrs): Attrs {
  const out = adoptCreateOnly(vmDiffRules, imported, configured);
  // An import reads every unmodelled key into `options`: only the configured ones are phoenix's to manage.
  if (isObject(out.options)) {
    const wanted = isObject(configured.options) ? Object.keys(configured.options) : [];
    out.options = Object.fromEntries(Object.entries(out.options).filter(([k]) => wanted.includes(k)));
  }
  if (Array.isArray(out.disks)) {
    const wanted = disksBySlot(configured.disks);
    out.disks = out.disks.map((d) => {
      const source = isObject(d) ? wanted.get(String(d.slot))?.import_from : undefined;
      return isObject(d) && (d.import_from ?? null) === null && source !== undefined ? { ...d, import_from: source } : d;
    });
  }
  return out;
}

/** Nested values the host decided and config leaves unset: generated MACs, disk sizes and import sources, the cloud-init password. */
export function completeVmPlanned(prior: Attrs, planned: Attrs): Attrs {
  const out: Attrs = { ...planned, network: keepGeneratedMacs(prior.network, planned.network) };
  if (Array.isArray(out.disks)) {
    const before = disksBySlot(prior.disks);
    out.disks = out.disks.map((d) => {
      const old = isObject(d) ? before.get(String(d.slot)) : undefined;
      if (!isObject(d) || !old) return d;
      return { ...d, size: d.size ?? old.size ?? null, import_from: d.import_from ?? old.import_from ?? null };
    });
  }
  if (isObject(out.cloud_init) && isObject(prior.cloud_init) && out.cloud_init.password === null) {
    out.cloud_init = { ...out.cloud_init, password: prior.cloud_init.password ?? null };
  }
  if (prior.pending_changes !== undefined) {
    out.pending_changes = plannedPendingChanges(prior, out, restartAttributes(vmDiffRulesFor(prior, out), prior, out));
  }
  return out;
}

/** Planned attributes as they will be on the host: unset computed values and host-decided nested values kept. */
export function effectiveVm(prior: Attrs, planned: Attrs): Attrs {
  return completeVmPlanned(prior, withComputedFromPrior(vmSchema, prior, planned));
}

export function diffVm(prior: Attrs, planned: Attrs, proposed: DiffResult): DiffResult {
  const effective = effectiveVm(prior, planned);
  const rules = vmDiffRulesFor(prior, effective);
  const diff = refineDiff(rules, prior, effective, proposed);
  const restart = plannedRestart('VM', prior, effective, restartAttributes(rules, prior, effective));
  const tpmMove = diff.replacePaths.length === 0 ? tpmStateMove(prior, effective) : undefined;
  // A disk move cannot wait in a pending section: without consent to stop the VM, the plan stops here.
  if (restart && !restart.restarts && tpmMove !== undefined) throw new AttributeError(tpmMoveNeedsStop(Number(prior.vmid), tpmMove), 'tpmstate');
  return restart ? { ...diff, restart } : diff;
}
