/**
 * Conversions between `vm` attributes and `qm` options / stored config keys, and normalisation of
 * config values into the form qemu-server stores.
 */
import { isObject, isUnknown, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import { bool, num, obj, objList, parseNumber, parsePveBool, pveBool, str, strList } from '../proxmox/attrs.js';
import { decodeDescription, normalizeDescription, normalizeTags, parseTags, type GuestConfig } from '../proxmox/guest-config.js';
import { indexedKeys, normalizeMac, normalizeStartup, startupFromConfig, startupOption } from '../proxmox/guest-schema.js';
import { formatPropertyString, parsePropertyString, unmodelledItems } from '../proxmox/property-string.js';
import type { OptionMap } from '../proxmox/set-arguments.js';
import { withOwnerMarker } from '../proxmox/ownership.js';
import { formatSize, normalizeSize, parseStoredSize, VM_VOLUME_UNIT } from '../proxmox/sizes.js';
import { CLOUD_INIT_FIELDS, DISK_FIELDS, VM_DISK_SLOT, VM_NETWORK_FIELDS, VM_NIC_MODELS } from './schema.js';
import { diskOptionDefaults, diskOptionsFromConfig, hardwareFromConfig, hardwareOptions, normalizeHardware } from './hardware-options.js';


/** qemu-server PVE/QemuServer/Network.pm $nic_model_list: a NIC is stored as `MODEL=MAC,...`. */
export const NIC_MODELS: ReadonlySet<string> = new Set(VM_NIC_MODELS);
/** NIC keys the `network` attribute models; the rest (rate, trunks, link_down, queues) are kept as the host has them. */
const isModelledNicKey = (key: string) => NIC_MODELS.has(key) || ['model', 'macaddr', 'bridge', 'firewall', 'mtu', 'tag'].includes(key);

function fullShape(o: ValueObject, fields: readonly string[]): ValueObject {
  return Object.fromEntries(fields.map((f) => [f, o[f] ?? null]));
}

function known(v: Value | undefined, f: (x: Value | undefined) => Value): Value {
  return isUnknown(v) ? v : f(v);
}

/** sshkeys are compared without trailing newlines (qemu-server keeps whatever the file had). */
function normalizeKeys(keys: Value | undefined): Value {
  return typeof keys === 'string' ? keys.replace(/\n+$/, '') : (keys ?? null);
}

export function normalizeVm(planned: Attrs): Attrs {
  const out: Attrs = { ...planned };
  out.tags = known(planned.tags, (t) => (Array.isArray(t) ? normalizeTags(t.filter((x): x is string => typeof x === 'string')) : (t ?? null)));
  out.description = known(planned.description, (d) => (typeof d === 'string' ? normalizeDescription(d) : (d ?? null)));
  out.startup = known(planned.startup, normalizeStartup);
  out.network = known(planned.network, (v) =>
    Array.isArray(v)
      ? v.map((nic) => (isObject(nic) ? { ...fullShape(nic, VM_NETWORK_FIELDS), model: nic.model ?? 'virtio', hwaddr: normalizeMac(nic.hwaddr), firewall: nic.firewall ?? false } : nic))
      : (v ?? null),
  );
  out.disks = known(planned.disks, (v) =>
    Array.isArray(v)
      ? v
          .filter(isObject)
          .map((d): ValueObject => ({
            ...fullShape(d, DISK_FIELDS),
            ...diskOptionDefaults(d),
            size: typeof d.size === 'string' ? normalizeSize(d.size, VM_VOLUME_UNIT) : (d.size ?? null),
          }))
          .sort((a, b) => String(a.slot).localeCompare(String(b.slot), 'en', { numeric: true }))
      : (v ?? null),
  );
  out.cloud_init = known(planned.cloud_init, (v) =>
    isObject(v) ? { ...fullShape(v, CLOUD_INIT_FIELDS), ipconfig: v.ipconfig ?? [], ssh_public_keys: normalizeKeys(v.ssh_public_keys) } : (v ?? null),
  );
  Object.assign(out, normalizeHardware(planned));
  out.template = planned.template ?? false;
  out.state = planned.template === true ? 'stopped' : (planned.state ?? 'running');
  return out;
}

// ---- host config → attributes ----

function nicFromConfig(text: string): ValueObject {
  const p = parsePropertyString(text);
  const model = [...p.keys()].find((k) => NIC_MODELS.has(k)) ?? 'virtio';
  const mac = p.get(model);
  return {
    model,
    bridge: p.get('bridge') ?? null,
    hwaddr: mac && mac !== '1' ? normalizeMac(mac) : null,
    tag: parseNumber(p.get('tag')),
    firewall: parsePveBool(p.get('firewall')) ?? false,
    mtu: parseNumber(p.get('mtu')),
  };
}

function isDataDisk(value: string): boolean {
  const p = parsePropertyString(value, 'volume');
  const volume = p.get('volume') ?? '';
  return p.get('media') !== 'cdrom' && !volume.includes('cloudinit') && volume !== 'none';
}

export function disksFromConfig(options: Record<string, string>): ValueObject[] {
  return Object.keys(options)
    .filter((k) => VM_DISK_SLOT.test(k) && isDataDisk(options[k]!))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((slot) => {
      const p = parsePropertyString(options[slot]!, 'volume');
      const bytes = p.get('size') === undefined ? undefined : parseStoredSize(p.get('size')!);
      return {
        slot,
        storage: (p.get('volume') ?? '').split(':')[0]!,
        size: bytes === undefined ? null : formatSize(bytes),
        import_from: null,
        ...diskOptionsFromConfig(p),
      };
    });
}

/** The cloud-init drive's slot, if the VM has one. */
export function cloudInitDrive(options: Record<string, string>): string | undefined {
  return Object.keys(options).find((k) => VM_DISK_SLOT.test(k) && (options[k] ?? '').includes('cloudinit'));
}

function cloudInitFromConfig(o: Record<string, string>): ValueObject | null {
  const ipconfig = indexedKeys(o, 'ipconfig').map((i) => o[`ipconfig${i}`]!);
  const hasAny = o.ciuser !== undefined || o.sshkeys !== undefined || ipconfig.length > 0 || cloudInitDrive(o) !== undefined;
  if (!hasAny) return null;
  return {
    user: o.ciuser ?? null,
    password: null,
    ssh_public_keys: o.sshkeys === undefined ? null : normalizeKeys(decodeDescription(o.sshkeys)),
    ipconfig,
    nameserver: o.nameserver ?? null,
    searchdomain: o.searchdomain ?? null,
  };
}

export function vmAttrsFromConfig(config: GuestConfig): Attrs {
  const o = config.options;
  const agent = o.agent === undefined ? undefined : parsePropertyString(o.agent, 'enabled').get('enabled');
  return {
    name: o.name ?? null,
    cores: parseNumber(o.cores),
    sockets: parseNumber(o.sockets),
    memory: parseNumber(o.memory),
    ...hardwareFromConfig(o),
    machine: o.machine ?? null,
    scsihw: o.scsihw ?? null,
    disks: disksFromConfig(o),
    network: indexedKeys(o, 'net').map((i) => nicFromConfig(o[`net${i}`]!)),
    cloud_init: cloudInitFromConfig(o),
    agent: parsePveBool(agent) ?? false,
    onboot: parsePveBool(o.onboot) ?? false,
    startup: startupFromConfig(o.startup),
    hostpci: indexedKeys(o, 'hostpci').map((i) => o[`hostpci${i}`]!),
    tags: parseTags(o.tags),
    description: config.description,
  };
}

// ---- attributes → qm options ----

export function nicOption(nic: ValueObject, hostValue?: string): string {
  // qemu-server's NIC format: the model is the key and the MAC its value (`virtio=BC:24:11:..`).
  const model = str(nic, 'model') ?? 'virtio';
  const mac = str(nic, 'hwaddr');
  return formatPropertyString([['', mac ? `${model}=${mac}` : model]], {
    ...unmodelledItems(hostValue, isModelledNicKey),
    bridge: str(nic, 'bridge'),
    firewall: bool(nic, 'firewall') ? '1' : undefined,
    mtu: num(nic, 'mtu')?.toString(),
    tag: num(nic, 'tag')?.toString(),
  });
}

/**
 * Options `qm set` can change (cloud-init password and ssh keys are sent separately: see apply.ts).
 * `host` is the config the host has now: property strings keep the keys phoenix does not model.
 */
export function settableOptions(attrs: Attrs, host: Record<string, string> = {}): OptionMap {
  const ci = obj(attrs, 'cloud_init');
  const opts: OptionMap = {
    name: str(attrs, 'name'),
    cores: num(attrs, 'cores')?.toString(),
    sockets: num(attrs, 'sockets')?.toString(),
    memory: num(attrs, 'memory')?.toString(),
    machine: str(attrs, 'machine'),
    scsihw: str(attrs, 'scsihw'),
    agent: bool(attrs, 'agent') === undefined ? undefined : pveBool(bool(attrs, 'agent')!),
    onboot: bool(attrs, 'onboot') === undefined ? undefined : pveBool(bool(attrs, 'onboot')!),
    startup: obj(attrs, 'startup') ? startupOption(obj(attrs, 'startup')!) : undefined,
    tags: strList(attrs, 'tags').length > 0 ? normalizeTags(strList(attrs, 'tags')).join(';') : undefined,
    description: withOwnerMarker(str(attrs, 'description'), attrs, 'qemu', num(attrs, 'vmid')),
    ciuser: ci ? str(ci, 'user') : undefined,
    nameserver: ci ? str(ci, 'nameserver') : undefined,
    searchdomain: ci ? str(ci, 'searchdomain') : undefined,
  };
  objList(attrs, 'network').forEach((nic, i) => (opts[`net${i}`] = nicOption(nic, host[`net${i}`])));
  strList(attrs, 'hostpci').forEach((dev, i) => (opts[`hostpci${i}`] = dev));
  if (ci) strList(ci, 'ipconfig').forEach((ip, i) => (opts[`ipconfig${i}`] = ip));
  return { ...opts, ...hardwareOptions(attrs, host) };
}
