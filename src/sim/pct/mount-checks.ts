/**
 * What mounting a container's mount point needs of the host: pve-container src/PVE/LXC.pm
 * __mountpoint_mount, which `pct create` (API2/LXC.pm create_vm → mount_all), the pre-start hook of every
 * start (src/lxc-pve-prestart-hook → mountpoint_stage) and the hotplug of a new mount point into a
 * running CT (LXC.pm mountpoint_hotplug → mountpoint_stage) all go through:
 * - Config.pm classify_mountpoint: a volume that is an absolute path is a `device` mount under /dev/,
 *   else a `bind` mount; anything else is a storage volume (the simulator allocated it: always there).
 * - bind: `die "directory '$volid' does not exist\n" if !-d $volid` (also for a path that is a file).
 * - device: PVE::Tools::run_command(['mount', @extra_opts, $volid, $mount_path]); mount(8) refuses a
 *   path that is no block device (util-linux libmount mnt_context_get_mount_excode, exit code 32) and
 *   PVE::Cmd dies "command '...' failed: exit code 32".
 * The callers report a failure each their own way (see create.ts, set.ts, start-checks.ts).
 */
import { parsePropString } from '../core/schema.js';
import type { SimEnv } from '../core/env.js';
import { HOST_DEVICES, isHostDirectory } from '../hostfs.js';
import { MP_FORMAT } from './schema.js';

export type MountType = 'volume' | 'bind' | 'device';

/** Config.pm classify_mountpoint. */
export function classifyMountpoint(volume: string): MountType {
  if (!volume.startsWith('/')) return 'volume';
  return volume.startsWith('/dev/') ? 'device' : 'bind';
}

export interface MountFailure {
  /** What mount(8) printed on stderr before PVE's error (device mounts). */
  output: string[];
  /** The error __mountpoint_mount dies with. */
  error: string;
  /** The exit status of the pre-start hook that dies with it (Perl's die: errno, else `$? >> 8`). */
  hookStatus: number;
}

/** The mount path a caller mounts mount point `key` (inside the CT at `mp`) on. */
export type MountTarget = (key: string, mp: string) => string;

/** Where LXC.pm get_staging_mount_path stages a mount point before moving it into the container. */
export const stagingPath: MountTarget = (key) => `/var/lib/lxc/.pve-staged-mounts/${key}`;

/** Where LXC.pm mount_all mounts a mount point (create): "$rootdir/$mount", $mount's slash runs made one. */
export const rootfsMountPath = (vmid: number): MountTarget => (_key, mp) => `/var/lib/lxc/${vmid}/rootfs/${mp.replace(/\/+/g, '/')}`;

/**
 * Why mounting `mpN` (its config value) onto `target` fails on this host, or undefined when it mounts.
 * `target` is the mount path the caller passes; `rootfs` is never a bind or device mount here.
 */
export function mountFailure(env: SimEnv, key: string, value: string, target: MountTarget): MountFailure | undefined {
  if (!/^mp\d+$/.test(key)) return undefined;
  const mp = parsePropString(key, value, MP_FORMAT, {});
  const volume = mp.volume!;
  const type = classifyMountpoint(volume);
  if (type === 'bind') {
    // `-d` fails with errno ENOENT for a missing path: the hook exits with 2.
    return isHostDirectory(env, volume) ? undefined : { output: [], error: `directory '${volume}' does not exist`, hookStatus: 2 };
  }
  if (type !== 'device' || HOST_DEVICES[volume]?.type === 'b') return undefined;
  // LXC.pm __mountpoint_mount: mountoptions and acl as one -o, then ro, then quota (not for ro).
  const options = [...(mp.mountoptions?.split(';') ?? []), ...(mp.acl === '1' ? ['acl'] : [])];
  const args = ['mount', ...(options.length ? ['-o', options.join(',')] : [])];
  if (mp.ro === '1') args.push('-o', 'ro');
  else if (mp.quota === '1') args.push('-o', 'usrjquota=aquota.user,grpjquota=aquota.group,jqfmt=vfsv0');
  const path = target(key, mp.mp!);
  const exists = volume in HOST_DEVICES || isHostDirectory(env, volume);
  // libmount canonicalises the target it names; PVE quotes the command as it ran it.
  const reason = exists ? `${volume} is not a block device` : `special device ${volume} does not exist`;
  return {
    output: [`mount: ${path.replace(/\/+/g, '/')}: ${reason}.`, '       dmesg(1) may have more information after failed mount system call.'],
    error: `command '${[...args, volume, path].join(' ')}' failed: exit code 32`,
    hookStatus: 32,
  };
}

/** The first mount point (rootfs, mp0, mp1, ...: Config.pm valid_volume_keys) that cannot be mounted. */
export function firstMountFailure(env: SimEnv, values: Record<string, string>, target: MountTarget): MountFailure | undefined {
  const keys = Object.keys(values)
    .filter((key) => /^mp\d+$/.test(key))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  for (const key of keys) {
    const failure = mountFailure(env, key, values[key]!, target);
    if (failure) return failure;
  }
  return undefined;
}
