/**
 * phoenix_hypervisor_config.json: ZFS pools and datasets with their Proxmox storage registration, NFS
 * exports and Samba shares (read-host.ts), NVIDIA driver defaults and shared volumes (host paths
 * bind-mounted into guests by CTID). Users, the host network and the rest stay comments.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { LegacyFields, describe, type UnmodelledField } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import { isJsonObject, type JsonValue } from './json-reader.js';
import type { LegacyBindMount, LegacyDataset, LegacyDefaults, LegacyHost } from './model.js';
import { readHost, readPools } from './read-host.js';
import { parseGuestId } from './read-guest.js';
import { STORAGE_ID, type Format } from '../resources/proxmox/formats.js';
import { DATASET_NAME } from '../resources/zfs_dataset/validate.js';
import { zfsPropertyProblem } from '../resources/zfs_dataset/property-rules.js';

export const HYPERVISOR_FILE = 'phoenix_hypervisor_config.json';

export interface SharedMount extends LegacyBindMount {
  guestId: number;
}

export interface HypervisorConfig {
  datasets: LegacyDataset[];
  host: LegacyHost;
  defaults: LegacyDefaults;
  sharedMounts: SharedMount[];
  mountPointBase?: string;
  unmodelled: UnmodelledField[];
}

export function readHypervisorFile(document: JsonValue, diagnostics: Diagnostic[]): HypervisorConfig {
  const top = LegacyFields.of(document, { file: HYPERVISOR_FILE, path: [] }, diagnostics);
  top.consume('$schema', 'version', 'author');
  const storageIds = top.object('proxmox_storage_ids');
  const zfs = top.object('zfs');
  const datasets = zfs ? readDatasets(zfs, storageIds, diagnostics) : [];
  const pools = zfs ? readPools(zfs, diagnostics) : [];
  const unmodelled: UnmodelledField[] = [];
  if (zfs) unmodelled.push(...prefixed('zfs', zfs.reportUnmodelled('the storage resources')));
  if (storageIds) reportUnusedStorageIds(storageIds, datasets, diagnostics);

  const defaults: LegacyDefaults = {};
  const nvidia = top.object('nvidia_driver');
  if (nvidia) {
    const version = nvidia.string('version');
    const runfile = nvidia.string('runfile_url');
    if (version !== undefined) defaults.nvidiaDriverVersion = { value: version, location: nvidia.at('version') };
    if (runfile !== undefined) defaults.nvidiaRunfileUrl = { value: runfile, location: nvidia.at('runfile_url') };
    unmodelled.push(...prefixed('nvidia_driver', nvidia.reportUnmodelled('the variables')));
  }
  const mountPointBase = top.string('mount_point_base');
  const host = readHost(top, pools, diagnostics);
  unmodelled.push(...host.unmodelled);
  const shared = readSharedVolumes(top, diagnostics);
  unmodelled.push(...prefixed('shared_volumes', shared.unmodelled));
  unmodelled.push(...top.reportUnmodelled('the node'));
  return { datasets, host: host.host, defaults, sharedMounts: shared.mounts, mountPointBase, unmodelled };
}

function prefixed(prefix: string, fields: UnmodelledField[]): UnmodelledField[] {
  return fields.map((f) => ({ ...f, key: `${prefix}.${f.key}` }));
}

function readDatasets(zfs: LegacyFields, storageIds: LegacyFields | undefined, diagnostics: Diagnostic[]): LegacyDataset[] {
  const result: LegacyDataset[] = [];
  (zfs.array('datasets') ?? []).forEach((item, index) => {
    const f = LegacyFields.of(item, zfs.at('datasets', index), diagnostics);
    const name = f.formatted('name', DATASET_PATH);
    const pool = f.formatted('pool', POOL_NAME);
    if (name === undefined || pool === undefined) {
      diagnostics.push(legacyDiagnostic('warning', f.location, 'Dataset without "name" or "pool" skipped', 'Both are needed to know the full dataset name (POOL/NAME).'));
      return;
    }
    const properties = parseProperties(f, diagnostics);
    const type = f.string('proxmox_storage_type');
    const content = f.formatted('proxmox_content_type', CONTENT_LIST);
    const dataset: LegacyDataset = { pool, name, properties, location: f.location, unmodelled: [] };
    // hypervisor_feature_setup_zfs.sh (versions with storage_class) registers only "direct" datasets with
    // pvesm; "shared" ones are served to guests over NFS or bind mounts.
    const storageClass = f.string('storage_class');
    const id = type === undefined ? undefined : storageIdFor(storageIds, pool, name, f, diagnostics);
    if (id !== undefined && storageClass !== undefined && storageClass !== 'direct') {
      dataset.unregisteredStorage = { id, storageClass };
    } else if (id !== undefined) {
      dataset.storage = {
        id,
        type: type!,
        content: (content ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '' && c !== 'none'),
      };
    }
    dataset.unmodelled = f.reportUnmodelled(`dataset ${pool}/${name}`);
    result.push(dataset);
  });
  return result;
}

/** "recordsize=128K,compression=lz4" → { recordsize: "128K", compression: "lz4" }; also accepts an object. */
function parseProperties(f: LegacyFields, diagnostics: Diagnostic[]): Record<string, string> {
  const raw = f.raw('properties');
  const properties: Record<string, string> = {};
  if (raw === undefined || raw === null || raw === '') return properties;
  if (isJsonObject(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      const value = typeof v === 'string' ? v : JSON.stringify(v);
      const problem = zfsPropertyProblem(k, value);
      if (problem) diagnostics.push(legacyDiagnostic('warning', f.at('properties', k), `Invalid property ${k}=${value}`, `zfs rejects it (${problem}); it was ignored.`));
      else properties[k] = value;
    }
    return properties;
  }
  if (typeof raw !== 'string') {
    diagnostics.push(legacyDiagnostic('warning', f.at('properties'), 'Expected "k=v,k=v" properties', `Found ${describe(raw)}; no properties were converted.`));
    return properties;
  }
  for (const pair of raw.split(',')) {
    const match = /^\s*([a-z0-9_:.]+)\s*=\s*(.*?)\s*$/i.exec(pair);
    const problem = match ? zfsPropertyProblem(match[1]!, match[2]!) : undefined;
    if (match && problem) diagnostics.push(legacyDiagnostic('warning', f.at('properties'), `Invalid property "${pair.trim()}"`, `zfs rejects it (${problem}); it was ignored.`));
    else if (match) properties[match[1]!] = match[2]!;
    else if (pair.trim() !== '') diagnostics.push(legacyDiagnostic('warning', f.at('properties'), `Invalid property "${pair.trim()}"`, 'Expected "name=value"; it was ignored.'));
  }
  return properties;
}

