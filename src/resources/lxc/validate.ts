/**
 * Validation of `lxc` config with pve-container's own rules (src/PVE/LXC/Config.pm $confdesc,
 * $netconf_desc, $rootfs_desc/$mp_desc, parse_pct_config for raw lines), before any host is contacted.
 */
import { isUnknown, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import type { AttributeDiagnostic } from '../provider.js';
import { num, obj, objList, str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import {
  BRIDGE_ID, controlCharacter, DISK_SIZE, DNS_NAME, DNS_NAME_LIST, HOST_PATH, IPV4, IPV4_CONFIG, IPV6, IPV6_CONFIG, LXC_IFACE_NAME,
  LXC_MOUNT_PATH, MAC_ADDR, NAMESERVER_LIST, PROPERTY_VALUE, SNAPSHOT_NAME, STORAGE_ID, VOLUME_OR_PATH,
} from '../proxmox/formats.js';
import { SSH_PUBLIC_KEYS } from '../proxmox/ssh-keys.js';
import { checkGuestCommon, GUEST_MULTILINE } from '../proxmox/validate-guest.js';
import { MAX_DEVICES } from './devices.js';
import { DEVICE_MODE, FEATURE_MOUNT_TYPE, LXC_DEVICE_PATH, MOUNT_OPTION } from './formats.js';
import { DEFAULT_RANGE, hostIdOf, idMapConflict } from './idmap.js';
import { rawLineProblem } from './raw-keys.js';

/** pve-container LXC/Config.pm: $MAX_LXC_NETWORKS = 32, $MAX_MOUNT_POINTS = 256. */
const MAX_NETWORKS = 32;
const MAX_MOUNT_POINTS = 256;

export function validateLxc(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  checkGuestCommon(c, attrs);
  c.controlCharacters(attrs, GUEST_MULTILINE);
  checkSource(c, attrs);
  c.string(['hostname'], attrs.hostname, DNS_NAME);
  c.integer(['cores'], attrs.cores, 1, 8192);
  c.integer(['memory'], attrs.memory, 16);
  checkCpuLimit(c, attrs.cpulimit);
  c.integer(['cpuunits'], attrs.cpuunits, 0, 500000);
  c.integer(['swap'], attrs.swap, 0);
  const rootfs = obj(attrs, 'rootfs');
  if (rootfs) {
    c.string(['rootfs', 'storage'], rootfs.storage, STORAGE_ID);
    c.string(['rootfs', 'size'], rootfs.size, DISK_SIZE);
  }
  checkNetworks(c, attrs);
  checkMountpoints(c, attrs);
  c.string(['nameserver'], attrs.nameserver, NAMESERVER_LIST);
  c.string(['searchdomain'], attrs.searchdomain, DNS_NAME_LIST);
  c.string(['ssh_public_keys'], attrs.ssh_public_keys, SSH_PUBLIC_KEYS);
  checkRawLines(c, attrs);
  checkFeatures(c, attrs);
  checkDevices(c, attrs);
  checkSecurity(c, attrs);
  const gpus = attrs.gpus;
  if (Array.isArray(gpus)) gpus.forEach((gpu, i) => c.integer(['gpus', String(i)], gpu, 0));
  return c.diagnostics;
}

function checkSource(c: Checks, attrs: Attrs): void {
  const hasTemplate = attrs.ostemplate !== null && attrs.ostemplate !== undefined;
  const hasClone = attrs.clone !== null && attrs.clone !== undefined;
  if (hasTemplate === hasClone) {
    c.diagnostics.push({
      severity: 'error',
      summary: 'Exactly one of "ostemplate" and "clone" must be set',
      detail: hasTemplate ? 'A container is either created from an OS template or cloned, not both.' : 'Set `ostemplate = "local:vztmpl/..."` or a `clone { source_vmid = ... }` block.',
    });
  }
  // The template is a positional argument of `pct create`: a volume ID or path can never start with "-".
  c.string(['ostemplate'], attrs.ostemplate, VOLUME_OR_PATH);
  const clone = obj(attrs, 'clone');
  if (clone) {
    const source = num(clone, 'source_vmid');
    if (source !== undefined && (!Number.isInteger(source) || source < 100 || source > 999999999)) {
      c.reject(['clone', 'source_vmid'], String(source), 'value does not look like a valid VM ID', 'a whole number from 100 to 999999999');
    }
    c.string(['clone', 'snapshot'], clone.snapshot, SNAPSHOT_NAME);
    c.string(['clone', 'storage'], clone.storage, STORAGE_ID);
  }
}

function checkNetworks(c: Checks, attrs: Attrs): void {
  if (isUnknown(attrs.network)) return;
  const nics = objList(attrs, 'network');
  if (nics.length > MAX_NETWORKS) c.error(['network'], 'Too many network interfaces', `Proxmox supports net0 to net${MAX_NETWORKS - 1} (${MAX_NETWORKS} interfaces).`);
  nics.forEach((nic, i) => {
    const at = (key: string) => ['network', String(i), key];
    if (str(nic, 'name') === undefined || str(nic, 'bridge') === undefined) {
      if (!isUnknown(nic.name) && !isUnknown(nic.bridge)) c.error(['network', String(i)], `network[${i}] needs "name" and "bridge"`, 'Proxmox requires the interface name; phoenix attaches every interface to a bridge.');
    }
    // pve-container $netconf_desc: each value goes into the netN property string, so its format is checked.
    c.string(at('name'), nic.name, LXC_IFACE_NAME);
    c.string(at('bridge'), nic.bridge, BRIDGE_ID);
    c.string(at('ip'), nic.ip, IPV4_CONFIG);
    c.string(at('gw'), nic.gw, IPV4);
    c.string(at('ip6'), nic.ip6, IPV6_CONFIG);
    c.string(at('gw6'), nic.gw6, IPV6);
    c.string(at('hwaddr'), nic.hwaddr, MAC_ADDR);
    c.integer(at('tag'), nic.tag, 1, 4094);
    c.integer(at('mtu'), nic.mtu, 64, 65535);
  });
}

function checkMountpoints(c: Checks, attrs: Attrs): void {
  const seen = new Set<string>();
  objList(attrs, 'mountpoint').forEach((mp, i) => {
    const at = (key: string) => ['mountpoint', String(i), key];
    const slot = str(mp, 'slot');
    if (slot !== undefined) {
      const m = /^mp(\d+)$/.exec(slot);
      if (!m || Number(m[1]) >= MAX_MOUNT_POINTS || String(Number(m[1])) !== m[1]) {
        c.reject(at('slot'), slot, 'property is not defined in schema and the schema does not allow additional properties', `a slot from mp0 to mp${MAX_MOUNT_POINTS - 1}`);
      } else if (seen.has(slot)) {
        c.error(at('slot'), `Duplicate mount point slot "${slot}"`, 'Each mount point needs its own slot.', slot);
      }
      seen.add(slot);
    }
    const volume = str(mp, 'volume');
    if (volume !== undefined) {
      if (volume.startsWith('/')) c.string(at('volume'), volume, HOST_PATH);
      else if (PROPERTY_VALUE.problem(volume) !== undefined) c.string(at('volume'), volume, PROPERTY_VALUE);
      else c.string(at('volume'), volume.split(':')[0], STORAGE_ID);
      if (!volume.startsWith('/') && str(mp, 'size') === undefined && !volume.includes(':') && !isUnknown(mp.size)) {
        c.error(at('volume'), `Mount point ${slot ?? ''} needs a size`, `"${volume}" is a storage ID: set \`size\` for the new volume, or use a host path for a bind mount.`);
      }
    }
    c.string(at('path'), mp.path, LXC_MOUNT_PATH);
    c.string(at('size'), mp.size, DISK_SIZE);
    const options = mp.mount_options;
    if (Array.isArray(options)) options.forEach((o, j) => c.string(['mountpoint', String(i), 'mount_options', String(j)], o, MOUNT_OPTION));
    checkOwner(c, attrs, mp, i);
  });
}

/** Config.pm cpulimit: number, minimum 0, maximum 8192. */
function checkCpuLimit(c: Checks, value: Value | undefined): void {
  if (typeof value !== 'number') return;
  if (value < 0) c.reject(['cpulimit'], String(value), 'value must have a minimum value of 0', 'a number of cores from 0 to 8192');
  else if (value > 8192) c.reject(['cpulimit'], String(value), 'value must have a maximum value of 8192', 'a number of cores from 0 to 8192');
}

function checkFeatures(c: Checks, attrs: Attrs): void {
  const mount = obj(attrs, 'features')?.mount;
  if (Array.isArray(mount)) mount.forEach((fs, i) => c.string(['features', 'mount', String(i)], fs, FEATURE_MOUNT_TYPE));
}

function checkDevices(c: Checks, attrs: Attrs): void {
  const devices = objList(attrs, 'device');
  if (devices.length > MAX_DEVICES) c.error(['device'], 'Too many devices', `Proxmox supports dev0 to dev${MAX_DEVICES - 1} (${MAX_DEVICES} devices).`);
  devices.forEach((device, i) => {
    const at = (key: string) => ['device', String(i), key];
    c.string(at('path'), device.path, LXC_DEVICE_PATH);
    c.string(at('mode'), device.mode, DEVICE_MODE);
    c.integer(at('uid'), device.uid, 0);
    c.integer(at('gid'), device.gid, 0);
  });
}

/** `apparmor_profile` and `id_map` own their raw lines: writing them in `lxc_raw` too would give two owners. */
function checkSecurity(c: Checks, attrs: Attrs): void {
  const raw = Array.isArray(attrs.lxc_raw) ? attrs.lxc_raw.filter((l): l is string => typeof l === 'string') : [];
  const profile = attrs.apparmor_profile;
  if (typeof profile === 'string') {
    if (!/^\S+$/.test(profile.trim())) c.reject(['apparmor_profile'], profile, 'an AppArmor profile name is one word', 'a profile name such as "unconfined"');
    const line = raw.findIndex((l) => /^lxc\.(apparmor\.profile|aa_profile)\s*[:=]/.test(l.trim()));
    if (line >= 0) c.error(['lxc_raw', String(line)], 'AppArmor profile set twice', 'Both `apparmor_profile` and this `lxc_raw` line set lxc.apparmor.profile; keep `apparmor_profile` only.');
  }
  const idMaps = objList(attrs, 'id_map');
  if (idMaps.length === 0) return;
  const line = raw.findIndex((l) => /^lxc\.(idmap|id_map)\s*[:=]/.test(l.trim()));
  if (line >= 0) c.error(['lxc_raw', String(line)], 'Id maps set twice', 'Both `id_map` and this `lxc_raw` line write lxc.idmap; with `id_map` phoenix writes all the ranges, so drop the raw line.');
  // A privileged container's files are stored with the host's ids: an id map would show them as nobody inside.
  if (attrs.unprivileged !== true && !isUnknown(attrs.unprivileged)) {
    c.error(['id_map'], 'id_map needs unprivileged = true', 'Id maps shift the ids of an unprivileged container; a privileged container (unprivileged unset or false, as Proxmox creates by default) uses the host\'s ids as they are.');
  }
  idMaps.forEach((block, i) => checkIdMapBlock(c, block, i));
  if (c.diagnostics.some((d) => d.attribute?.[0] === 'id_map')) return;
  const conflict = idMapConflict(attrs.id_map);
  if (conflict) c.error(['id_map'], 'Overlapping id maps', `pve-container (LXC.pm validate_id_maps) would refuse the ranges phoenix writes: ${conflict}.`);
}

function checkIdMapBlock(c: Checks, block: ValueObject, i: number): void {
  const at = (key: string) => ['id_map', String(i), key];
  const count = typeof block.count === 'number' ? block.count : 1;
  c.integer(at('count'), block.count, 1, DEFAULT_RANGE);
  let pairs = 0;
  for (const [ct, host] of [['container_uid', 'host_uid'], ['container_gid', 'host_gid']] as const) {
    if (isUnknown(block[ct]) || isUnknown(block[host])) return;
    const hasCt = typeof block[ct] === 'number';
    const hasHost = typeof block[host] === 'number';
    if (hasCt !== hasHost) c.error(at(hasCt ? ct : host), `id_map[${i}] needs both ${ct} and ${host}`, `A mapped id needs its id in the container and its id on the host.`);
    if (!hasCt || !hasHost) continue;
    pairs++;
    c.integer(at(ct), block[ct], 0, DEFAULT_RANGE - count);
    c.integer(at(host), block[host], 0, 4294967295 - count);
  }
  if (pairs === 0 && !c.diagnostics.some((d) => d.attribute?.[0] === 'id_map' && d.attribute[1] === String(i))) {
    c.error(['id_map', String(i)], `id_map[${i}] maps nothing`, 'Set container_uid and host_uid, container_gid and host_gid, or both pairs.');
  }
}

/** The owner of a bind mount's host directory needs a host path and a known uid shift. */
function checkOwner(c: Checks, attrs: Attrs, mp: ValueObject, i: number): void {
  const at = (key: string) => ['mountpoint', String(i), key];
  const owned = ['owner_uid', 'owner_gid'].filter((k) => typeof mp[k] === 'number');
  if (owned.length === 0) return;
  owned.forEach((k) => c.integer(at(k), mp[k], 0));
  if (typeof mp.volume === 'string' && !mp.volume.startsWith('/')) {
    c.error(at(owned[0]!), `${owned[0]} needs a bind mount`, `Mount point ${String(mp.slot)} is a volume on storage "${mp.volume}"; phoenix sets the owner of a bind-mounted host directory only.`);
    return;
  }
  if (isUnknown(attrs.unprivileged)) return;
  if (typeof attrs.unprivileged !== 'boolean') {
    c.error(at(owned[0]!), `${owned[0]} needs unprivileged to be set`, 'The host owner depends on the uid shift: set `unprivileged = true` (ids shifted to 100000 + id, or as `id_map` says) or false.');
    return;
  }
  if (isUnknown(attrs.id_map) || c.diagnostics.some((d) => d.attribute?.[0] === 'id_map')) return;
  for (const [key, kind] of [['owner_uid', 'u'], ['owner_gid', 'g']] as const) {
    const id = mp[key];
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && hostIdOf(id, kind, attrs.unprivileged, attrs.id_map) === undefined) {
      c.error(at(key), `${key} ${id} is not mapped`, `The container's ids 0 to ${DEFAULT_RANGE - 1} are mapped to the host; ${id} has no host id to own the directory.`, String(id));
    }
  }
}

function checkRawLines(c: Checks, attrs: Attrs): void {
  const lines = attrs.lxc_raw;
  if (!Array.isArray(lines)) return;
  lines.forEach((line, i) => {
    // A line break or other control character is reported by controlCharacters already.
    if (typeof line !== 'string' || controlCharacter(line, false) !== undefined) return;
    const found = rawLineProblem(line);
    if (!found) return;
    const detail = `pve-container would not keep "${line}" as a raw line: ${found.problem}. ${found.hint}`;
    c.diagnostics.push({ severity: found.severity, summary: `${found.severity === 'error' ? 'Invalid' : 'Deprecated'} lxc_raw line`, detail, attribute: ['lxc_raw', String(i)], value: line });
  });
}
