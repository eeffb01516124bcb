/**
 * Conversions between the hardware attributes of `vm` (hardware-schema.ts) and qemu-server config keys,
 * in the property-string forms qemu-server prints (QemuServer/Drive.pm, QemuServer.pm $vga_fmt,
 * QemuServer/USB.pm $usb_fmt, QemuServer/CPUConfig.pm $cpu_fmt).
 */
import { isObject, isUnknown, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import { bool, num, obj, objList, parseNumber, parsePveBool, str, strList, strMap } from '../proxmox/attrs.js';
import { formatPropertyString, parsePropertyString, unmodelledItems } from '../proxmox/property-string.js';
import type { OptionMap } from '../proxmox/set-arguments.js';
import { VM_DISK_SLOT } from './schema.js';
import { attributeForKey, canonicalRawValue } from './raw-options.js';

/** Keys of a disk's property string the `disks` attribute models (the rest is sent back as the host has it). */
const DISK_OPTION_KEYS = ['discard', 'ssd', 'iothread', 'cache', 'aio', 'backup', 'replicate'] as const;
/** Disk options vmconfig_update_disk cannot change on a running VM (`die "skip\n"`): pending. */
export const DISK_OPTIONS_ON_RESTART = ['discard', 'ssd', 'iothread', 'cache', 'aio'] as const;

/** qemu-server's defaults for unset disk options (QemuServer/Drive.pm: backup and replicate on, the rest off). */
export function diskOptionDefaults(disk: ValueObject): ValueObject {
  return {
    discard: disk.discard ?? false,
    ssd: disk.ssd ?? false,
    iothread: disk.iothread ?? false,
    cache: disk.cache ?? null,
    aio: disk.aio ?? null,
    backup: disk.backup ?? true,
    replicate: disk.replicate ?? true,
  };
}

export function diskOptionsFromConfig(p: Map<string, string>): ValueObject {
  return {
    discard: p.get('discard') === 'on',
    ssd: parsePveBool(p.get('ssd')) ?? false,
    iothread: parsePveBool(p.get('iothread')) ?? false,
    cache: p.get('cache') ?? null,
    aio: p.get('aio') ?? null,
    backup: parsePveBool(p.get('backup')) ?? true,
    replicate: parsePveBool(p.get('replicate')) ?? true,
  };
}

/** The modelled disk options as property-string items; defaults are left out, as qemu-server prints them. */
export function diskOptionItems(disk: ValueObject): Record<string, string | undefined> {
  return {
    discard: bool(disk, 'discard') ? 'on' : undefined,
    ssd: bool(disk, 'ssd') ? '1' : undefined,
    iothread: bool(disk, 'iothread') ? '1' : undefined,
    cache: str(disk, 'cache'),
    aio: str(disk, 'aio'),
    backup: bool(disk, 'backup') === false ? '0' : undefined,
    replicate: bool(disk, 'replicate') === false ? '0' : undefined,
  };
}

/** An existing disk's option with its volume and the keys phoenix does not model kept as the host has them. */
function existingDiskOption(disk: ValueObject, hostValue: string): string {
  const volume = parsePropertyString(hostValue, 'volume').get('volume');
  const kept = unmodelledItems(hostValue, (k) => k === 'volume' || (DISK_OPTION_KEYS as readonly string[]).includes(k), 'volume');
  return formatPropertyString([['', volume]], { ...kept, ...diskOptionItems(disk) });
}

const isCdrom = (value: string) => /(^|,)media=cdrom(,|$)/.test(value) && !value.includes('cloudinit');

function vgaFromConfig(value: string | undefined): ValueObject | null {
  if (value === undefined) return null;
  const p = parsePropertyString(value, 'type');
  return { type: p.get('type') ?? null, memory: parseNumber(p.get('memory')) };
}

function usbFromConfig(value: string): ValueObject {
  const p = parsePropertyString(value, 'host');
  return { host: p.get('host') ?? null, mapping: p.get('mapping') ?? null, usb3: parsePveBool(p.get('usb3')) ?? false };
}

function indexed(o: Record<string, string>, prefix: string): string[] {
  return Object.keys(o)
    .filter((k) => new RegExp(`^${prefix}\\d+$`).test(k))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((k) => o[k]!);
}

/** Config keys that are neither attributes nor written by Proxmox itself: what `import` puts in `options`. */
const GENERATED_KEYS = /^(meta|smbios1|vmgenid|digest|lock|parent|snaptime|vmstate|runningmachine|runningcpu|unused\d+|bootdisk|template)$/;

/**
 * `options` as the host has them: the keys `wanted` names (the prior's or the configured ones), or on
 * import (`wanted` undefined) every key no attribute models.
 */
export function rawOptionsFromConfig(o: Record<string, string>, wanted: string[] | undefined): Record<string, string> {
  const keys = wanted ?? Object.keys(o).filter((k) => attributeForKey(k) === undefined && !GENERATED_KEYS.test(k));
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]!]));
}

