/** qm option schemas (qemu-server QemuServer.pm $confdesc / $confdesc_cloudinit), the subset the simulator knows. */
import { listOf, verifyAddress, verifyBridgeId, verifyIpv4, verifyIpv4Config, verifyIpv6, verifyIpv6Config } from '../core/formats.js';
import { numbered, type ParamSpec, type PropFormat } from '../core/schema.js';
import { DNS_NAME, MAC, STARTUP, TAGS } from '../guest/normalize.js';
import { BOOT, CPU, SERIAL, USB_FORMAT, VGA_FORMAT } from './hardware.js';
import { RAW_CONFIG_OPTIONS } from './raw-options.js';

const bool: ParamSpec = { type: 'boolean' };
const str: ParamSpec = { type: 'string' };
const int = (min?: number, max?: number): ParamSpec => ({ type: 'integer', min, max });

export const NIC_MODELS = ['e1000', 'e1000e', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'i82551', 'i82557b', 'i82559er', 'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio', 'vmxnet3'];

export const NET_FORMAT: PropFormat = {
  defaultKey: 'model',
  keys: {
    model: { type: 'string', enum: NIC_MODELS, required: true },
    macaddr: MAC,
    // QemuServer/Network.pm $net_fmt: bridge is a pve-bridge-id, trunks a VLAN id/range list.
    bridge: { type: 'string', check: verifyBridgeId },
    firewall: bool,
    link_down: bool,
    mtu: int(1, 65520),
    queues: int(0, 64),
    rate: { type: 'number', min: 0 },
    tag: int(1, 4094),
    trunks: { type: 'string', pattern: /^\d+(?:-\d+)?(?:;\d+(?:-\d+)?)*$/ },
    'host-tunnel': bool,
  },
};

/** QemuServer/Network.pm $ipconfig_fmt (parse_ipconfig adds: a gateway needs its address). */
export const IPCONFIG_FORMAT: PropFormat = {
  keys: {
    ip: { type: 'string', check: verifyIpv4Config },
    gw: { type: 'string', check: verifyIpv4 },
    ip6: { type: 'string', check: verifyIpv6Config },
    gw6: { type: 'string', check: verifyIpv6 },
  },
};

