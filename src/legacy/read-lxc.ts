/**
 * phoenix_lxc_configs.json: `lxc_configs` keyed by CTID (older versions: a list of entries with a `ctid`),
 * plus top-level NVIDIA defaults every guest falls back to.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { LegacyFields, type UnmodelledField } from './fields.js';
import { legacyDiagnostic, type JsonLocation } from './json-path.js';
import type { JsonValue } from './json-reader.js';
import type { LegacyDefaults, LegacyGuest } from './model.js';
import { emptyGuest, parseGuestId, readCommon, readNetwork } from './read-guest.js';
import { guestEntries } from './entries.js';
import { readContainerSecurity } from './read-lxc-security.js';
import { readIdMaps, readMountOwner } from './read-lxc-ids.js';
import { HOST_PATH, LXC_MOUNT_PATH, STORAGE_ID } from '../resources/proxmox/formats.js';

export const LXC_FILE = 'phoenix_lxc_configs.json';

export function readLxcFile(document: JsonValue, diagnostics: Diagnostic[]): { guests: LegacyGuest[]; defaults: LegacyDefaults; top: LegacyFields } {
  const top = LegacyFields.of(document, { file: LXC_FILE, path: [] }, diagnostics);
  top.consume('$schema');
  const defaults: LegacyDefaults = {};
  const located = (key: string) => {
    const value = top.string(key);
    return value === undefined ? undefined : { value, location: top.at(key) };
  };
  defaults.nvidiaDriverVersion = located('nvidia_driver_version');
  defaults.nvidiaRunfileUrl = located('nvidia_runfile_url');
  defaults.nvidiaRepoUrl = located('nvidia_repo_url');
  const guests = guestEntries(top, 'lxc_configs', ['ctid', 'vmid', 'id'], diagnostics).map(({ id, fields }) => readLxc(id, fields, diagnostics));
  if (!top.has('lxc_configs')) diagnostics.push(legacyDiagnostic('warning', top.at('lxc_configs'), 'No containers found', `${LXC_FILE} has no "lxc_configs"; no containers were converted.`));
  return { guests, defaults, top };
}

function readLxc(id: number, f: LegacyFields, diagnostics: Diagnostic[]): LegacyGuest {
  const guest = emptyGuest('lxc', id, f);
  f.consume('ctid', 'vmid', 'id');
  readCommon(guest, f, diagnostics);
  guest.swapMb = f.number('swap_mb');
  guest.diskGb = f.number('storage_size_gb');
  const template = f.string('template');
  if (template !== undefined) guest.image = { value: template, location: f.at('template') };
  const source = f.vmid('clone_from_ctid');
  if (source !== undefined) guest.cloneFrom = { value: source, location: f.at('clone_from_ctid') };
  guest.network = readNetwork(f.object('network_config'));
  const mac = f.string('mac_address');
  if (mac !== undefined) guest.network = { ...guest.network, mac };
  guest.unprivileged = f.bool('unprivileged');
  // lxc-manager.sh's create workflow: "pre-configured" after start, before the features; "final-form" last.
  if (f.bool('enable_lifecycle_snapshots') === true) guest.lifecycleSnapshots = { beforeFeatures: 'pre-configured', afterFeatures: 'final-form', location: f.at('enable_lifecycle_snapshots') };
  readContainerSecurity(guest, f, diagnostics);
  readIdMaps(guest, f, diagnostics);
  guest.gpus = parseGpuAssignment(f, diagnostics);
  readVolumes(guest, f, diagnostics);
  if (f.has('password')) {
    guest.secrets.push({ attribute: 'password', location: f.at('password') });
    f.consume('password');
  }
  guest.unmodelled.push(...f.reportUnmodelled(`container ${id}`));
  return guest;
}

/** "none", "0", "0,1" or "0, 1" → GPU indices. */
function parseGpuAssignment(f: LegacyFields, diagnostics: Diagnostic[]): number[] {
  const value = f.raw('gpu_assignment');
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (raw === undefined || /^\s*(none)?\s*$/i.test(raw)) return [];
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.every((p) => /^\d+$/.test(p))) return parts.map(Number);
  diagnostics.push(legacyDiagnostic('warning', f.at('gpu_assignment'), `Invalid gpu_assignment "${raw}"`, 'Expected "none" or GPU indices such as "0,1"; no GPU was assigned.'));
  return [];
}

function readVolumes(guest: LegacyGuest, f: LegacyFields, diagnostics: Diagnostic[]): void {
  const incomplete = (location: JsonLocation, needs: string) =>
    diagnostics.push(legacyDiagnostic('warning', location, 'Incomplete volume ignored', `A volume needs ${needs}; add it by hand as a \`mountpoint\` block.`));
  (f.array('zfs_volumes') ?? []).forEach((item, index) => {
    const volume = LegacyFields.of(item, f.at('zfs_volumes', index), diagnostics);
    const storage = volume.formatted('pool', STORAGE_ID);
    const mountPoint = volume.formatted('mount_point', LXC_MOUNT_PATH);
    if (storage === undefined || mountPoint === undefined) return incomplete(volume.location, '"pool" and "mount_point"');
    volume.consume('name');
    guest.volumes.push({ storage: { value: storage, location: volume.at('pool') }, sizeGb: volume.number('size_gb'), mountPoint, location: volume.location });
    guest.unmodelled.push(...nested(`zfs_volumes[${index}]`, volume, guest));
  });
  (f.array('mount_points') ?? []).forEach((item, index) => {
    const mount = LegacyFields.of(item, f.at('mount_points', index), diagnostics);
    const hostPath = mount.formatted('host_path', HOST_PATH);
    const containerPath = mount.formatted('container_path', LXC_MOUNT_PATH);
    if (hostPath === undefined || containerPath === undefined) return incomplete(mount.location, '"host_path" and "container_path"');
    const owner = readMountOwner(guest, mount, diagnostics);
    guest.bindMounts.push({ hostPath, containerPath, readOnly: mount.bool('read_only') ?? mount.bool('ro'), owner, location: mount.location });
    guest.unmodelled.push(...nested(`mount_points[${index}]`, mount, guest));
  });
}

/** Unmodelled keys of a nested object, reported and named by their place in the guest ("zfs_volumes[0].x"). */
function nested(prefix: string, fields: LegacyFields, guest: LegacyGuest): UnmodelledField[] {
  return fields.reportUnmodelled(`container ${guest.id}`).map((u) => ({ ...u, key: `${prefix}.${u.key}` }));
}