export function hardwareFromConfig(o: Record<string, string>): Attrs {
  const efi = o.efidisk0 === undefined ? undefined : parsePropertyString(o.efidisk0, 'volume');
  const tpm = o.tpmstate0 === undefined ? undefined : parsePropertyString(o.tpmstate0, 'volume');
  const cpu = o.cpu === undefined ? undefined : parsePropertyString(o.cpu, 'cputype');
  const order = o.boot === undefined ? undefined : parsePropertyString(o.boot, 'legacy').get('order');
  return {
    bios: o.bios ?? 'seabios',
    efidisk: efi
      ? { storage: (efi.get('volume') ?? '').split(':')[0]!, efitype: efi.get('efitype') ?? '2m', pre_enrolled_keys: parsePveBool(efi.get('pre-enrolled-keys')) ?? false }
      : null,
    tpmstate: tpm ? { storage: (tpm.get('volume') ?? '').split(':')[0]!, version: tpm.get('version') ?? 'v1.2' } : null,
    boot: order === undefined ? [] : order.split(';').filter(Boolean),
    cdrom: Object.keys(o)
      .filter((k) => VM_DISK_SLOT.test(k) && isCdrom(o[k]!))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((slot) => ({ slot, file: parsePropertyString(o[slot]!, 'volume').get('volume') ?? 'none' })),
    serial: indexed(o, 'serial'),
    vga: vgaFromConfig(o.vga),
    balloon: parseNumber(o.balloon),
    shares: parseNumber(o.shares),
    usb: indexed(o, 'usb').map(usbFromConfig),
    cpu: cpu?.get('cputype') ?? null,
    cpu_flags: (cpu?.get('flags') ?? '').split(';').filter(Boolean),
  };
}

/** Planned hardware attributes in the form read back from the host (defaults filled, lists ordered). */
export function normalizeHardware(planned: Attrs): Attrs {
  const known = (name: string, f: (v: Value) => Value): Value => {
    const v = planned[name];
    return v === undefined || v === null || isUnknown(v) ? (v ?? null) : f(v);
  };
  return {
    efidisk: known('efidisk', (v) => (isObject(v) ? { storage: v.storage ?? null, efitype: v.efitype ?? '2m', pre_enrolled_keys: v.pre_enrolled_keys ?? false } : v)),
    tpmstate: known('tpmstate', (v) => (isObject(v) ? { storage: v.storage ?? null, version: v.version ?? 'v1.2' } : v)),
    cdrom: known('cdrom', (v) =>
      Array.isArray(v) ? v.filter(isObject).map((c) => ({ slot: c.slot ?? null, file: c.file ?? null })).sort((a, b) => String(a.slot).localeCompare(String(b.slot), 'en', { numeric: true })) : v,
    ),
    vga: known('vga', (v) => (isObject(v) ? { type: v.type ?? null, memory: v.memory ?? null } : v)),
    usb: known('usb', (v) => (Array.isArray(v) ? v.filter(isObject).map((u) => ({ host: u.host ?? null, mapping: u.mapping ?? null, usb3: u.usb3 ?? false })) : v)),
    options: known('options', (v) => (isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? canonicalRawValue(k, x) : x])) : v)),
  };
}