/** QemuServer/PCI.pm $PCIRE and $hostpci_fmt. */
const PCI_ID = /^(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?$/;
const PCI_HEX_ID: ParamSpec = { type: 'string', pattern: /^0x[0-9a-fA-F]{4}$/ };
export const HOSTPCI_FORMAT: PropFormat = {
  defaultKey: 'host',
  keys: {
    host: { type: 'string', check: (v) => (v.split(';').every((id) => PCI_ID.test(id)) ? undefined : `value does not look like a valid PCI device id: ${v}`) },
    mapping: { type: 'string', pattern: /^[a-z][a-z0-9_-]+$/i },
    rombar: bool,
    romfile: { type: 'string', pattern: /^[^,;]+$/ },
    pcie: bool,
    'x-vga': bool,
    'legacy-igd': bool,
    mdev: { type: 'string', pattern: /^[^/.:]+$/ },
    'vendor-id': PCI_HEX_ID,
    'device-id': PCI_HEX_ID,
    'sub-vendor-id': PCI_HEX_ID,
    'sub-device-id': PCI_HEX_ID,
    driver: { type: 'string', enum: ['vfio', 'keep'] },
  },
};

export const DRIVE_FORMAT: PropFormat = {
  defaultKey: 'file',
  keys: {
    file: { type: 'string', required: true },
    size: { type: 'string', pattern: /^\d+(\.\d+)?[KMGT]?$/ },
    media: { type: 'string', enum: ['cdrom', 'disk'] },
    cache: { type: 'string', enum: ['none', 'writethrough', 'writeback', 'unsafe', 'directsync'] },
    discard: { type: 'string', enum: ['ignore', 'on'] },
    iothread: bool,
    ssd: bool,
    backup: bool,
    replicate: bool,
    ro: bool,
    aio: { type: 'string', enum: ['native', 'threads', 'io_uring'] },
    format: { type: 'string', enum: ['raw', 'qcow2', 'vmdk', 'cloop', 'cow', 'qed', 'vdi'] },
    serial: str,
    'import-from': str,
    efitype: { type: 'string', enum: ['2m', '4m'] },
    'pre-enrolled-keys': bool,
    'ms-cert': { type: 'string', enum: ['2011', '2023', '2023w', '2023k'] },
    version: { type: 'string', enum: ['v1.2', 'v2.0'] },
  },
};

/** PVE/QemuServer/Machine.pm $machine_fmt (the type pattern anchored, as JSONSchema checks patterns). */
export const MACHINE_FORMAT: PropFormat = {
  defaultKey: 'type',
  keys: {
    type: {
      type: 'string',
      maxLength: 40,
      pattern: /^(pc|pc(-i440fx)?-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|q35|pc-q35-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|virt(?:-\d+(\.\d+)+)?(\+pve\d+)?)$/,
    },
    viommu: { type: 'string', enum: ['intel', 'virtio'] },
    'aw-bits': { type: 'number', min: 32, max: 64 },
    'enable-s3': bool,
    'enable-s4': bool,
  },
};

export const AGENT_FORMAT: PropFormat = {
  defaultKey: 'enabled',
  keys: {
    enabled: bool,
    fstrim_cloned_disks: bool,
    'freeze-fs-on-backup': bool,
    type: { type: 'string', enum: ['virtio', 'isa'] },
  },
};

/** QemuServer/Drive.pm: each bus has its own format (%iothread_fmt only on scsi/virtio, %ssd_fmt not on virtio, EFI/TPM keys on their disks). */
function driveFormat(drop: string[], extra: string[] = []): ParamSpec {
  const stateKeys = ['efitype', 'pre-enrolled-keys', 'ms-cert', 'version'];
  const keys = Object.fromEntries(Object.entries(DRIVE_FORMAT.keys).filter(([k]) => extra.includes(k) || (!drop.includes(k) && !stateKeys.includes(k))));
  return { type: 'string', format: { defaultKey: 'file', keys } };
}
const IDE_SATA = driveFormat(['iothread']);
const SCSI = driveFormat([]);
const VIRTIO = driveFormat(['ssd']);
const STATE_DISK_KEEPS = ['file', 'format', 'size', 'import-from'];
const EFIDISK = driveFormat(Object.keys(DRIVE_FORMAT.keys).filter((k) => !STATE_DISK_KEEPS.includes(k)), ['efitype', 'pre-enrolled-keys', 'ms-cert']);
const TPMSTATE = driveFormat(Object.keys(DRIVE_FORMAT.keys).filter((k) => !STATE_DISK_KEEPS.includes(k)), ['version']);

export const isDriveKey = (key: string) => /^(ide[0-3]|sata[0-5]|scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|efidisk0|tpmstate0)$/.test(key);

export const CLOUDINIT_OPTIONS: Record<string, ParamSpec> = {
  cicustom: str,
  // qm.pm param_mapping: read interactively when given without a value.
  cipassword: { type: 'string', optionalValue: true },
  citype: { type: 'string', enum: ['configdrive2', 'nocloud', 'opennebula'] },
  ciupgrade: bool,
  ciuser: str,
  ...numbered('ipconfig', 32, { type: 'string', format: IPCONFIG_FORMAT }),
  // QemuServer.pm: format address-list.
  nameserver: { type: 'string', check: listOf(verifyAddress) },
  searchdomain: str,
  sshkeys: str,
};

export const CONFIG_OPTIONS: Record<string, ParamSpec> = {
  acpi: bool,
  affinity: str,
  agent: { type: 'string', format: AGENT_FORMAT },
  args: str,
  autostart: bool,
  balloon: int(0),
  bios: { type: 'string', enum: ['seabios', 'ovmf'] },
  boot: BOOT,
  bootdisk: str,
  cores: int(1),
  cpu: CPU,
  cpulimit: { type: 'number', min: 0, max: 128 },
  cpuunits: int(1, 262144),
  description: { type: 'string', maxLength: 8192 },
  efidisk0: EFIDISK,
  hookscript: str,
  ...numbered('hostpci', 16, { type: 'string', format: HOSTPCI_FORMAT }),
  hotplug: str,
  ...numbered('ide', 4, IDE_SATA),
  keyboard: str,
  kvm: bool,
  localtime: bool,
  lock: { type: 'string', enum: ['backup', 'clone', 'create', 'migrate', 'rollback', 'snapshot', 'snapshot-delete', 'suspending', 'suspended'] },
  machine: { type: 'string', format: MACHINE_FORMAT },
  memory: int(16),
  meta: str,
  name: DNS_NAME,
  // Verified by normalize.ts verifyNets: `virtio=MAC` is not a plain property string.
  ...numbered('net', 32, str),
  numa: bool,
  onboot: bool,
  ostype: { type: 'string', enum: ['other', 'wxp', 'w2k', 'w2k3', 'w2k8', 'wvista', 'win7', 'win8', 'win10', 'win11', 'l24', 'l26', 'solaris'] },
  protection: bool,
  rng0: str,
  ...numbered('sata', 6, IDE_SATA),
  ...numbered('scsi', 31, SCSI),
  scsihw: { type: 'string', enum: ['lsi', 'lsi53c810', 'virtio-scsi-pci', 'virtio-scsi-single', 'megasas', 'pvscsi'] },
  ...numbered('serial', 4, SERIAL),
  shares: int(0, 50000),
  smbios1: str,
  sockets: int(1),
  startup: STARTUP,
  tablet: bool,
  tags: TAGS,
  template: bool,
  tpmstate0: TPMSTATE,
  ...numbered('unused', 256, str),
  ...numbered('usb', 14, { type: 'string', format: USB_FORMAT }),
  vcpus: int(1),
  vga: { type: 'string', format: VGA_FORMAT },
  ...numbered('virtio', 16, VIRTIO),
  vmgenid: str,
  watchdog: str,
  ...CLOUDINIT_OPTIONS,
  ...RAW_CONFIG_OPTIONS,
};

export const CREATE_ONLY_OPTIONS: Record<string, ParamSpec> = {
  start: bool,
  pool: str,
  storage: str,
  unique: bool,
  archive: str,
  force: bool,
  'live-restore': bool,
  bwlimit: int(0),
};

/** Applied to a running VM's config at once ($fast_plug_option). */
export const FASTPLUG = new Set([
  'description', 'hookscript', 'lock', 'migrate_downtime', 'migrate_speed', 'name', 'onboot', 'protection', 'shares', 'startup', 'tags', 'vmstatestorage',
  ...Object.keys(CLOUDINIT_OPTIONS),
]);
/** QemuServer.pm parse_hotplug_features: `1` (the default) is network,disk,usb; `0` is none. */
export function hotplugFeatures(value: string | undefined): Set<string> {
  const text = value ?? '1';
  if (text === '1') return new Set(['network', 'disk', 'usb']);
  if (text === '0') return new Set();
  return new Set(text.split(','));
}

/**
 * Hot-plugged into a running VM (QemuServer.pm vmconfig_hotplug_pending): NICs with the `network` feature;
 * drives with `disk`, except ide/sata/efidisk/tpmstate (`die "skip\n" if !$hotplug_features->{disk} ||
 * $opt =~ m/(efidisk|ide|sata|tpmstate)(\d+)/`); the cloud-init drive is regenerated at once.
 */
export function HOTPLUG(key: string, features: Set<string> = hotplugFeatures(undefined), value = ''): boolean {
  if (/^net\d+$/.test(key)) return features.has('network');
  if (!isDriveKey(key)) return false;
  if (value.includes('cloudinit')) return true;
  return features.has('disk') && !/^(efidisk|ide|sata|tpmstate)\d+$/.test(key);
}

