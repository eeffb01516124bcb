/**
 * `vm` attributes for the hardware a homelab VM needs beyond CPU, memory and disks (Home Assistant OS,
 * Windows 11): firmware, EFI and TPM state disks, boot order, CD-ROMs, serial ports, display, ballooning,
 * USB passthrough, CPU flags and the validated `options` map. Change kinds follow qemu-server
 * QemuServer.pm vmconfig_hotplug_pending (cited per attribute).
 */
import type { AttributeSchema } from '../provider.js';

export const EFIDISK_FIELDS = ['storage', 'efitype', 'pre_enrolled_keys'] as const;
export const TPMSTATE_FIELDS = ['storage', 'version'] as const;
export const CDROM_FIELDS = ['slot', 'file'] as const;
export const USB_FIELDS = ['host', 'mapping', 'usb3'] as const;
export const VGA_FIELDS = ['type', 'memory'] as const;

export const hardwareAttributes: Record<string, AttributeSchema> = {
  // restart: not hot-pluggable (vmconfig_hotplug_pending `die "skip\n"`).
  bios: { type: 'string', optional: true, computed: true, restart: true, description: 'Firmware: "seabios" (default) or "ovmf" (UEFI, needs `efidisk` to keep its settings). Pending until the VM restarts.' },
  // added/removed: pending (`die "skip\n" if $opt eq 'efidisk0'`); another storage: `qm disk move`; efitype/keys: replace (diff.ts).
  efidisk: {
    type: { object: { storage: 'string', efitype: 'string', pre_enrolled_keys: 'bool' }, optional: ['efitype', 'pre_enrolled_keys'] },
    block: 'single',
    optional: true,
    computed: true,
    description:
      'EFI vars disk `efidisk0` for `bios = "ovmf"`: `storage`, `efitype` ("2m" or "4m", Proxmox\'s default "2m"; Secure Boot needs "4m"), `pre_enrolled_keys` ' +
      '(Microsoft and distribution keys enrolled: Secure Boot on). Adding or removing it is pending until the VM restarts; another `storage` moves it ' +
      '(`qm disk move`); another `efitype` or `pre_enrolled_keys` replaces the VM (Proxmox cannot convert the vars of an existing disk).',
  },
  // as efidisk, but a move needs the VM stopped (QemuServer.pm clone_disk); `version` "cannot be changed later on"
  // (QemuServer/Drive.pm %tpmversion_fmt): replace.
  tpmstate: {
    type: { object: { storage: 'string', version: 'string' }, optional: ['version'] },
    block: 'single',
    optional: true,
    computed: true,
    description:
      'TPM state disk `tpmstate0` (Windows 11 needs one): `storage`, `version` ("v1.2", Proxmox\'s default, or "v2.0"). Adding or removing it is pending ' +
      'until the VM restarts; another `storage` moves it (`qm disk move`, which Proxmox refuses for a running VM: a restart); another `version` ' +
      'replaces the VM (Proxmox: "this cannot be changed later on").',
  },
  // restart: `boot` is neither fast-plug nor hot-pluggable.
  boot: {
    type: { list: 'string' },
    optional: true,
    computed: true,
    restart: true,
    description: 'Boot order (`--boot order=...`): devices such as "scsi0", "ide2", "net0". Every device must exist. Default: the first disk. Pending until the VM restarts.',
  },
  // new/removed ide/sata drive pending, scsi hot-plugged; another medium in an existing drive changed live (vmconfig_update_disk).
  cdrom: {
    type: { list: { object: { slot: 'string', file: 'string' } } },
    block: 'list',
    optional: true,
    computed: true,
    description:
      'CD-ROM drives: `slot` ("ide0", "sata1"...; phoenix keeps "ide2" for the cloud-init drive when `cloud_init` is set) and `file`: an ISO volume ' +
      '(e.g. `download_file.x.volid`), "cdrom" (the host\'s drive) or "none" (empty). Another medium is changed live; adding or removing an ide/sata ' +
      'drive is pending until the VM restarts.',
  },
  // restart: not hot-pluggable.
  serial: {
    type: { list: 'string' },
    optional: true,
    computed: true,
    restart: true,
    description: 'Serial ports `serial0`..`serial3`: "socket" (a unix socket for `qm terminal`) or a host device "/dev/ttyS0". Pending until the VM restarts.',
  },
  // restart: not hot-pluggable.
  vga: {
    type: { object: { type: 'string', memory: 'number' }, optional: ['type', 'memory'] },
    block: 'single',
    optional: true,
    computed: true,
    restart: true,
    description: 'Display: `type` ("std", "virtio", "qxl", "serial0", "none"...) and `memory` in MiB (4-512). Pending until the VM restarts.',
  },
  // in place, unless it turns the balloon device on or off (vmconfig_hotplug_pending: "not hotpluggable").
  balloon: {
    type: 'number',
    optional: true,
    computed: true,
    description: 'Target memory in MiB for the balloon driver; 0 turns the balloon device off. In place, except turning it on or off (pending until the VM restarts).',
  },
  // in place: $fast_plug_option.
  shares: { type: 'number', optional: true, computed: true, description: 'Memory shares for auto-ballooning (0-50000, default 1000; 0 turns auto-ballooning off). In place.' },
  // hot-plugged when qemu-server supports USB hotplug (ostype l26 or Windows 8+), otherwise pending (diff.ts).
  usb: {
    type: { list: { object: { host: 'string', mapping: 'string', usb3: 'bool' }, optional: ['host', 'mapping', 'usb3'] } },
    block: 'list',
    optional: true,
    computed: true,
    description:
      'USB passthrough `usb0`...: `host` ("vendor:product" such as "1a86:55d4", a port "1-2.3", or "spice") or `mapping` (a cluster mapping), `usb3`. ' +
      'Hot-plugged for a Linux (`options.ostype = "l26"`) or Windows 8+ guest, otherwise pending until the VM restarts.',
  },
  // restart: as `cpu`.
  cpu_flags: {
    type: { list: 'string' },
    optional: true,
    computed: true,
    restart: true,
    description: 'CPU flags for the `cpu` model, e.g. ["+aes", "-pcid"], from Proxmox\'s VM-specific set (aes, pcid, spec-ctrl, nested-virt...). Pending until the VM restarts.',
  },
  // per key (raw-options.ts rawOptionChange).
  options: {
    type: { map: 'string' },
    optional: true,
    default: {},
    description:
      'Other qemu-server options by their config key, e.g. `{ ostype = "l26", tablet = "0", hotplug = "network,disk,usb" }`. Each key and value is checked ' +
      'against qemu-server\'s schema; keys with their own attribute are refused. In place for the keys Proxmox applies to a running VM (protection, ' +
      'hookscript, cpuunits, cpulimit...), pending until the VM restarts for the others. Removing a key deletes it on the host.',
  },
};
