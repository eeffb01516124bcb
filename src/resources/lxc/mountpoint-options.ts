/**
 * A mount point's `mpN` property string and its options (pve-container src/PVE/LXC/Config.pm $mp_desc /
 * $rootfs_desc): `mp`, `ro`, `backup`, `mountoptions` (noatime, nosuid, nodev, noexec, discard, lazytime,
 * `;`-separated), `acl`, `quota`, `replicate` (default 1) and `shared` (default 0). The owner of a bind
 * mount's host directory is no Proxmox option: see owners.ts.
 */
import { isObject, isUnknown, type Value, type ValueObject } from '../../config/values.js';
import { bool, num, parsePveBool, str, strList } from '../proxmox/attrs.js';
import { formatPropertyString, parsePropertyString } from '../proxmox/property-string.js';
import { CONTAINER_VOLUME_UNIT, formatSize, normalizeSize, parseSize, parseStoredSize, toGiB } from '../proxmox/sizes.js';
import { hostIdOf } from './idmap.js';

export const MOUNTPOINT_FIELDS = [
  'slot', 'volume', 'path', 'size', 'backup', 'read_only', 'mount_options', 'acl', 'quota', 'replicate', 'shared', 'owner_uid', 'owner_gid', 'host_owner',
] as const;

/** Config.pm $valid_mount_option_re. */
export const MOUNT_OPTIONS = ['discard', 'lazytime', 'noatime', 'nodev', 'noexec', 'nosuid'] as const;

/** Options a slot's change waits for the next start over (Config.pm vmconfig_hotplug_pending: no hotplug over an existing mp). */
export const MOUNTPOINT_RESTART_FIELDS = ['volume', 'path', 'backup', 'read_only', 'mount_options', 'acl', 'quota', 'replicate', 'shared'] as const;

/** A mount point's `volume`: a host path stays, `storage:subvol-...` and `storage:8` become the storage ID. */
export function mountVolumeId(volume: string): string {
  return volume.startsWith('/') ? volume : volume.split(':')[0]!;
}

export const isBindMount = (mp: ValueObject) => typeof mp.volume === 'string' && mp.volume.startsWith('/');

const sortedOptions = (v: Value | undefined): Value => (Array.isArray(v) ? [...new Set(v.filter((o): o is string => typeof o === 'string'))].sort() : []);

/**
 * What `chown` sets on the host directory, "HOSTUID:HOSTGID" (either side empty when not managed): the
 * planned owner through the container's id maps. Null when the mount point declares no owner.
 */
export function hostOwner(mp: ValueObject, unprivileged: boolean, idMaps: Value | undefined): Value {
  const uid = num(mp, 'owner_uid');
  const gid = num(mp, 'owner_gid');
  if (uid === undefined && gid === undefined) return null;
  const hostUid = uid === undefined ? '' : (hostIdOf(uid, 'u', unprivileged, idMaps) ?? '?');
  const hostGid = gid === undefined ? '' : (hostIdOf(gid, 'g', unprivileged, idMaps) ?? '?');
  return `${hostUid}:${hostGid}`;
}

/** Config values in the form read() reports them; `host_owner` computed when the container's mapping is known. */
export function normalizeMountpoints(v: Value | undefined, unprivileged: Value | undefined, idMaps: Value | undefined): Value {
  if (!Array.isArray(v)) return v ?? null;
  const mappingKnown = typeof unprivileged === 'boolean' && !isUnknown(idMaps);
  const list = v.filter(isObject).map((mp): ValueObject => {
    const o: ValueObject = Object.fromEntries(MOUNTPOINT_FIELDS.map((f) => [f, mp[f] ?? null]));
    return {
      ...o,
      volume: typeof o.volume === 'string' ? mountVolumeId(o.volume) : o.volume,
      size: typeof o.size === 'string' ? normalizeSize(o.size, CONTAINER_VOLUME_UNIT) : o.size,
      backup: o.backup ?? false,
      read_only: o.read_only ?? false,
      mount_options: isUnknown(o.mount_options) ? o.mount_options : sortedOptions(o.mount_options),
      quota: o.quota ?? false,
      replicate: o.replicate ?? true,
      shared: o.shared ?? false,
      host_owner: mappingKnown ? hostOwner(mp, unprivileged as boolean, idMaps) : o.owner_uid === null && o.owner_gid === null ? null : o.host_owner,
    };
  });
  return list.sort((a, b) => String(a.slot).localeCompare(String(b.slot)));
}

