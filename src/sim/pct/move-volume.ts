/**
 * `pct move-volume <vmid> <volume> <storage> [--delete 1]` (alias `move_volume`), pve-container
 * API2/LXC.pm move_volume to another storage: the checks under the config lock die before the worker
 * (a running CT, an `unusedN` key, a snapshotted source with --delete); the worker copies the volume
 * (PVE::LXC::copy_volume: volumes only) and keeps the source as `unusedN` unless --delete.
 */
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { EXIT_TASK_FAILURE, SimError } from '../core/errors.js';
import { parsePropString, printPropString } from '../core/schema.js';
import { allocateVolume, freeOwnVolume, sizeOption, splitVolid } from '../guest/disks.js';
import { addUnusedVolume } from '../guest/config-update.js';
import { assertNotLocked, isRunning, loadConfig, saveConfig, withGuestTask } from '../guest/store.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import { diskFormat, volumesOf } from './normalize.js';

const VOLUME_KEY = /^(rootfs|mp\d+|unused\d+)$/;

export async function pctMoveVolume(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pct move-volume <vmid> <volume> [<storage>] [<target-vmid>] [<target-volume>] [OPTIONS]',
      positionals: [
        vmidArg,
        arg('volume', { type: 'string', check: (v) => (VOLUME_KEY.test(v) ? undefined : `value '${v}' does not have a value in the enumeration`) }),
        arg('storage'),
      ],
      options: { delete: { type: 'boolean' }, digest: { type: 'string' }, bwlimit: { type: 'number', min: 0 } },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const key = parsed.positionals.volume!;
  const target = parsed.positionals.storage!;
  const remove = parsed.options.delete === '1';
  const { env } = ctx;
  await withGuestTask(env, 'lxc', vmid, () => {
    const { file } = loadConfig(env, 'lxc', vmid);
    const values = file.current.values;
    assertNotLocked('lxc', values);
    if (isRunning(env, vmid)) throw new SimError('cannot move volumes of a running container');
    if (/^unused\d+$/.test(key)) throw new SimError(`cannot move volume '${key}', only configured volumes can be moved to another storage`);
    const value = values[key];
    if (value === undefined) throw new SimError(`volume '${key}' for container '${vmid}' does not exist`);
    const mount = parsePropString(key, value, diskFormat(key), {});
    const source = mount.volume!;
    const snapshotted = [...file.sections.values()].some((section) => volumesOf(section.values).includes(source));
    if (snapshotted && remove) throw new SimError("you can't move a volume with snapshots and delete the source");
    // The worker: PVE::LXC::copy_volume refuses bind and device mounts.
    if (!splitVolid(source)) throw new SimError(`cannot copy volumes of type ${source.startsWith('/dev/') ? 'device' : 'bind'}`, EXIT_TASK_FAILURE);
    const zfs = loadZfs(env);
    const taken = new Set(volumesOf(values).filter((volid) => splitVolid(volid)?.storage === target));
    mount.volume = allocateVolume(env, zfs, { kind: 'lxc', vmid, storageId: target, bytes: sizeOption(mount), taken });
    values[key] = printPropString(mount, diskFormat(key));
    if (remove) freeOwnVolume(env, zfs, vmid, source);
    else addUnusedVolume(values, source);
    saveZfs(env, zfs);
    saveConfig(env, 'lxc', vmid, file);
  });
}
