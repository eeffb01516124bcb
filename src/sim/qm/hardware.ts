/**
 * The VM hardware options of `qm create`/`qm set` as qemu-server checks and applies them: firmware,
 * EFI/TPM state disks, boot order, CD-ROMs, serial ports, display, USB, CPU model and flags, per-bus drive
 * formats, and which changes reach a running VM (QemuServer.pm vmconfig_hotplug_pending).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { SimEnv } from '../core/env.js';
import { SimError } from '../core/errors.js';
import { parsePropString, type ParamSpec, type PropFormat } from '../core/schema.js';
import { findStorage } from '../storage/config.js';
import { listVolumes, parseFileVolid } from '../storage/volumes.js';

const bool: ParamSpec = { type: 'boolean' };

/** QemuServer.pm $vga_fmt. */
export const VGA_FORMAT: PropFormat = {
  defaultKey: 'type',
  keys: {
    type: { type: 'string', enum: ['cirrus', 'qxl', 'qxl2', 'qxl3', 'qxl4', 'none', 'serial0', 'serial1', 'serial2', 'serial3', 'std', 'virtio', 'virtio-gl', 'vmware'] },
    memory: { type: 'integer', min: 4, max: 512 },
    clipboard: { type: 'string', enum: ['vnc'] },
  },
};

/** QemuServer/USB.pm $usb_fmt ($USB_ID_RE, $USB_PATH_RE or spice; JSONSchema.pm anchors the pattern). */
export const USB_FORMAT: PropFormat = {
  defaultKey: 'host',
  keys: {
    host: { type: 'string', pattern: /^(?:(?:(?:0x)?[0-9A-Fa-f]{4}:(?:0x)?[0-9A-Fa-f]{4})|(?:\d+-\d+(?:\.\d+)*)|[Ss][Pp][Ii][Cc][Ee])$/ },
    mapping: { type: 'string', check: (v) => (/^[a-z][a-z0-9_-]+$/i.test(v) ? undefined : `invalid configuration ID '${v}'`) },
    usb3: bool,
  },
};

/** QemuServer.pm $serialdesc: pattern '(/dev/[^,]+|socket)'. */
export const SERIAL: ParamSpec = { type: 'string', pattern: /^(?:\/dev\/[^,]+|socket)$/ };

/**
 * QemuServer/CPUConfig.pm validate_vm_cpu_conf: a model of get_all_cpu_models (initialize_cpu_models, x86_64 and
 * aarch64 merged, plus host) or a built-in x86-64-vN of $builtin_models_by_arch.
 */
const CPU_MODELS = new Set(
  (
    '486 pentium pentium2 pentium3 coreduo core2duo Conroe Penryn Nehalem Nehalem-IBRS Westmere Westmere-IBRS SandyBridge SandyBridge-IBRS ' +
    'IvyBridge IvyBridge-IBRS Haswell Haswell-IBRS Haswell-noTSX Haswell-noTSX-IBRS Broadwell Broadwell-IBRS Broadwell-noTSX Broadwell-noTSX-IBRS ' +
    'Skylake-Client Skylake-Client-IBRS Skylake-Client-noTSX-IBRS Skylake-Client-v4 Skylake-Server Skylake-Server-IBRS Skylake-Server-noTSX-IBRS ' +
    'Skylake-Server-v4 Skylake-Server-v5 Cascadelake-Server Cascadelake-Server-v2 Cascadelake-Server-noTSX Cascadelake-Server-v4 Cascadelake-Server-v5 ' +
    'Cooperlake Cooperlake-v2 KnightsMill Icelake-Client Icelake-Client-noTSX Icelake-Server Icelake-Server-noTSX Icelake-Server-v3 Icelake-Server-v4 ' +
    'Icelake-Server-v5 Icelake-Server-v6 Icelake-Server-v7 SapphireRapids SapphireRapids-v2 SapphireRapids-v3 SapphireRapids-v4 GraniteRapids ' +
    'GraniteRapids-v2 GraniteRapids-v3 SierraForest SierraForest-v2 SierraForest-v3 ClearwaterForest athlon phenom Opteron_G1 Opteron_G2 Opteron_G3 ' +
    'Opteron_G4 Opteron_G5 EPYC EPYC-IBPB EPYC-v3 EPYC-v4 EPYC-v5 EPYC-Rome EPYC-Rome-v2 EPYC-Rome-v3 EPYC-Rome-v4 EPYC-Rome-v5 EPYC-Milan ' +
    'EPYC-Milan-v2 EPYC-Milan-v3 EPYC-Genoa EPYC-Genoa-v2 EPYC-Turin kvm32 kvm64 qemu32 qemu64 max host a64fx cortex-a35 cortex-a53 cortex-a55 cortex-a57 cortex-a710 ' +
    'cortex-a72 cortex-a76 neoverse-n1 neoverse-n2 neoverse-v1 x86-64-v2 x86-64-v2-AES x86-64-v3 x86-64-v4'
  ).split(' '),
);
/** QemuServer/CPUFlags.pm $supported_vm_specific_cpu_flags_by_arch (x86_64), sorted. */
const CPU_FLAGS = ['aes', 'amd-no-ssb', 'amd-ssbd', 'hv-evmcs', 'hv-tlbflush', 'ibpb', 'md-clear', 'nested-virt', 'pcid', 'pdpe1gb', 'spec-ctrl', 'ssbd', 'virt-ssbd'];
const CPU_FLAG = `[+-](?:${CPU_FLAGS.join('|')})`;

