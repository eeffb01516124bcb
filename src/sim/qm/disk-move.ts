/**
 * `qm disk move <vmid> <disk> <storage> [--delete 1]` (alias `qm move-disk`), qemu-server API2/Qemu.pm
 * move_vm_disk: the early checks die before the worker forks (exit 255); the copy gives the drive a new
 * volume on the target storage (online for a running VM: drive-mirror) and keeps the source as `unusedN`,
 * or frees it with `--delete 1`.
 */
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { parsePropString, printPropString } from '../core/schema.js';
import { allocateVolume, freeOwnVolume, splitVolid } from '../guest/disks.js';
import { addUnusedVolume } from '../guest/config-update.js';
import { assertNotLocked, isRunning, loadConfig, saveConfig, withGuestTask } from '../guest/store.js';
import { findStorage, storageContent } from '../storage/config.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import { driveSize, isCdrom, volumesOf } from './normalize.js';
import { DRIVE_FORMAT, isDriveKey } from './schema.js';

export async function qmDiskMove(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'qm disk move <vmid> <disk> [<storage>] [OPTIONS]',
      positionals: [vmidArg, arg('disk', { type: 'string', check: (v) => (isDriveKey(v) || /^unused\d+$/.test(v) ? undefined : `value '${v}' does not have a value in the enumeration`) }), arg('storage')],
      options: { delete: { type: 'boolean' }, digest: { type: 'string' }, format: { type: 'string', enum: ['raw', 'qcow2', 'vmdk'] }, bwlimit: { type: 'integer', min: 0 } },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const key = parsed.positionals.disk!;
  const target = parsed.positionals.storage!;
  const remove = parsed.options.delete === '1';
  const { env } = ctx;
  await withGuestTask(env, 'qemu', vmid, () => {
    const { file } = loadConfig(env, 'qemu', vmid);
    const values = file.current.values;
    assertNotLocked('qemu', values);
    const value = values[key];
    if (!value) throw new SimError(`disk '${key}' does not exist`);
    const drive = parsePropString(key, value, DRIVE_FORMAT, {});
    if (!drive.file) throw new SimError(`disk '${key}' has no associated volume`);
    if (isCdrom(value)) throw new SimError(`you can't move a cdrom`);
    const source = splitVolid(drive.file);
    if (source?.storage === target) throw new SimError('you can\'t move to the same storage with same format');
    if (!storageContent(findStorage(env, target)).has('images')) throw verificationError({ storage: `storage '${target}' does not support vm images` });
    const snapshotted = [...file.sections.values()].some((section) => volumesOf(section.values).includes(drive.file!));
    if (snapshotted && remove) throw new SimError("you can't move a disk with snapshots and delete the source");
    // QemuServer.pm clone_disk: a running VM's drives are mirrored, which swtpm's state cannot be.
    if (key === 'tpmstate0' && isRunning(env, vmid)) throw new SimError('cannot move TPM state while VM is running');
    const zfs = loadZfs(env);
    const old = drive.file;
    // Storage/Plugin.pm find_free_diskname numbers the new volume among the target storage's volumes only.
    const taken = new Set(volumesOf(values).filter((volid) => splitVolid(volid)?.storage === target));
    drive.file = allocateVolume(env, zfs, { kind: 'qemu', vmid, storageId: target, bytes: driveSize(value), taken });
    values[key] = printPropString(drive, DRIVE_FORMAT);
    if (remove) freeOwnVolume(env, zfs, vmid, old);
    else addUnusedVolume(values, old);
    saveZfs(env, zfs);
    saveConfig(env, 'qemu', vmid, file);
  });
}
