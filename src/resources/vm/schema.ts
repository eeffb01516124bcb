/**
 * The `vm` resource schema: a QEMU virtual machine as `qm` sees it, created from scratch (disks, optionally
 * imported from a cloud image) or cloned. Change classification follows proxmox-cli.md §4.
 */
import type { ResourceSchema } from '../provider.js';
import { hardwareAttributes } from './hardware-schema.js';
import { healthCheckAttribute } from '../proxmox/health.js';
import { pendingChangesAttribute, rebootAfterUpdateAttribute } from '../proxmox/restart.js';
import {
  descriptionAttribute,
  nodeAttribute,
  onbootAttribute,
  snapshotsAttribute,
  startupAttribute,
  stateAttribute,
  tagsAttribute,
  vmidAttribute,
} from '../proxmox/guest-schema.js';

/** qemu-server src/PVE/QemuServer/Network.pm $nic_model_list. */
export const VM_NIC_MODELS: readonly string[] = [
  'e1000', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'e1000e', 'i82551', 'i82557b', 'i82559er',
  'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio', 'vmxnet3',
];

/** qemu-server src/PVE/QemuServer/Drive.pm: ide0-3, sata0-5, scsi0-30, virtio0-15 ($MAX_*_DISKS). */
export const VM_DISK_SLOT = /^(?:ide[0-3]|sata[0-5]|scsi(?:[0-9]|[12][0-9]|30)|virtio(?:[0-9]|1[0-5]))$/;

export const VM_NETWORK_FIELDS = ['model', 'bridge', 'hwaddr', 'tag', 'firewall', 'mtu'] as const;
export const DISK_FIELDS = ['slot', 'storage', 'size', 'import_from', 'discard', 'ssd', 'iothread', 'cache', 'aio', 'backup', 'replicate'] as const;
export const CLOUD_INIT_FIELDS = ['user', 'password', 'ssh_public_keys', 'ipconfig', 'nameserver', 'searchdomain'] as const;

