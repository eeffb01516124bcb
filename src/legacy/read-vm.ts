/**
 * phoenix_vm_configs.json: `vm_defaults` (applied to every VM that leaves a value out, as the legacy
 * vm-manager does) and `vms`, a list of entries with a `vmid` (or an object keyed by vmid).
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { LegacyFields, type UnmodelledField } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import { isJsonObject, type JsonValue } from './json-reader.js';
import type { LegacyGuest } from './model.js';
import { emptyGuest, readCommon, readNetwork } from './read-guest.js';
import { guestEntries } from './entries.js';

export const VM_FILE = 'phoenix_vm_configs.json';

interface VmDefaults {
  cores?: number;
  memoryMb?: number;
  diskGb?: number;
  storagePool?: string;
  bridge?: string;
}

export function readVmFile(document: JsonValue, diagnostics: Diagnostic[]): { guests: LegacyGuest[]; top: LegacyFields; unmodelledDefaults: UnmodelledField[] } {
  const top = LegacyFields.of(document, { file: VM_FILE, path: [] }, diagnostics);
  top.consume('$schema');
  const defaultsFields = top.object('vm_defaults');
  const defaults: VmDefaults = defaultsFields
    ? {
        cores: defaultsFields.number('cores'),
        memoryMb: defaultsFields.number('memory_mb'),
        diskGb: defaultsFields.number('disk_size_gb'),
        storagePool: defaultsFields.string('storage_pool'),
        bridge: defaultsFields.string('network_bridge'),
      }
    : {};
  const guests = guestEntries(top, 'vms', ['vmid', 'id'], diagnostics).map(({ id, fields }) => readVm(id, fields, defaults, defaultsFields, diagnostics));
  return { guests, top, unmodelledDefaults: defaultsFields?.reportUnmodelled('the VMs') ?? [] };
}

/** `volumes[]{type: "nfs", path}`: not modelled (kept as a comment), but the VM needs the dataset. */
function nfsPaths(volumes: JsonValue | undefined): string[] {
  if (!Array.isArray(volumes)) return [];
  return volumes.filter(isJsonObject).flatMap((v) => (v['type'] === 'nfs' && typeof v['path'] === 'string' ? [v['path']] : []));
}

function readVm(id: number, f: LegacyFields, defaults: VmDefaults, defaultsFields: LegacyFields | undefined, diagnostics: Diagnostic[]): LegacyGuest {
  const guest = emptyGuest('vm', id, f);
  f.consume('vmid', 'id');
  readCommon(guest, f, diagnostics);
  guest.cores ??= defaults.cores;
  guest.memoryMb ??= defaults.memoryMb;
  guest.diskGb = f.number('disk_size_gb') ?? defaults.diskGb;
  if (!guest.storagePool && defaults.storagePool && defaultsFields) guest.storagePool = { value: defaults.storagePool, location: defaultsFields.at('storage_pool') };
  guest.isTemplate = f.bool('is_template');
  if (guest.isTemplate && guest.snapshotName !== undefined) {
    // Proxmox cannot snapshot a template, and clones of a template need no snapshot.
    const location = f.at('template_snapshot_name');
    guest.unmodelled.push({ key: 'template_snapshot_name', value: guest.snapshotName, location });
    diagnostics.push(legacyDiagnostic('warning', location, 'Snapshot of a template not converted', `Proxmox cannot snapshot template ${id}; its clones are made from the template itself. Kept as a comment.`));
    guest.snapshotName = undefined;
  }
  const image = f.string('template_image');
  if (image !== undefined) guest.image = { value: image, location: f.at('template_image') };
  const source = f.vmid('clone_from_vmid');
  if (source !== undefined) guest.cloneFrom = { value: source, location: f.at('clone_from_vmid') };
  const network = readNetwork(f.object('network_config')) ?? {};
  guest.network = { ...network, bridge: network.bridge ?? defaults.bridge };
  const user = f.object('user_config');
  if (user) {
    guest.cloudInitUser = user.string('username');
    if (user.has('password')) {
      guest.secrets.push({ attribute: 'password', location: user.at('password') });
      user.consume('password');
    }
    guest.unmodelled.push(...user.reportUnmodelled(`VM ${id}`).map((u) => ({ ...u, key: `user_config.${u.key}` })));
  }
  guest.networkMounts = nfsPaths(f.json['volumes']);
  // vm-manager.sh manage_snapshots: `snapshots."pre-features"` before apply_vm_features, `"post-features"` after.
  const snapshots = f.object('snapshots');
  if (snapshots) {
    const before = snapshots.string('pre-features');
    const after = snapshots.string('post-features');
    if (before !== undefined || after !== undefined) guest.lifecycleSnapshots = { beforeFeatures: before, afterFeatures: after, location: f.at('snapshots') };
    guest.unmodelled.push(...snapshots.reportUnmodelled(`VM ${id}`).map((u) => ({ ...u, key: `snapshots.${u.key}` })));
  }
  guest.unmodelled.push(...f.reportUnmodelled(`VM ${id}`));
  return guest;
}
