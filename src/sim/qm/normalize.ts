/** How qm stores options: `virtio=MAC,bridge=...` nets, allocated drives, URL-encoded ssh keys, hashed passwords. */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { SimEnv } from '../core/env.js';
import { SimError } from '../core/errors.js';
import { readPublicKeyFile } from '../core/formats.js';
import { parsePropString, printPropString } from '../core/schema.js';
import { formatPveSize, parseSize } from '../core/sizes.js';
import { allocateVolume, parseAllocation } from '../guest/disks.js';
import type { DiskLayout } from '../guest/disk-tasks.js';
import { generateMac, normaliseTags } from '../guest/normalize.js';
import type { ZfsState } from '../zfs/model.js';
import { DRIVE_FORMAT, MACHINE_FORMAT, NET_FORMAT, NIC_MODELS, isDriveKey } from './schema.js';
import { assertCustomCpuModel, isoVolumeSize, stateDiskBytes } from './hardware.js';

/** Accepts `virtio`, `virtio=MAC` and `model=virtio,macaddr=MAC` spellings. */
export function parseNet(key: string, value: string, errors: Record<string, string> = {}): Record<string, string> {
  const parts = value.split(',');
  const first = /^([a-z0-9_-]+)=([0-9a-f:]+)$/i.exec(parts[0] ?? '');
  if (first && NIC_MODELS.includes(first[1]!)) {
    parts[0] = `model=${first[1]}`;
    parts.push(`macaddr=${first[2]}`);
  }
  return parsePropString(key, parts.join(','), NET_FORMAT, errors);
}

export function normaliseNet(key: string, value: string): string {
  const net = parseNet(key, value);
  const model = net.model!;
  const mac = (net.macaddr ?? generateMac()).toUpperCase();
  delete net.model;
  delete net.macaddr;
  return [`${model}=${mac}`, printPropString(net, { keys: NET_FORMAT.keys }, ['bridge'])].filter(Boolean).join(',');
}

/** qm verifies net strings itself (the `virtio=MAC` spelling is not a plain property string). */
export function verifyNets(options: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) if (/^net\d+$/.test(key)) parseNet(key, value, errors);
  return errors;
}

/** uri_escape: everything but unreserved characters percent-encoded. */
export function uriEscape(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0')))
    .join('');
}

const IMPORTED_IMAGE_SIZE = 2 * 1024 ** 3;

/** A drive's stored form; `STORAGE:SIZE` and `STORAGE:cloudinit` allocate a volume. */
export function prepareDrive(env: SimEnv, zfs: ZfsState, vmid: number, key: string, value: string, taken: Set<string>): string {
  const drive = parsePropString(key, value, DRIVE_FORMAT, {});
  const cloudinit = /^([a-z][a-z0-9\-_.]*[a-z0-9]):cloudinit$/i.exec(drive.file!);
  const request = parseAllocation(drive.file!, 'qemu');
  if (cloudinit) {
    drive.file = allocateVolume(env, zfs, { kind: 'qemu', vmid, storageId: cloudinit[1]!, bytes: 4 * 1024 * 1024, taken, cloudinit: true });
    drive.media = 'cdrom';
  } else if (request) {
    const importing = drive['import-from'] !== undefined;
    if (importing) assertImportSource(env, drive['import-from']!);
    const bytes = stateDiskBytes(key, drive.efitype) ?? (importing && request.bytes === 0 ? IMPORTED_IMAGE_SIZE : request.bytes);
    drive.file = allocateVolume(env, zfs, { kind: 'qemu', vmid, storageId: request.storage, bytes, taken });
    drive.size = formatPveSize(bytes);
    // OVMF.pm create_efidisk: the 4m vars template with keys enrolled (OVMF_VARS_4M.ms.fd of the firmware
    // qemu-server 9 ships with) holds "Microsoft UEFI CA 2023", which is recorded as ms-cert=2023k.
    if (key === 'efidisk0' && drive.efitype === '4m' && /^(1|yes|on|true)$/i.test(drive['pre-enrolled-keys'] ?? '')) drive['ms-cert'] = '2023k';
  } else {
    const iso = isoVolumeSize(env, key, drive.file!, drive.media);
    if (iso !== undefined) drive.size = formatPveSize(iso);
  }
  delete drive['import-from'];
  taken.add(drive.file!);
  return printPropString(drive, DRIVE_FORMAT);
}

