/**
 * Conversions between `lxc` attributes and `pct` options / stored config keys, and normalisation of
 * config values into the form Proxmox stores, so config and host compare equal.
 */
import { isObject, isUnknown, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import { bool, num, obj, objList, parseNumber, parsePveBool, pveBool, str, strList } from '../proxmox/attrs.js';
import { normalizeDescription, normalizeTags, parseTags, type GuestConfig } from '../proxmox/guest-config.js';
import {
  indexedKeys,
  normalizeMac,
  normalizeStartup,
  startupFromConfig,
  startupOption,
} from '../proxmox/guest-schema.js';
import { formatPropertyString, parsePropertyString, unmodelledItems } from '../proxmox/property-string.js';
import { CONTAINER_VOLUME_UNIT, formatSize, normalizeSize, parseStoredSize, toGiB, parseSize } from '../proxmox/sizes.js';
import type { OptionMap } from '../proxmox/set-arguments.js';
import { withOwnerMarker } from '../proxmox/ownership.js';
import { MOUNTPOINT_FIELDS, NETWORK_FIELDS } from './schema.js';


const FEATURE_FLAGS = ['nesting', 'keyctl', 'fuse'] as const;

function fullShape(o: ValueObject, fields: readonly string[]): ValueObject {
  return Object.fromEntries(fields.map((f) => [f, o[f] ?? null]));
}

// ---- normalisation of config values ----

function normalizeNetwork(v: Value | undefined): Value {
  if (!Array.isArray(v)) return v ?? null;
  return v.map((nic) => {
    if (!isObject(nic)) return nic;
    const o = fullShape(nic, NETWORK_FIELDS);
    return { ...o, hwaddr: normalizeMac(o.hwaddr), firewall: o.firewall ?? false };
  });
}

/** A mount point's `volume`: a host path stays, `storage:subvol-...` and `storage:8` become the storage ID. */
function mountVolumeId(volume: string): string {
  return volume.startsWith('/') ? volume : volume.split(':')[0]!;
}

function normalizeMountpoints(v: Value | undefined): Value {
  if (!Array.isArray(v)) return v ?? null;
  const list = v.filter(isObject).map((mp): ValueObject => {
    const o = fullShape(mp, MOUNTPOINT_FIELDS);
    return {
      ...o,
      volume: typeof o.volume === 'string' ? mountVolumeId(o.volume) : o.volume,
      size: typeof o.size === 'string' ? normalizeSize(o.size, CONTAINER_VOLUME_UNIT) : o.size,
      backup: o.backup ?? false,
      read_only: o.read_only ?? false,
    };
  });
  return list.sort((a, b) => String(a.slot).localeCompare(String(b.slot)));
}

function normalizeFeatures(v: Value | undefined): Value {
  if (!isObject(v)) return v ?? null;
  return Object.fromEntries(FEATURE_FLAGS.map((f) => [f, v[f] ?? false]));
}

function normalizeRootfs(v: Value | undefined): Value {
  if (!isObject(v)) return v ?? null;
  return { storage: v.storage ?? null, size: typeof v.size === 'string' ? normalizeSize(v.size, CONTAINER_VOLUME_UNIT) : (v.size ?? null) };
}

/** `lxc.apparmor.profile = unconfined` (lxc syntax) and `lxc.apparmor.profile: unconfined` (PVE syntax) → PVE syntax. */
export function normalizeRawLine(line: string): string {
  const m = /^\s*(lxc\.[^\s:=]+)\s*[:=]\s*(.*?)\s*$/.exec(line);
  return m ? `${m[1]}: ${m[2]}` : line.trim();
}

function mapKnown(v: Value | undefined, f: (x: Value | undefined) => Value): Value {
  return isUnknown(v) ? v : f(v);
}

/**
 * `nameserver` and `searchdomain` are lists: pve-container stores them space-separated whatever the
 * separator given (src/PVE/LXC.pm verify_nameserver_list / verify_searchdomain_list, with
 * PVE::Tools::split_list splitting on commas, semicolons and white space).
 */
export function normalizeDnsList(v: Value | undefined): Value {
  return typeof v === 'string' ? v.replace(/[,;]/g, ' ').trim().split(/\s+/).filter(Boolean).join(' ') : (v ?? null);
}

export function normalizeLxc(planned: Attrs): Attrs {
  const out: Attrs = { ...planned };
  out.nameserver = mapKnown(planned.nameserver, normalizeDnsList);
  out.searchdomain = mapKnown(planned.searchdomain, normalizeDnsList);
  out.tags = mapKnown(planned.tags, (t) => (Array.isArray(t) ? normalizeTags(t.filter((x): x is string => typeof x === 'string')) : (t ?? null)));
  out.description = mapKnown(planned.description, (d) => (typeof d === 'string' ? normalizeDescription(d) : (d ?? null)));
  out.rootfs = mapKnown(planned.rootfs, normalizeRootfs);
  out.network = mapKnown(planned.network, normalizeNetwork);
  out.mountpoint = mapKnown(planned.mountpoint, normalizeMountpoints);
  out.features = mapKnown(planned.features, normalizeFeatures);
  out.startup = mapKnown(planned.startup, normalizeStartup);
  out.lxc_raw = mapKnown(planned.lxc_raw, (l) => (Array.isArray(l) ? l.map((x) => (typeof x === 'string' ? normalizeRawLine(x) : x)) : []));
  out.gpus = mapKnown(planned.gpus, (g) => (Array.isArray(g) ? [...new Set(g)].sort((a, b) => Number(a) - Number(b)) : []));
  out.template = planned.template ?? false;
  out.state = planned.template === true ? 'stopped' : (planned.state ?? 'running');
  return out;
}

// ---- host config → attributes ----

function networkFromConfig(text: string): ValueObject {
  const p = parsePropertyString(text, 'name');
  return {
    name: p.get('name') ?? null,
    bridge: p.get('bridge') ?? null,
    ip: p.get('ip') ?? null,
    gw: p.get('gw') ?? null,
    ip6: p.get('ip6') ?? null,
    gw6: p.get('gw6') ?? null,
    hwaddr: normalizeMac(p.get('hwaddr')),
    tag: parseNumber(p.get('tag')),
    firewall: parsePveBool(p.get('firewall')) ?? false,
    mtu: parseNumber(p.get('mtu')),
  };
}

function sizeOf(p: Map<string, string>): string | null {
  const bytes = p.get('size') === undefined ? undefined : parseStoredSize(p.get('size')!);
  return bytes === undefined ? null : formatSize(bytes);
}

function mountpointFromConfig(slot: string, text: string): ValueObject {
  const p = parsePropertyString(text, 'volume');
  return {
    slot,
    volume: mountVolumeId(p.get('volume') ?? ''),
    path: p.get('mp') ?? null,
    size: sizeOf(p),
    backup: parsePveBool(p.get('backup')) ?? false,
    read_only: parsePveBool(p.get('ro')) ?? false,
  };
}

/** Attributes the host config determines (everything but create-only, engine-only and raw-line attributes). */
export function lxcAttrsFromConfig(config: GuestConfig): Attrs {
  const o = config.options;
  const rootfs = o.rootfs === undefined ? null : parsePropertyString(o.rootfs, 'volume');
  const features = parsePropertyString(o.features ?? '');
  return {
    hostname: o.hostname ?? null,
    cores: parseNumber(o.cores),
    memory: parseNumber(o.memory),
    swap: parseNumber(o.swap),
    rootfs: rootfs ? { storage: (rootfs.get('volume') ?? '').split(':')[0]!, size: sizeOf(rootfs) } : null,
    network: indexedKeys(o, 'net').map((i) => networkFromConfig(o[`net${i}`]!)),
    unprivileged: parsePveBool(o.unprivileged) ?? false,
    features: Object.fromEntries(FEATURE_FLAGS.map((f) => [f, parsePveBool(features.get(f)) ?? false])),
    onboot: parsePveBool(o.onboot) ?? false,
    startup: startupFromConfig(o.startup),
    nameserver: o.nameserver ?? null,
    searchdomain: o.searchdomain ?? null,
    tags: parseTags(o.tags),
    description: config.description,
    mountpoint: indexedKeys(o, 'mp').map((i) => mountpointFromConfig(`mp${i}`, o[`mp${i}`]!)),
  };
}

// ---- attributes → pct options ----

/** The `netN` keys the `network` attribute models; others on the host (rate, trunks, link_down, type) are kept. */
const MODELLED_NETWORK_KEYS: ReadonlySet<string> = new Set(['name', 'bridge', 'firewall', 'gw', 'gw6', 'hwaddr', 'ip', 'ip6', 'mtu', 'tag']);

export function networkOption(nic: ValueObject, hostValue?: string): string {
  const flag = (b: boolean | undefined) => (b === undefined ? undefined : pveBool(b));
  return formatPropertyString([['name', str(nic, 'name')]], {
    ...unmodelledItems(hostValue, (key) => MODELLED_NETWORK_KEYS.has(key), 'name'),
    bridge: str(nic, 'bridge'),
    firewall: bool(nic, 'firewall') ? flag(true) : undefined,
    gw: str(nic, 'gw'),
    gw6: str(nic, 'gw6'),
    hwaddr: str(nic, 'hwaddr'),
    ip: str(nic, 'ip'),
    ip6: str(nic, 'ip6'),
    mtu: num(nic, 'mtu')?.toString(),
    tag: num(nic, 'tag')?.toString(),
  });
}

/** `--mpN` value for a new mount point: a bind mount of a host path, or `STORAGE:GiB` to allocate a volume. */
export function mountpointOption(mp: ValueObject): string {
  const volume = str(mp, 'volume') ?? '';
  const bytes = str(mp, 'size') === undefined ? undefined : parseSize(str(mp, 'size')!);
  const source = volume.startsWith('/') || bytes === undefined ? volume : `${volume}:${toGiB(bytes)}`;
  return formatPropertyString([['', source]], {
    mp: str(mp, 'path'),
    backup: bool(mp, 'backup') ? '1' : undefined,
    ro: bool(mp, 'read_only') ? '1' : undefined,
  });
}

/** `--rootfs STORAGE:GiB` for create. */
export function rootfsCreateOption(rootfs: ValueObject): string {
  const bytes = str(rootfs, 'size') === undefined ? undefined : parseSize(str(rootfs, 'size')!);
  return `${str(rootfs, 'storage') ?? 'local'}:${bytes === undefined ? 4 : toGiB(bytes)}`;
}

/** Features phoenix does not model (mount, mknod, force_rw_sys) are kept as the host has them. */
function featuresOption(features: ValueObject | undefined, hostValue: string | undefined): string | undefined {
  const kept = unmodelledItems(hostValue, (key) => (FEATURE_FLAGS as readonly string[]).includes(key));
  const on = features ? FEATURE_FLAGS.filter((f) => bool(features, f)) : [];
  const items = { ...kept, ...Object.fromEntries(on.map((f) => [f, '1'])) };
  const text = formatPropertyString([], items);
  return text === '' ? undefined : text;
}

/**
 * The options of the attributes `pct set` can change, as they would be sent. `host` is the config the
 * host has now: property strings keep the keys phoenix does not model from it.
 */
export function settableOptions(attrs: Attrs, host: Record<string, string> = {}): OptionMap {
  const opts: OptionMap = {
    hostname: str(attrs, 'hostname'),
    cores: num(attrs, 'cores')?.toString(),
    memory: num(attrs, 'memory')?.toString(),
    swap: num(attrs, 'swap')?.toString(),
    features: featuresOption(obj(attrs, 'features'), host.features),
    onboot: bool(attrs, 'onboot') === undefined ? undefined : pveBool(bool(attrs, 'onboot')!),
    startup: obj(attrs, 'startup') ? startupOption(obj(attrs, 'startup')!) : undefined,
    nameserver: str(attrs, 'nameserver'),
    searchdomain: str(attrs, 'searchdomain'),
    tags: strList(attrs, 'tags').length > 0 ? normalizeTags(strList(attrs, 'tags')).join(';') : undefined,
    description: withOwnerMarker(str(attrs, 'description'), attrs, 'lxc', num(attrs, 'vmid')),
  };
  objList(attrs, 'network').forEach((nic, i) => (opts[`net${i}`] = networkOption(nic, host[`net${i}`])));
  return opts;
}

/** Options Proxmox refuses to delete (`unable to delete required option`). */
export const LXC_REQUIRED_OPTIONS: ReadonlySet<string> = new Set(['memory', 'rootfs', 'ostype']);
