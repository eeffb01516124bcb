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
import { devicesFromConfig, deviceOptions, normalizeDevices } from './devices.js';
import { canonicalIdMaps, declaredRanges } from './idmap.js';
import { mountpointFromConfig, normalizeMountpoints, rootfsFromConfig } from './mountpoint-options.js';
import { NETWORK_FIELDS } from './schema.js';


/** Config.pm $features_desc booleans phoenix models; `mount` is a list, `force_rw_sys` is kept as the host has it. */
const FEATURE_FLAGS = ['nesting', 'keyctl', 'fuse', 'mknod'] as const;
const MODELLED_FEATURES: ReadonlySet<string> = new Set([...FEATURE_FLAGS, 'mount']);

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

function normalizeFeatures(v: Value | undefined): Value {
  if (!isObject(v)) return v ?? null;
  const mount = Array.isArray(v.mount) ? [...new Set(v.mount.filter((t): t is string => typeof t === 'string'))].sort() : (v.mount ?? []);
  return { ...Object.fromEntries(FEATURE_FLAGS.map((f) => [f, v[f] ?? false])), mount };
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
  out.id_map = mapKnown(planned.id_map, (m) => canonicalIdMaps(declaredRanges(m)));
  out.mountpoint = mapKnown(planned.mountpoint, (m) => normalizeMountpoints(m, planned.unprivileged, out.id_map));
  out.device = mapKnown(planned.device, normalizeDevices);
  out.apparmor_profile = mapKnown(planned.apparmor_profile, (p) => (typeof p === 'string' ? p.trim() : (p ?? null)));
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

/** Attributes the host config determines (everything but create-only, engine-only and raw-line attributes). */
export function lxcAttrsFromConfig(config: GuestConfig): Attrs {
  const o = config.options;
  const features = parsePropertyString(o.features ?? '');
  const mount = features.get('mount');
  return {
    hostname: o.hostname ?? null,
    cores: parseNumber(o.cores),
    memory: parseNumber(o.memory),
    swap: parseNumber(o.swap),
    cpulimit: parseNumber(o.cpulimit),
    cpuunits: parseNumber(o.cpuunits),
    rootfs: o.rootfs === undefined ? null : rootfsFromConfig(o.rootfs),
    network: indexedKeys(o, 'net').map((i) => networkFromConfig(o[`net${i}`]!)),
    unprivileged: parsePveBool(o.unprivileged) ?? false,
    features: {
      ...Object.fromEntries(FEATURE_FLAGS.map((f) => [f, parsePveBool(features.get(f)) ?? false])),
      mount: mount === undefined ? [] : [...new Set(mount.split(';').map((t) => t.trim()).filter(Boolean))].sort(),
    },
    protection: parsePveBool(o.protection) ?? false,
    device: devicesFromConfig(o),
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

/** `--rootfs STORAGE:GiB` for create. */
export function rootfsCreateOption(rootfs: ValueObject): string {
  const bytes = str(rootfs, 'size') === undefined ? undefined : parseSize(str(rootfs, 'size')!);
  return `${str(rootfs, 'storage') ?? 'local'}:${bytes === undefined ? 4 : toGiB(bytes)}`;
}

/** The feature phoenix does not model (force_rw_sys) is kept as the host has it. */
function featuresOption(features: ValueObject | undefined, hostValue: string | undefined): string | undefined {
  const kept = unmodelledItems(hostValue, (key) => MODELLED_FEATURES.has(key));
  const on = features ? FEATURE_FLAGS.filter((f) => bool(features, f)) : [];
  const mount = features ? strList(features, 'mount') : [];
  const items = { ...kept, ...Object.fromEntries(on.map((f) => [f, '1'])), mount: mount.length > 0 ? mount.join(';') : undefined };
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
    cpulimit: num(attrs, 'cpulimit')?.toString(),
    cpuunits: num(attrs, 'cpuunits')?.toString(),
    protection: bool(attrs, 'protection') === undefined ? undefined : pveBool(bool(attrs, 'protection')!),
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
  Object.assign(opts, deviceOptions(objList(attrs, 'device')));
  return opts;
}

/** Options Proxmox refuses to delete (`unable to delete required option`). */
export const LXC_REQUIRED_OPTIONS: ReadonlySet<string> = new Set(['memory', 'rootfs', 'ostype']);