/**
 * A state disk (efidisk0, tpmstate0): the host's volume when it has one (a storage change is a
 * `qm disk move`, not a new value), else `STORAGE:1,...`, which makes qemu-server allocate it.
 */
function stateDiskOption(hostValue: string | undefined, storage: string | undefined, items: Record<string, string | undefined>): string {
  const volume = hostValue !== undefined ? parsePropertyString(hostValue, 'volume').get('volume') : `${storage ?? 'local'}:1`;
  const kept = hostValue === undefined ? {} : unmodelledItems(hostValue, (k) => k === 'volume' || k in items, 'volume');
  return formatPropertyString([['', volume]], { ...kept, ...items });
}

/** The hardware part of `qm set`/`qm create` options. `host` is the config the host has now. */
export function hardwareOptions(attrs: Attrs, host: Record<string, string>): OptionMap {
  const opts: OptionMap = { bios: str(attrs, 'bios'), balloon: num(attrs, 'balloon')?.toString(), shares: num(attrs, 'shares')?.toString() };
  const efi = obj(attrs, 'efidisk');
  if (efi) {
    opts.efidisk0 = stateDiskOption(host.efidisk0, str(efi, 'storage'), {
      efitype: str(efi, 'efitype'),
      'pre-enrolled-keys': bool(efi, 'pre_enrolled_keys') === undefined ? undefined : bool(efi, 'pre_enrolled_keys') ? '1' : '0',
    });
  }
  const tpm = obj(attrs, 'tpmstate');
  if (tpm) opts.tpmstate0 = stateDiskOption(host.tpmstate0, str(tpm, 'storage'), { version: str(tpm, 'version') });
  const boot = strList(attrs, 'boot');
  if (boot.length > 0) opts.boot = `order=${boot.join(';')}`;
  for (const cd of objList(attrs, 'cdrom')) {
    const slot = str(cd, 'slot');
    if (slot === undefined) continue;
    const kept = unmodelledItems(host[slot], (k) => k === 'volume' || k === 'media' || k === 'size', 'volume');
    opts[slot] = formatPropertyString([['', str(cd, 'file')]], { ...kept, media: 'cdrom' });
  }
  strList(attrs, 'serial').forEach((s, i) => (opts[`serial${i}`] = s));
  const vga = obj(attrs, 'vga');
  if (vga) opts.vga = formatPropertyString([['', str(vga, 'type')]], { ...unmodelledItems(host.vga, (k) => k === 'type' || k === 'memory', 'type'), memory: num(vga, 'memory')?.toString() });
  objList(attrs, 'usb').forEach((u, i) => {
    opts[`usb${i}`] = formatPropertyString([['', str(u, 'host')]], { mapping: str(u, 'mapping'), usb3: bool(u, 'usb3') ? '1' : undefined });
  });
  const model = str(attrs, 'cpu');
  if (model !== undefined) {
    const flags = strList(attrs, 'cpu_flags');
    opts.cpu = formatPropertyString([['', model]], { ...unmodelledItems(host.cpu, (k) => k === 'cputype' || k === 'flags', 'cputype'), flags: flags.length > 0 ? flags.join(';') : undefined });
  }
  for (const disk of objList(attrs, 'disks')) {
    const slot = str(disk, 'slot');
    if (slot !== undefined && host[slot] !== undefined && !isCdrom(host[slot]!)) opts[slot] = existingDiskOption(disk, host[slot]!);
  }
  Object.assign(opts, strMap(attrs, 'options'));
  return opts;
}

/** The property-string items of a new disk's options (`--scsi0 local-zfs:32,discard=on,ssd=1`). */
export function newDiskOptionItems(disk: ValueObject): string {
  return formatPropertyString([], diskOptionItems(disk));
}