/** CPUConfig.pm $cpu_fmt (pve-vm-cpu-conf) and validate_vm_cpu_conf. */
export const CPU_FORMAT: PropFormat = {
  defaultKey: 'cputype',
  keys: {
    cputype: { type: 'string' },
    hidden: bool,
    'hv-vendor-id': { type: 'string', pattern: /^[a-zA-Z0-9]{1,12}$/ },
    flags: { type: 'string', pattern: /^[+-][a-zA-Z0-9\-_.]+(;[+-][a-zA-Z0-9\-_.]+)*$/ },
    'guest-phys-bits': { type: 'integer', min: 32, max: 64 },
    'phys-bits': { type: 'string', check: (v) => (/^(host|\d{1,2})$/.test(v) && (v === 'host' || (Number(v) >= 8 && Number(v) <= 64)) ? undefined : "value must be an integer between 8 and 64 or 'host'") },
    level: { type: 'integer', min: 0, max: 4294967295 },
  },
};

export const CPU: ParamSpec = {
  type: 'string',
  check: (value) => {
    const errors: Record<string, string> = {};
    const cpu = parsePropString('cpu', value, CPU_FORMAT, errors);
    const first = Object.entries(errors)[0];
    if (first) return `${first[0] === 'cpu' ? '' : `${first[0].slice(4)}: `}${first[1].replace(/^invalid format - /, '')}`;
    if (!cpu.cputype) return 'CPU is missing cputype';
    if (!/^custom-/.test(cpu.cputype) && !CPU_MODELS.has(cpu.cputype)) return `Built-in cputype '${cpu.cputype}' is not defined (missing 'custom-' prefix?)`;
    if (cpu.flags && !new RegExp(`^${CPU_FLAG}(;${CPU_FLAG})*$`).test(cpu.flags)) return `VM-specific CPU flags must be a subset of: ${CPU_FLAGS.join(', ')}`;
    return undefined;
  },
};

/**
 * CPUConfig.pm get_custom_model: a `custom-NAME` model must be a section `cpu-model: NAME` of
 * /etc/pve/virtual-guest/cpu-models.conf.
 */
export function assertCustomCpuModel(env: SimEnv, value: string): void {
  const model = /^custom-([^,]*)/.exec(value)?.[1];
  if (model === undefined) return;
  const file = env.path('etc/pve/virtual-guest/cpu-models.conf');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!text.split('\n').some((line) => line.trim() === `cpu-model: ${model}`)) throw new SimError(`Custom cputype '${model}' not found`);
}

/** QemuServer.pm verify_bootdev: a drive (not efidisk/tpmstate), netN, usbN or hostpciN. */
const BOOT_DEVICE = /^(ide[0-3]|sata[0-5]|scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|net([0-9]|[12][0-9]|3[01])|usb([0-9]|1[0-3])|hostpci([0-9]|1[0-5]))$/;

/** QemuServer.pm $boot_fmt (pve-qm-boot): `legacy` [acdn]{1,4} or `order=dev;dev...`. */
export const BOOT: ParamSpec = {
  type: 'string',
  format: {
    defaultKey: 'legacy',
    keys: {
      legacy: { type: 'string', pattern: /^[acdn]{1,4}$/ },
      order: { type: 'string', check: (v) => v.split(/[;,\s]+/).filter(Boolean).map((d) => (BOOT_DEVICE.test(d) ? undefined : `invalid boot device '${d}'`)).find(Boolean) },
    },
  },
};

/** API2/Qemu.pm update_vm: every device of a new boot order must exist (now, pending, or in this call). */
export function assertBootOrder(value: string, values: Record<string, string>, pending: Record<string, string>, changes: Record<string, string>, deletes: string[]): void {
  const order = /(?:^|,)order=([^,]*)/.exec(value)?.[1];
  for (const dev of (order ?? '').split(/[;,\s]+/).filter(Boolean)) {
    const exists = values[dev] !== undefined || pending[dev] !== undefined || changes[dev] !== undefined;
    if (!exists || deletes.includes(dev)) throw new SimError(`invalid bootorder: device '${dev}' does not exist'`);
  }
}