export const vmSchema: ResourceSchema = {
  description: 'A Proxmox QEMU virtual machine, created from scratch or cloned from a template. Hardware and what each change does to a running VM: [vm-hardware.md](vm-hardware.md).',
  attributes: {
    vmid: vmidAttribute,
    node: nodeAttribute,
    // in place: $fast_plug_option (QemuServer.pm vmconfig_hotplug_pending).
    name: { type: 'string', optional: true, computed: true, description: 'VM name (`--name`).' },
    // replace: only `qm clone` makes a VM from another.
    clone: {
      type: { object: { source_vmid: 'number', full: 'bool', snapshot: 'string', storage: 'string' }, optional: ['full', 'snapshot', 'storage'] },
      block: 'single',
      optional: true,
      forceNew: true,
      description: 'Clone another VM or template: `source_vmid`, `full` (full copy instead of a linked clone), `snapshot`, `storage` (target of a full clone).',
    },
    // restart: vmconfig_hotplug_pending hot-plugs `vcpus` only; `cores` waits in [PENDING].
    cores: { type: 'number', optional: true, computed: true, restart: true, description: 'Cores per socket. Pending until the VM restarts (qemu-server hot-plugs only `vcpus`).' },
    // restart: as `cores`.
    sockets: { type: 'number', optional: true, computed: true, restart: true, description: 'CPU sockets. Pending until the VM restarts.' },
    // restart: hot-plugged only with the `memory` hotplug feature and NUMA, which phoenix does not set.
    memory: { type: 'number', optional: true, computed: true, restart: true, description: 'Memory in MiB. Pending until the VM restarts (phoenix does not turn on memory hotplug, which needs NUMA).' },
    // restart: not hot-pluggable (vmconfig_hotplug_pending `die "skip\n"`).
    cpu: {
      type: 'string',
      optional: true,
      computed: true,
      restart: true,
      description: 'CPU model, e.g. "host", "x86-64-v2-AES" or "EPYC-Rome" (qemu-server\'s list), or a "custom-NAME" model. Pending until the VM restarts.',
    },
    // restart: not hot-pluggable (vmconfig_hotplug_pending `die "skip\n"`).
    machine: {
      type: 'string',
      optional: true,
      computed: true,
      restart: true,
      description:
        'QEMU machine type (`--machine`): "q35", "pc", a versioned "pc-q35-9.2+pve1", optionally with `,viommu=intel|virtio`. ' +
        'PCIe passthrough (`hostpci` with `pcie=1`) needs a q35 machine. Pending until the VM restarts.',
    },
    // restart: not hot-pluggable.
    scsihw: { type: 'string', optional: true, computed: true, restart: true, description: 'SCSI controller, e.g. "virtio-scsi-pci" (set at create when disks are given). Pending until the VM restarts.' },
    // per disk (diff.ts): add/scsi-virtio removal hot-plugged, move `qm disk move`, grow resize_vm, shrink replaces.
    disks: {
      type: {
        list: {
          object: {
            slot: 'string', storage: 'string', size: 'string', import_from: 'string',
            discard: 'bool', ssd: 'bool', iothread: 'bool', cache: 'string', aio: 'string', backup: 'bool', replicate: 'bool',
          },
          optional: ['size', 'import_from', 'discard', 'ssd', 'iothread', 'cache', 'aio', 'backup', 'replicate'],
        },
      },
      block: 'list',
      optional: true,
      computed: true,
      description:
        'Disks: `slot` ("scsi0", "virtio1"...), `storage`, `size` ("32G"), `import_from` (host path of an image to import, e.g. a cloud image). ' +
        'Growing resizes online (`qm disk resize`); adding a disk hot-plugs it; removing one detaches it (scsi/virtio at once, ide/sata at the next ' +
        'start) and Proxmox keeps its volume as `unusedN`; another `storage` moves the disk online (`qm disk move --delete 1`); only shrinking a disk ' +
        'or changing its `import_from` replaces the VM. Options: `discard` (pass TRIM to the storage), `ssd` (not for virtio), `iothread` (virtio, or scsi ' +
        'with `scsihw = "virtio-scsi-single"`), `cache` ("none", "writethrough", "writeback", "unsafe", "directsync"), `aio` ("native", "threads", "io_uring"), ' +
        '`backup` and `replicate` (default true). `backup`/`replicate` change in place; the others are pending until the VM restarts.',
    },
    // in place: vmconfig_hotplug_pending → vmconfig_update_net (hotplug `network`, on by default).
    network: {
      type: {
        list: { object: { model: 'string', bridge: 'string', hwaddr: 'string', tag: 'number', firewall: 'bool', mtu: 'number' }, optional: ['model', 'hwaddr', 'tag', 'firewall', 'mtu'] },
      },
      block: 'list',
      optional: true,
      computed: true,
      description:
        'NICs `net0`, `net1`... in order: `model` (default "virtio"), `bridge`, `tag` (VLAN), `firewall`, `mtu`, `hwaddr` ' +
        '(when unset the generated MAC is kept and sent back on every change). Hot-plugged.',
    },
    // restart: cloud-init options are $fast_plug_option, but the guest reads them only at its next boot.
    cloud_init: {
      type: {
        object: { user: 'string', password: 'string', ssh_public_keys: 'string', ipconfig: { list: 'string' }, nameserver: 'string', searchdomain: 'string' },
        optional: ['user', 'password', 'ssh_public_keys', 'ipconfig', 'nameserver', 'searchdomain'],
      },
      block: 'single',
      optional: true,
      computed: true,
      restart: true,
      sensitiveFields: ['password'],
      description:
        'Cloud-init settings: `user`, `password` (sensitive), `ssh_public_keys`, `ipconfig` (list for ipconfig0.. e.g. "ip=10.0.0.5/24,gw=10.0.0.1"), ' +
        '`nameserver`, `searchdomain`. A change runs `qm cloudinit update`; the guest sees it at its next boot (see `reboot_after_update`).',
    },
    // restart: vmconfig_update_agent skips every change but fstrim_cloned_disks: pending until the next start.
    agent: {
      type: 'bool',
      optional: true,
      computed: true,
      restart: true,
      description: 'Enable the QEMU guest agent (needed for features and health checks). Pending until the VM restarts.',
    },
    onboot: onbootAttribute,
    startup: startupAttribute,
    // false→true in place (`qm template`); true→false has no path: replace (diff.ts).
    template: { type: 'bool', optional: true, default: false, description: 'Convert into a template (`qm template`). One way: turning it off replaces the VM.' },
    state: stateAttribute,
    // restart: not hot-pluggable.
    hostpci: {
      type: { list: 'string' },
      optional: true,
      computed: true,
      restart: true,
      description: 'PCI passthrough devices `hostpci0`..., e.g. "0000:01:00,pcie=1,x-vga=1" or a mapping "mapping=gpu0". Pending until the VM restarts.',
    },
    ...hardwareAttributes,
    tags: tagsAttribute,
    description: descriptionAttribute,
    health_check: healthCheckAttribute,
    reboot_after_update: rebootAfterUpdateAttribute,
    pending_changes: pendingChangesAttribute,
    snapshots: snapshotsAttribute,
  },
};

export const VM_CREATE_ONLY = ['clone'] as const;