/**
 * qemu-server API2/Qemu.pm create_disks resolves an absolute `import-from` source with pve-storage
 * PVE/Storage.pm abs_filesystem_path, which dies unless it is a file or block device.
 */
function assertImportSource(env: SimEnv, source: string): void {
  if (!source.startsWith('/')) return;
  let found = false;
  try {
    const stat = statSync(env.path(source.slice(1)));
    found = stat.isFile() || stat.isBlockDevice();
  } catch {
    found = false;
  }
  if (!found) throw new SimError(`can't find file '${source}'`);
}

export function hashPassword(password: string): string {
  return `$5$sim$${createHash('sha256').update(password).digest('base64').replace(/=+$/, '')}`;
}

export function normaliseOption(env: SimEnv, zfs: ZfsState, vmid: number, key: string, value: string, taken: Set<string>): string {
  if (/^net\d+$/.test(key)) return normaliseNet(key, value);
  if (isDriveKey(key)) return prepareDrive(env, zfs, vmid, key, value, taken);
  if (key === 'tags') return normaliseTags(value);
  if (key === 'sshkeys') return uriEscape(readPublicKeyFile(value));
  if (key === 'cipassword') return hashPassword(value);
  if (key === 'machine') assertValidMachine(value);
  if (key === 'cpu') assertCustomCpuModel(env, value);
  return value;
}

/** Machine.pm assert_valid_machine_property. */
function assertValidMachine(value: string): void {
  const machine = parsePropString('machine', value, MACHINE_FORMAT, {});
  if (machine.viommu === 'intel') {
    if (!/q35/.test(machine.type ?? '')) throw new SimError('to use Intel vIOMMU please set the machine type to q35');
    if (machine['aw-bits'] && !['39', '48'].includes(machine['aw-bits'])) throw new SimError('Intel vIOMMU supports only 39 or 48 bits as address width');
  }
  if (machine['aw-bits'] && !machine.viommu) throw new SimError('cannot set aw-bits if no vIOMMU is configured');
}

/**
 * QemuServer/PCI.pm print_hostpci_devices, run when the VM starts: a `pcie=1` device needs a PCIe root
 * port, which only a q35 machine has.
 */
export function assertPcieMachine(values: Record<string, string>): void {
  const type = values.machine === undefined ? undefined : parsePropString('machine', values.machine, MACHINE_FORMAT, {}).type;
  const q35 = /q35/.test(type ?? '');
  const pcie = Object.keys(values).some((key) => /^hostpci\d+$/.test(key) && /(^|,)pcie=(1|on|yes|true)(,|$)/.test(values[key]!));
  if (pcie && !q35) throw new SimError('q35 machine model is not enabled');
}

export function volumesOf(values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([key]) => isDriveKey(key) || /^unused\d+$/.test(key))
    .map(([, value]) => value.split(',')[0]!)
    .filter((file) => file.includes(':') && !file.includes(':iso/'));
}

/** Size in bytes of a stored drive value (`...,size=32G`). */
export function driveSize(value: string): number {
  const drive = parsePropString('drive', value, DRIVE_FORMAT, {});
  return drive.size ? parseSize(drive.size) ?? 0 : 0;
}

export function isCdrom(value: string): boolean {
  return /(^|,)media=cdrom(,|$)/.test(value) || /^(cdrom|none)(,|$)/.test(value);
}

/** Where a VM keeps its disks: drives other than CD-ROMs, each with its `file`. */
export const QEMU_DISKS: DiskLayout = {
  kind: 'qemu',
  volumesOf,
  isDisk: (key, value) => isDriveKey(key) && !isCdrom(value),
  format: () => DRIVE_FORMAT,
  volumeProperty: 'file',
};