/** The storage ID a dataset registers, if Proxmox accepts it (else a warning naming where it came from). */
function storageIdFor(storageIds: LegacyFields | undefined, pool: string, name: string, f: LegacyFields, diagnostics: Diagnostic[]): string | undefined {
  const mapped = mappedStorageId(storageIds, pool, name);
  const id = mapped ?? `${pool}-${name}`;
  const problem = STORAGE_ID.problem(id);
  if (problem === undefined) return id;
  const where = mapped !== undefined ? storageIds!.at(`${pool}_${name.replace(/-/g, '_')}`) : f.location;
  diagnostics.push(legacyDiagnostic('warning', where, `Invalid storage ID "${id}" for dataset ${pool}/${name}`, `Proxmox rejects it (${problem}); the dataset was converted without its storage.`));
  return undefined;
}

/** The legacy setup looks up `proxmox_storage_ids["POOL_NAME"]` (dashes as underscores) before `POOL-NAME`. */
function mappedStorageId(storageIds: LegacyFields | undefined, pool: string, name: string): string | undefined {
  const value = storageIds?.json[`${pool}_${name.replace(/-/g, '_')}`];
  return typeof value === 'string' ? value : undefined;
}

function reportUnusedStorageIds(storageIds: LegacyFields, datasets: LegacyDataset[], diagnostics: Diagnostic[]): void {
  const used = new Set(datasets.flatMap((d) => [d.storage?.id, d.unregisteredStorage?.id]));
  for (const [key, value] of Object.entries(storageIds.json)) {
    if (typeof value === 'string' && used.has(value)) continue;
    diagnostics.push(
      legacyDiagnostic('warning', storageIds.at(key), `Storage ID ${JSON.stringify(value)} matches no dataset`, 'No dataset in zfs.datasets registers this storage ID; it was not converted.'),
    );
  }
}

/** shared_volumes.NAME{host_path, mounts{CTID: container_path}}: bind mounts added to those guests. */
function readSharedVolumes(top: LegacyFields, diagnostics: Diagnostic[]): { mounts: SharedMount[]; unmodelled: UnmodelledField[] } {
  const volumes = top.object('shared_volumes');
  if (!volumes) return { mounts: [], unmodelled: [] };
  const mounts: SharedMount[] = [];
  for (const key of Object.keys(volumes.json)) {
    const volume = LegacyFields.of(volumes.json[key], volumes.at(key), diagnostics);
    const hostPath = volume.string('host_path');
    const byGuest = volume.object('mounts');
    if (hostPath === undefined || !byGuest) {
      diagnostics.push(legacyDiagnostic('warning', volumes.at(key), `shared_volumes entry "${key}" is not a shared volume`, 'It has no "host_path" and "mounts"; it was kept as a comment.'));
      continue;
    }
    volumes.consume(key);
    for (const [guestKey, path] of Object.entries(byGuest.json)) {
      const guestId = parseGuestId(guestKey);
      if (guestId === undefined || typeof path !== 'string') {
        diagnostics.push(legacyDiagnostic('warning', byGuest.at(guestKey), 'Invalid shared volume mount', 'Expected "CTID": "/path/in/container"; it was ignored.'));
        continue;
      }
      mounts.push({ guestId, hostPath, containerPath: path, location: byGuest.at(guestKey) });
    }
  }
  // Entries that are not volumes (already warned about above) are kept as comments.
  return { mounts, unmodelled: volumes.unmodelled() };
}

/** The dataset's path below its pool, as zfs_namecheck.c checks the whole name (zfs_dataset DATASET_NAME). */
const DATASET_PATH: Pick<Format, 'problem' | 'accepts'> = { accepts: 'a path below the pool such as "vm-disks"', problem: (v) => DATASET_NAME.problem(`pool/${v}`) };
const POOL_NAME: Pick<Format, 'problem' | 'accepts'> = { accepts: 'a pool name such as "tank"', problem: (v) => (v.includes('/') ? 'a pool name has no "/"' : DATASET_NAME.problem(`${v}/x`)) };
/** pve-storage PVE/Storage/Plugin.pm content types, comma-separated ("none" for none). */
const CONTENT_TYPES = ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import', 'none'];
const CONTENT_LIST: Pick<Format, 'problem' | 'accepts'> = {
  accepts: `content types among ${CONTENT_TYPES.join(', ')}, separated by commas`,
  problem: (v) => v.split(',').map((c) => c.trim()).find((c) => !CONTENT_TYPES.includes(c)) && 'unknown content type',
};