function sizeOf(p: Map<string, string>): string | null {
  const bytes = p.get('size') === undefined ? undefined : parseStoredSize(p.get('size')!);
  return bytes === undefined ? null : formatSize(bytes);
}

export function rootfsFromConfig(text: string): ValueObject {
  const p = parsePropertyString(text, 'volume');
  return { storage: (p.get('volume') ?? '').split(':')[0]!, size: sizeOf(p) };
}

/** A stored `mpN` value as the `mountpoint` entry; the owner is filled by owners.ts from the host directory. */
export function mountpointFromConfig(slot: string, text: string): ValueObject {
  const p = parsePropertyString(text, 'volume');
  const options = p.get('mountoptions');
  return {
    slot,
    volume: mountVolumeId(p.get('volume') ?? ''),
    path: p.get('mp') ?? null,
    size: sizeOf(p),
    backup: parsePveBool(p.get('backup')) ?? false,
    read_only: parsePveBool(p.get('ro')) ?? false,
    mount_options: options === undefined ? [] : [...new Set(options.split(';').filter(Boolean))].sort(),
    acl: parsePveBool(p.get('acl')),
    quota: parsePveBool(p.get('quota')) ?? false,
    replicate: parsePveBool(p.get('replicate')) ?? true,
    shared: parsePveBool(p.get('shared')) ?? false,
    owner_uid: null,
    owner_gid: null,
    host_owner: null,
  };
}

/** The options phoenix models, as `mpN` keys; undefined leaves Proxmox's default (not written). */
function modelledOptions(mp: ValueObject): Record<string, string | undefined> {
  const flag = (key: string, on: boolean | undefined) => (on ? [key, '1'] : [key, undefined]);
  const acl = bool(mp, 'acl');
  const options = strList(mp, 'mount_options');
  return Object.fromEntries([
    ['mp', str(mp, 'path')],
    flag('backup', bool(mp, 'backup')),
    flag('ro', bool(mp, 'read_only')),
    flag('quota', bool(mp, 'quota')),
    flag('shared', bool(mp, 'shared')),
    ['replicate', bool(mp, 'replicate') === false ? '0' : undefined],
    ['acl', acl === undefined ? undefined : acl ? '1' : '0'],
    ['mountoptions', options.length > 0 ? options.join(';') : undefined],
  ]);
}

/** `--mpN` value for a new mount point: a bind mount of a host path, or `STORAGE:GiB` to allocate a volume. */
export function mountpointOption(mp: ValueObject): string {
  const volume = str(mp, 'volume') ?? '';
  const bytes = str(mp, 'size') === undefined ? undefined : parseSize(str(mp, 'size')!);
  const source = volume.startsWith('/') || bytes === undefined ? volume : `${volume}:${toGiB(bytes)}`;
  return formatPropertyString([['', source]], modelledOptions(mp));
}

/**
 * The `--mpN` value for a slot that keeps its volume: the host's value (its volid, `size`, and keys phoenix
 * does not model) with the modelled options as planned.
 */
export function changedMountpointOption(hostValue: string, mp: ValueObject): string {
  const props = parsePropertyString(hostValue, 'volume');
  const volume = props.get('volume');
  props.delete('volume');
  for (const [key, value] of Object.entries(modelledOptions(mp))) {
    if (value === undefined) props.delete(key);
    else props.set(key, value);
  }
  return formatPropertyString([['', volume]], Object.fromEntries(props));
}
