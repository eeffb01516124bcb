/**
 * The `lxc` resource schema: a Proxmox container as `pct` sees it. Change classification follows
 * pve-container's LXC/Config.pm (forceNew = no in-place path; restart = pending while the CT runs, see
 * vmconfig_hotplug_pending; value-dependent cases in diff.ts and mountpoints.ts).
 */
import type { ResourceSchema } from '../provider.js';
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

export const NETWORK_FIELDS = ['name', 'bridge', 'ip', 'gw', 'ip6', 'gw6', 'hwaddr', 'tag', 'firewall', 'mtu'] as const;
export const MOUNTPOINT_FIELDS = ['slot', 'volume', 'path', 'size', 'backup', 'read_only'] as const;

export const lxcSchema: ResourceSchema = {
  description: 'A Proxmox LXC container, created from an OS template or cloned from another container.',
  attributes: {
    vmid: vmidAttribute,
    node: nodeAttribute,
    // in place: $LXC_FASTPLUG_OPTIONS (Config.pm vmconfig_hotplug_pending) writes it at once; the guest reads it at its next start.
    hostname: { type: 'string', optional: true, computed: true, description: 'Container hostname (`--hostname`); reaches the guest on its next restart.' },
    // replace: only `pct create` takes it.
    ostemplate: {
      type: 'string',
      optional: true,
      forceNew: true,
      description: 'OS template volume to create from, e.g. "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst". Exactly one of `ostemplate` and `clone`.',
    },
    // replace: only `pct clone` makes a container from another.
    clone: {
      type: { object: { source_vmid: 'number', snapshot: 'string', full: 'bool', storage: 'string' }, optional: ['snapshot', 'full', 'storage'] },
      block: 'single',
      optional: true,
      forceNew: true,
      description:
        'Clone another container: `source_vmid`, `snapshot` (clone from this snapshot, e.g. `snapshot.base.name`), `full` (full copy; ' +
        'always true for non-templates), `storage` (target storage of a full clone). Features installed before the snapshot count as present.',
    },
    // in place: $LXC_FASTPLUG_OPTIONS.
    cores: { type: 'number', optional: true, computed: true, description: 'CPU cores (`--cores`); hot-plugged.' },
    // in place: vmconfig_hotplug_pending $hotplug_memory (cgroup limits).
    memory: { type: 'number', optional: true, computed: true, description: 'Memory in MiB (`--memory`, Proxmox default 512); hot-plugged.' },
    // in place: vmconfig_hotplug_pending $hotplug_memory.
    swap: { type: 'number', optional: true, computed: true, description: 'Swap in MiB (`--swap`, Proxmox default 512); hot-plugged.' },
    // grow in place (API2/LXC.pm resize_vm); another storage: move_volume of the stopped CT (restart); shrink replaces (diff.ts).
    rootfs: {
      type: { object: { storage: 'string', size: 'string' }, optional: ['size'] },
      block: 'single',
      optional: true,
      computed: true,
      description:
        'Root disk: `storage` (a Proxmox storage ID) and `size` ("8G", "8192M" or 8 = GiB). Growing resizes online (`pct resize`); another ' +
        'storage moves the disk with its data (`pct move-volume`, which needs the container stopped: a restart); shrinking replaces the container.',
    },
    // in place: vmconfig_hotplug_pending → PVE::LXC::update_net.
    network: {
      type: {
        list: {
          object: { name: 'string', bridge: 'string', ip: 'string', gw: 'string', ip6: 'string', gw6: 'string', hwaddr: 'string', tag: 'number', firewall: 'bool', mtu: 'number' },
          optional: ['ip', 'gw', 'ip6', 'gw6', 'hwaddr', 'tag', 'firewall', 'mtu'],
        },
      },
      block: 'list',
      optional: true,
      computed: true,
      description:
        'Network interfaces `net0`, `net1`... in order: `name` (eth0), `bridge`, `ip` ("dhcp" or CIDR), `gw`, `ip6`, `gw6`, `tag` (VLAN), `firewall`, `mtu`, ' +
        '`hwaddr` (MAC; when unset the MAC Proxmox generated is kept and sent back on every change).',
    },
    // replace: update_pct_config dies "unable to modify read-only option".
    unprivileged: { type: 'bool', optional: true, computed: true, forceNew: true, description: 'Run as an unprivileged container (read-only after create: a change replaces the container).' },
    // restart: not in $LXC_FASTPLUG_OPTIONS nor hot-plugged, so it waits in [pve:pending] (vmconfig_hotplug_pending `die "skip\n"`).
    features: {
      type: { object: { nesting: 'bool', keyctl: 'bool', fuse: 'bool' }, optional: ['nesting', 'keyctl', 'fuse'] },
      block: 'single',
      optional: true,
      computed: true,
      restart: true,
      description: 'Container features (`--features`): `nesting` (e.g. Docker), `keyctl`, `fuse`. Pending until the container restarts (see `reboot_after_update`).',
    },
    onboot: onbootAttribute,
    startup: startupAttribute,
    // restart: pending like `features` (vmconfig_hotplug_pending).
    nameserver: { type: 'string', optional: true, computed: true, restart: true, description: 'DNS servers, space separated. Pending until the container restarts (see `reboot_after_update`).' },
    // restart: pending like `features` (vmconfig_hotplug_pending).
    searchdomain: { type: 'string', optional: true, computed: true, restart: true, description: 'DNS search domain. Pending until the container restarts (see `reboot_after_update`).' },
    tags: tagsAttribute,
    description: descriptionAttribute,
    // per slot (mountpoints.ts): add hot-plugs, change/delete pending, grow resize_vm, shrink replaces.
    mountpoint: {
      type: {
        list: {
          object: { slot: 'string', volume: 'string', path: 'string', size: 'string', backup: 'bool', read_only: 'bool' },
          optional: ['size', 'backup', 'read_only'],
        },
      },
      block: 'list',
      optional: true,
      computed: true,
      restart: true,
      description:
        'Mount points: `slot` ("mp0"), `volume` (a host path such as a dataset mountpoint for a bind mount, or a storage ID to allocate a new volume of `size`), ' +
        '`path` (inside the container), `size`, `backup`, `read_only`. Changed in place with `pct set`: a new slot is hot-plugged into a running ' +
        'container; changing a slot\'s options or bind source, or removing it, takes effect at the next start (a removed volume stays on the host ' +
        'as `unusedN`, its data kept); a volume grows online with `pct resize`; another storage moves the volume with its data (`pct move-volume`, ' +
        'which needs the container stopped: a restart). Only shrinking a volume replaces the container.',
    },
    // replace: only `pct create` takes it.
    password: { type: 'string', optional: true, sensitive: true, forceNew: true, description: 'Root password, set at create only (a change replaces the container).' },
    // replace: only `pct create` takes it.
    ssh_public_keys: { type: 'string', optional: true, sensitive: true, forceNew: true, description: 'Root authorized_keys content, set at create only (a change replaces the container).' },
    state: stateAttribute,
    // false→true in place (`pct template`, API2/LXC.pm template); true→false has no path: replace (diff.ts).
    template: { type: 'bool', optional: true, default: false, description: 'Convert into a template (`pct template`). One way: turning it off replaces the container.' },
    // restart: raw lxc.* keys are read by lxc-start only (PVE::LXC update_lxc_config at start).
    lxc_raw: {
      type: { list: 'string' },
      optional: true,
      default: [],
      restart: true,
      description:
        'Raw `lxc.*` config lines ("lxc.apparmor.profile: unconfined", "lxc.cgroup2.devices.allow: c 10:200 rwm", mount entries, idmaps), ' +
        'written into the guest config under its lock. They take effect when the container restarts (see `reboot_after_update`). ' +
        'One line per element, and only the `lxc.*` keys pve-container keeps as raw lines (no Proxmox options, no sections).',
    },
    // restart: raw lxc.* keys, as `lxc_raw`.
    gpus: {
      type: { list: 'number' },
      optional: true,
      default: [],
      restart: true,
      description:
        'NVIDIA GPU indices to pass through: adds bind mounts of /dev/nvidiaN, /dev/nvidiactl, /dev/nvidia-uvm and /dev/nvidia-uvm-tools and the ' +
        'cgroup2 rule for major 195. nvidia-uvm\'s major number is host-specific (see /proc/devices): allow it with an `lxc_raw` line. ' +
        'Takes effect when the container restarts (see `reboot_after_update`).',
    },
    reboot_after_update: rebootAfterUpdateAttribute,
    pending_changes: pendingChangesAttribute,
    snapshots: snapshotsAttribute,
    health_check: healthCheckAttribute,
  },
};

/** Attributes only sent at create: an imported container has none of them in state. */
export const LXC_CREATE_ONLY = ['ostemplate', 'clone', 'password', 'ssh_public_keys'] as const;