/** API2/Qemu.pm update_vm: a CD-ROM added to a VM with an explicit boot order is appended to it. */
export function appendCdromToBoot(boot: string | undefined, key: string, value: string): string | undefined {
  const order = boot === undefined ? undefined : /(?:^|,)order=([^,]*)/.exec(boot)?.[1];
  if (!order || !/(^|,)media=cdrom(,|$)/.test(value)) return undefined;
  const devices = order.split(';');
  return devices.includes(key) ? undefined : `order=${[...devices, key].join(';')}`;
}

/** API2/Qemu.pm update_vm: "balloon value too large (must be smaller than assigned memory)". */
export function assertBalloon(changes: Record<string, string>, values: Record<string, string>, pending: Record<string, string>): void {
  if (changes.memory === undefined && changes.balloon === undefined) return;
  const memory = Number(changes.memory ?? pending.memory ?? values.memory ?? 512);
  const balloon = Number(changes.balloon ?? pending.balloon ?? values.balloon ?? 0);
  if (balloon && balloon > memory) throw new SimError('balloon value too large (must be smaller than assigned memory)');
}

/**
 * API2/Qemu.pm create_disks for an existing volume: an ISO needs `media=cdrom` ("explicit 'media=cdrom' is
 * required for iso images"), and the volume must exist (`volume_size_info` → "volume X does not exist").
 * Returns the volume's size in bytes.
 */
export function isoVolumeSize(env: SimEnv, key: string, file: string, media: string | undefined): number | undefined {
  const volume = parseFileVolid(file);
  if (!volume || volume.content !== 'iso') return undefined;
  if (media !== 'cdrom') throw new SimError(`400 Parameter verification failed.\n${key}: explicit 'media=cdrom' is required for iso images`);
  const storage = findStorage(env, volume.storage);
  const found = listVolumes(env, storage, 'iso').find((v) => v.volid === file);
  if (!found) throw new SimError(`volume ${file} does not exist`);
  return found.size;
}

/** OVMF.pm create_efidisk: the OVMF_VARS image's size (4m: 528K, 2m: 128K); Drive.pm TPMSTATE_DISK_SIZE. */
export function stateDiskBytes(key: string, efitype: string | undefined): number | undefined {
  if (key === 'efidisk0') return efitype === '4m' ? 540672 : 131072;
  if (key === 'tpmstate0') return 4 * 1024 * 1024;
  return undefined;
}

/** QemuServer.pm $fast_plug_option: written to a running VM's config at once. */
const FAST_PLUG = new Set(['description', 'hookscript', 'lock', 'migrate_downtime', 'migrate_speed', 'name', 'onboot', 'protection', 'shares', 'startup', 'tags', 'vmstatestorage']);
export const isFastPlug = (key: string, cloudinitKeys: Set<string>) => FAST_PLUG.has(key) || cloudinitKeys.has(key);

/** vmconfig_update_disk: options of an existing disk that cannot change while it runs. */
const RESTART_DRIVE_KEYS = ['aio', 'discard', 'iothread', 'queues', 'product', 'cache', 'ssd', 'vendor', 'ro'];

const keyOf = (value: string, key: string) => new RegExp(`(?:^|,)${key}=([^,]*)`).exec(value)?.[1];
const fileOf = (value: string) => value.split(',')[0];
const cdrom = (value: string) => /(^|,)media=cdrom(,|$)/.test(value) || /^(cdrom|none)(,|$)/.test(value);

export interface RunningVm {
  values: Record<string, string>;
  features: Set<string>;
}

/**
 * Whether a change (`value` defined) or a deletion reaches a running VM now (vmconfig_hotplug_pending),
 * for the keys this module decides; undefined leaves the key to the caller's rules (nets, memory...).
 */
export function hardwareAppliesNow(key: string, value: string | undefined, vm: RunningVm): boolean | undefined {
  const old = vm.values[key];
  const usbHotplug = vm.features.has('usb') && /^(l26|win8|win10|win11)$/.test(vm.values.ostype ?? '');
  if (key === 'efidisk0' || key === 'tpmstate0') return false;
  if (/^usb\d+$/.test(key)) return usbHotplug;
  if (key === 'tablet') return vm.features.has('usb');
  if (key === 'vcpus') return vm.features.has('cpu');
  if (key === 'cpuunits' || key === 'cpulimit') return true;
  if (key === 'hotplug') return !/cpu|memory/.test(`${old ?? ''} ${value ?? ''}`);
  if (key === 'balloon') {
    if (value === undefined) return !(old !== undefined && Number(old) === 0);
    const enabled = (v: string | undefined) => v === undefined || Number(v) !== 0;
    return enabled(old) === enabled(value);
  }
  if (/^(ide|sata|scsi|virtio)\d+$/.test(key) && value !== undefined && old !== undefined && !value.includes('cloudinit')) {
    if (cdrom(old)) return true; // change_medium, live for any bus
    if (fileOf(value) === fileOf(old)) return !RESTART_DRIVE_KEYS.some((k) => keyOf(value, k) !== keyOf(old, k));
  }
  return undefined;
}
