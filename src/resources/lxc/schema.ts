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
    // in place: vmconfig_hotplug_pending changes the cgroup's cpu quota at once.
    cpulimit: {
      type: 'number',
      optional: true,
      computed: true,
      description: 'CPU time limit in cores (`--cpulimit`, 0 to 8192, fractions allowed; 0 = no limit); hot-plugged.',
    },
    // in place: vmconfig_hotplug_pending changes the cgroup's cpu weight at once.
    cpuunits: { type: 'number', optional: true, computed: true, description: 'CPU weight (`--cpuunits`, 0 to 500000; cgroup v2 clamps to 1..10000); hot-plugged.' },
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
      type: {
        object: { nesting: 'bool', keyctl: 'bool', fuse: 'bool', mknod: 'bool', mount: { list: 'string' } },
        optional: ['nesting', 'keyctl', 'fuse', 'mknod', 'mount'],
      },
      block: 'single',
      optional: true,
      computed: true,
      restart: true,
      description:
        'Container features (`--features`): `nesting` (e.g. Docker), `keyctl` (unprivileged containers), `fuse`, `mknod` (unprivileged containers, ' +
        'kernel 5.3+), `mount` (file system types the container may mount, e.g. ["nfs", "cifs"]). `force_rw_sys` is kept as the host has it. ' +
        'Pending until the container restarts (see `reboot_after_update`).',
    },
    // in place: $LXC_FASTPLUG_OPTIONS.
    protection: {
      type: 'bool',
      optional: true,
      computed: true,
      description:
        'Protection flag (`--protection`): Proxmox refuses to destroy the container or change its disks while it is set. ' +
        'phoenix refuses at plan to destroy or replace a protected container; set it to false and apply first.',
    },
    // per device (devices.ts): a new devN is hot-plugged; a change or removal waits in [pve:pending].
    device: {
      type: {
        list: { object: { path: 'string', mode: 'string', uid: 'number', gid: 'number', deny_write: 'bool' }, optional: ['mode', 'uid', 'gid', 'deny_write'] },
      },
      block: 'list',
      optional: true,
      computed: true,
      restart: true,
      description:
        'Devices passed through (`dev0`, `dev1`... in order): `path` (a node under /dev, e.g. "/dev/dri/renderD128", or for an NVIDIA GPU /dev/nvidia0, /dev/nvidiactl, /dev/nvidia-uvm and /dev/nvidia-uvm-tools), `mode` (octal, "0660"), ' +
        '`uid` and `gid` of the node inside the container, `deny_write`; plan checks that the node has it. A new device is hot-plugged into a running container; changing or ' +
        'removing one takes effect at the next start (see `reboot_after_update`).',
    },
    // restart: a raw lxc.* line, read by lxc-start only.
    apparmor_profile: {
      type: 'string',
      optional: true,
      restart: true,
      description:
        'AppArmor profile (`lxc.apparmor.profile`), e.g. "unconfined" or a profile loaded on the host. Unset, Proxmox generates one from ' +
        '`features`; a set profile overrides what nesting, fuse and mount add to it (pve-container make_apparmor_config). Takes effect at the next start.',
    },
    // restart: raw lxc.idmap lines, read by lxc-start only.
    id_map: {
      type: {
        list: {
          object: { container_uid: 'number', host_uid: 'number', container_gid: 'number', host_gid: 'number', count: 'number' },
          optional: ['container_uid', 'host_uid', 'container_gid', 'host_gid', 'count'],
        },
      },
      block: 'list',
      optional: true,
      default: [],
      restart: true,
      description:
        'Ids mapped through to the host: `container_uid` → `host_uid` and/or `container_gid` → `host_gid`, `count` ids from there (default 1). ' +
        'phoenix writes the full `lxc.idmap` ranges: the mapped ids, and every other id of 0..65535 shifted to 100000 + id as for any ' +
        'unprivileged container. The host must allow root to map those ids (`root:1000:1` in /etc/subuid and /etc/subgid; plan checks it for ' +
        'a new container). Needs `unprivileged = true`. ' +
        'Takes effect at the next start (see `reboot_after_update`).',
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
          object: {
            slot: 'string', volume: 'string', path: 'string', size: 'string', backup: 'bool', read_only: 'bool', mount_options: { list: 'string' },
            acl: 'bool', quota: 'bool', replicate: 'bool', shared: 'bool', owner_uid: 'number', owner_gid: 'number', host_owner: 'string',
          },
          optional: ['size', 'backup', 'read_only', 'mount_options', 'acl', 'quota', 'replicate', 'shared', 'owner_uid', 'owner_gid', 'host_owner'],
        },
      },
      block: 'list',
      optional: true,
      computed: true,
      restart: true,
      description:
        'Mount points: `slot` ("mp0"), `volume` (a host path such as a dataset mountpoint for a bind mount, or a storage ID to allocate a new volume of `size`), ' +
        '`path` (inside the container), `size`, `backup`, `read_only`, `mount_options` (noatime, nosuid, nodev, noexec, discard, lazytime), ' +
        '`acl`, `quota`, `replicate` (default true), `shared`; `owner_uid` / `owner_gid`: the owner, as the container sees it, of a bind ' +
        'mount\'s host directory — apply runs `chown` on the node with the container\'s uid shift (100000 + id, or the `id_map`), shown as ' +
        '`host_owner` ("HOSTUID:HOSTGID", computed). Plan checks on the node that a bind mount\'s host directory exists and that a `/dev/` volume ' +
        'is a block device (Proxmox mounts every mount point at create, start and hotplug, and refuses a missing one), for a new container and for ' +
        'the mount points an update adds. Changed in place with `pct set`: a new slot is hot-plugged into a running ' +
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
