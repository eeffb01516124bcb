/**
 * Validation of the hardware attributes of `vm` with qemu-server's rules: QemuServer.pm ($confdesc bios,
 * $vga_fmt, $serialdesc, verify_bootdev, update_vm's boot order and balloon checks), QemuServer/Drive.pm
 * (efidisk/tpmstate formats, per-bus disk options), QemuServer/USB.pm $usb_fmt, QemuServer/CPUConfig.pm.
 */
import { isUnknown, type Attrs } from '../../config/values.js';
import { num, obj, objList, str, strList, strMap } from '../proxmox/attrs.js';
import type { Checks } from '../proxmox/checks.js';
import { CONFIG_ID, STORAGE_ID, VOLUME_OR_PATH } from '../proxmox/formats.js';
import { cpuFlagProblem, cpuModelProblem } from './cpu-models.js';
import { rawOptionProblem } from './raw-options.js';
import { VM_DISK_SLOT } from './schema.js';

const VGA_TYPES = ['cirrus', 'qxl', 'qxl2', 'qxl3', 'qxl4', 'none', 'serial0', 'serial1', 'serial2', 'serial3', 'std', 'virtio', 'virtio-gl', 'vmware'];
/** QemuServer.pm $MAX_SERIAL_PORTS; QemuServer/USB.pm $MAX_USB_DEVICES. */
const MAX_SERIAL = 4;
const MAX_USB = 14;
/** QemuServer/USB.pm $USB_ID_RE / $USB_PATH_RE / spice, anchored as JSONSchema.pm anchors patterns. */
const USB_HOST = /^(?:(?:(0x)?[0-9A-Fa-f]{4}:(0x)?[0-9A-Fa-f]{4})|(?:\d+-\d+(\.\d+)*)|[Ss][Pp][Ii][Cc][Ee])$/;

export function checkHardware(c: Checks, attrs: Attrs): void {
  c.oneOf(['bios'], attrs.bios, ['seabios', 'ovmf']);
  const efi = obj(attrs, 'efidisk');
  if (efi) {
    c.string(['efidisk', 'storage'], efi.storage, STORAGE_ID);
    c.oneOf(['efidisk', 'efitype'], efi.efitype, ['2m', '4m']);
  }
  const tpm = obj(attrs, 'tpmstate');
  if (tpm) {
    c.string(['tpmstate', 'storage'], tpm.storage, STORAGE_ID);
    c.oneOf(['tpmstate', 'version'], tpm.version, ['v1.2', 'v2.0']);
  }
  checkCdroms(c, attrs);
  checkBootOrder(c, attrs);
  checkSerialAndDisplay(c, attrs);
  checkMemoryBalloon(c, attrs);
  checkUsb(c, attrs);
  checkCpu(c, attrs);
  checkDiskOptions(c, attrs);
  for (const [key, value] of Object.entries(strMap(attrs, 'options'))) {
    const problem = rawOptionProblem(key, value);
    if (problem) c.error(['options', key], problem.summary, problem.detail, value);
  }
}

function checkCdroms(c: Checks, attrs: Attrs): void {
  const taken = new Set(objList(attrs, 'disks').map((d) => str(d, 'slot')));
  if (obj(attrs, 'cloud_init')) taken.add('ide2');
  objList(attrs, 'cdrom').forEach((cd, i) => {
    const slot = str(cd, 'slot');
    if (slot !== undefined && !VM_DISK_SLOT.test(slot)) c.reject(['cdrom', String(i), 'slot'], slot, 'property is not defined in schema and the schema does not allow additional properties', 'ide0-ide3, sata0-sata5 or scsi0-scsi30');
    else if (slot !== undefined && /^virtio/.test(slot)) c.error(['cdrom', String(i), 'slot'], 'A CD-ROM cannot be a virtio drive', 'Proxmox does not accept a virtio drive with media=cdrom (QemuServer/Drive.pm parse_drive): use an ide, sata or scsi slot.', slot);
    else if (slot !== undefined && taken.has(slot)) {
      c.error(['cdrom', String(i), 'slot'], `Slot "${slot}" is already used`, slot === 'ide2' && obj(attrs, 'cloud_init') ? 'phoenix puts the cloud-init drive on ide2: choose another slot.' : 'A disk or another CD-ROM has this slot.', slot);
    }
    if (slot !== undefined) taken.add(slot);
    const file = str(cd, 'file');
    if (file !== undefined && file !== 'none' && file !== 'cdrom') c.string(['cdrom', String(i), 'file'], file, VOLUME_OR_PATH);
  });
}

