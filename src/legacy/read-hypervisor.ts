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
    const name = f.string('name');
    const pool = f.string('pool');
    if (name === undefined || pool === undefined) {
      diagnostics.push(legacyDiagnostic('warning', f.location, 'Dataset without "name" or "pool" skipped', 'Both are needed to know the full dataset name (POOL/NAME).'));
      return;
    }
    const properties = parseProperties(f, diagnostics);
    const type = f.string('proxmox_storage_type');
    const content = f.string('proxmox_content_type');
    const dataset: LegacyDataset = { pool, name, properties, location: f.location, unmodelled: [] };
    if (type !== undefined) {
      dataset.storage = {
        id: mappedStorageId(storageIds, pool, name) ?? `${pool}-${name}`,
        type,
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
    for (const [k, v] of Object.entries(raw)) properties[k] = typeof v === 'string' ? v : JSON.stringify(v);
    return properties;
  }
  if (typeof raw !== 'string') {
    diagnostics.push(legacyDiagnostic('warning', f.at('properties'), 'Expected "k=v,k=v" properties', `Found ${describe(raw)}; no properties were converted.`));
    return properties;
  }
  for (const pair of raw.split(',')) {
    const match = /^\s*([a-z0-9_:.]+)\s*=\s*(.*?)\s*$/i.exec(pair);
    if (match) properties[match[1]!] = match[2]!;
    else if (pair.trim() !== '') diagnostics.push(legacyDiagnostic('warning', f.at('properties'), `Invalid property "${pair.trim()}"`, 'Expected "name=value"; it was ignored.'));
  }
  return properties;
}

/** The legacy setup looks up `proxmox_storage_ids["POOL_NAME"]` (dashes as underscores) before `POOL-NAME`. */
function mappedStorageId(storageIds: LegacyFields | undefined, pool: string, name: string): string | undefined {
  const value = storageIds?.json[`${pool}_${name.replace(/-/g, '_')}`];
  return typeof value === 'string' ? value : undefined;
}

function reportUnusedStorageIds(storageIds: LegacyFields, datasets: LegacyDataset[], diagnostics: Diagnostic[]): void {
  const used = new Set(datasets.map((d) => d.storage?.id));
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