/** verify_bootdev, and update_vm: "invalid bootorder: device 'X' does not exist'". */
function checkBootOrder(c: Checks, attrs: Attrs): void {
  if (!Array.isArray(attrs.boot)) return;
  const lists = ['disks', 'cdrom', 'network', 'usb', 'hostpci'].map((n) => attrs[n]);
  const complete = lists.every((l) => !isUnknown(l));
  const devices = new Set<string>([
    ...objList(attrs, 'disks').map((d) => str(d, 'slot') ?? ''),
    ...objList(attrs, 'cdrom').map((d) => str(d, 'slot') ?? ''),
    ...objList(attrs, 'network').map((_, i) => `net${i}`),
    ...objList(attrs, 'usb').map((_, i) => `usb${i}`),
    ...strList(attrs, 'hostpci').map((_, i) => `hostpci${i}`),
    ...(obj(attrs, 'cloud_init') ? ['ide2'] : []),
  ]);
  attrs.boot.forEach((dev, i) => {
    if (typeof dev !== 'string') return;
    const valid = (VM_DISK_SLOT.test(dev) || /^(net([0-9]|[12][0-9]|3[01])|usb([0-9]|1[0-3])|hostpci([0-9]|1[0-5]))$/.test(dev));
    if (!valid) c.reject(['boot', String(i)], dev, `invalid format - invalid boot device '${dev}'`, 'a disk or CD-ROM slot ("scsi0", "ide2"), "netN", "usbN" or "hostpciN"');
    else if (complete && !devices.has(dev)) c.reject(['boot', String(i)], dev, `invalid bootorder: device '${dev}' does not exist'`, 'a device this VM declares');
  });
}

function checkSerialAndDisplay(c: Checks, attrs: Attrs): void {
  const serial = strList(attrs, 'serial');
  if (serial.length > MAX_SERIAL) c.error(['serial'], 'Too many serial ports', `Proxmox supports serial0 to serial${MAX_SERIAL - 1}.`);
  serial.forEach((s, i) => {
    if (!/^(?:\/dev\/[^,]+|socket)$/.test(s)) c.reject(['serial', String(i)], s, 'value does not match the regex pattern', '"socket" or a host device such as "/dev/ttyS0"');
  });
  const vga = obj(attrs, 'vga');
  if (vga) {
    c.oneOf(['vga', 'type'], vga.type, VGA_TYPES);
    c.integer(['vga', 'memory'], vga.memory, 4, 512);
  }
}

function checkMemoryBalloon(c: Checks, attrs: Attrs): void {
  c.integer(['balloon'], attrs.balloon, 0);
  c.integer(['shares'], attrs.shares, 0, 50000);
  const balloon = num(attrs, 'balloon');
  const memory = num(attrs, 'memory');
  if (balloon && memory !== undefined && balloon > memory) c.reject(['balloon'], String(balloon), 'balloon value too large (must be smaller than assigned memory)', `at most memory (${memory})`);
}

function checkUsb(c: Checks, attrs: Attrs): void {
  const usb = objList(attrs, 'usb');
  if (usb.length > MAX_USB) c.error(['usb'], 'Too many USB devices', `Proxmox supports usb0 to usb${MAX_USB - 1}.`);
  usb.forEach((u, i) => {
    const host = str(u, 'host');
    if (host !== undefined && !USB_HOST.test(host)) c.reject(['usb', String(i), 'host'], host, `usb${i}.host: value does not match the regex pattern`, '"vendor:product" in hex (e.g. "1a86:55d4"), a port "bus-port(.port)*" (e.g. "1-2.3") or "spice"');
    c.string(['usb', String(i), 'mapping'], u.mapping, CONFIG_ID);
    if ((host === undefined) === (str(u, 'mapping') === undefined) && !isUnknown(u.host) && !isUnknown(u.mapping)) {
      c.error(['usb', String(i)], 'A USB device needs `host` or `mapping`', 'Set exactly one of them (qemu-server QemuServer/USB.pm parse_usb_device).');
    }
  });
}

function checkCpu(c: Checks, attrs: Attrs): void {
  const model = str(attrs, 'cpu');
  const problem = model === undefined ? undefined : cpuModelProblem(model);
  if (problem) c.reject(['cpu'], model!, problem, 'a model such as "host", "x86-64-v2-AES", "EPYC-Rome", "Skylake-Server", or "custom-NAME"');
  strList(attrs, 'cpu_flags').forEach((flag, i) => {
    const bad = cpuFlagProblem(flag);
    if (bad) c.reject(['cpu_flags', String(i)], flag, bad);
  });
  if (strList(attrs, 'cpu_flags').length > 0 && attrs.cpu == null) c.error(['cpu_flags'], 'cpu_flags needs a cpu model', 'Proxmox refuses CPU flags without a model ("CPU is missing cputype"): set `cpu`.');
}

/** QemuServer/Drive.pm: iothread only on scsi and virtio drives, ssd not on virtio. */
function checkDiskOptions(c: Checks, attrs: Attrs): void {
  objList(attrs, 'disks').forEach((disk, i) => {
    const at = (key: string) => ['disks', String(i), key];
    const slot = str(disk, 'slot') ?? '';
    c.oneOf(at('cache'), disk.cache, ['none', 'writethrough', 'writeback', 'unsafe', 'directsync']);
    c.oneOf(at('aio'), disk.aio, ['native', 'threads', 'io_uring']);
    const undefinedKey = (key: string) => `${slot}.${key}: property is not defined in schema and the schema does not allow additional properties`;
    if (disk.iothread === true && /^(ide|sata)\d+$/.test(slot)) c.reject(at('iothread'), 'true', undefinedKey('iothread'), 'iothread on scsi or virtio disks');
    if (disk.ssd === true && /^virtio\d+$/.test(slot)) c.reject(at('ssd'), 'true', undefinedKey('ssd'), 'ssd on ide, sata or scsi disks');
  });
}
