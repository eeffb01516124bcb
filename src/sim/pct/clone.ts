/** `pct clone <vmid> <newid> [--hostname] [--full] [--snapname] [--storage] ...` (API2/LXC.pm clone_vm). */
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { EXIT_TASK_FAILURE, SimError } from '../core/errors.js';
import { parsePropString, printPropString, SNAPNAME, VMID } from '../core/schema.js';
import { formatPveSize } from '../core/sizes.js';
import { cloneSource, cloneVolume, copyMs, copyThenUnlock, saveClone } from '../guest/clone.js';
import { emptyConfigFile } from '../guest/config-file.js';
import { sizeOption } from '../guest/disks.js';
import { DNS_NAME } from '../guest/normalize.js';
import { isHostPathMount } from '../guest/snapshots.js';
import { classifyMountpoint } from './mount-checks.js';
import { assertVmidUnused, isRunning, loadConfig, removeConfigLock, setConfigLock, withGuestTask } from '../guest/store.js';
import { loadZfs } from '../zfs/model.js';
import { diskFormat, LXC_DISKS, normaliseNet } from './normalize.js';
import { isDiskKey, NET_FORMAT } from './schema.js';

const SPEC = {
  usage: 'pct clone <vmid> <newid> [OPTIONS]',
  positionals: [vmidArg, arg('newid', VMID)],
  options: {
    hostname: DNS_NAME,
    full: { type: 'boolean' as const },
    snapname: SNAPNAME,
    storage: { type: 'string' as const },
    description: { type: 'string' as const },
    pool: { type: 'string' as const },
    bwlimit: { type: 'number' as const, min: 0 },
    target: { type: 'string' as const },
  },
};

/** Keys that belong to the source guest's history or state, not to a clone. */
const NOT_CLONED = /^(parent|snaptime|lock|template|unused\d+|vmstate)$/;

/**
 * pve-container API2/LXC.pm clone_vm: set_lock($vmid, 'disk') on the source first (refused while it has
 * another lock: "CT is locked (…)"), the new CT written with lock 'create', the copy, then both locks
 * removed — on failure too. So for the whole copy every command on the source is refused with
 * "CT is locked (disk)", a second clone of it included.
 */
export async function pctClone(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(SPEC, args);
  const vmid = Number(parsed.positionals.vmid);
  const newid = Number(parsed.positionals.newid);
  const { env } = ctx;
  await setConfigLock(env, 'lxc', vmid, 'disk', EXIT_TASK_FAILURE);
  try {
    const bytes = await withGuestTask(env, 'lxc', newid, () => writeClone(ctx, vmid, newid, parsed.options));
    await copyThenUnlock(env, 'lxc', newid, copyMs(env, bytes));
  } finally {
    await removeConfigLock(env, 'lxc', vmid, 'disk');
  }
}

/** The new CT's config (locked 'create'), volumes and files; returns the bytes its full copies move. */
function writeClone(ctx: CommandContext, vmid: number, newid: number, options: Record<string, string | undefined>): number {
  const { env } = ctx;
  const { file: source } = loadConfig(env, 'lxc', vmid, EXIT_TASK_FAILURE);
  assertVmidUnused(env, newid);
  const snapname = options.snapname;
  const from = cloneSource(source, snapname);
  const isTemplate = source.current.values.template === '1';
  const full = options.full === '1' || !isTemplate;
  if (full && snapname === undefined && isRunning(env, vmid)) {
    throw new SimError('Full clone of a running container is only possible from a snapshot');
  }
  if (!full && options.storage) throw new SimError(`storage: linked clone feature is not supported for storage '${options.storage}'`);

  const zfs = loadZfs(env);
  const clone = emptyConfigFile();
  const values = clone.current.values;
  clone.current.description = options.description ?? from.description;
  clone.current.lxc = from.lxc.map(([k, v]) => [k, v] as [string, string]);
  const taken = new Set<string>();
  let bytes = 0;
  for (const [key, value] of Object.entries(from.values)) {
    if (NOT_CLONED.test(key)) continue;
    if (/^net\d+$/.test(key)) {
      const net = parsePropString(key, value, NET_FORMAT, {});
      delete net.hwaddr;
      values[key] = normaliseNet(key, Object.entries(net).map(([k, v]) => `${k}=${v}`).join(','));
    } else if (isDiskKey(key)) {
      // API2/LXC.pm clone_vm: only storage volumes are copied ("TODO: allow bind mounts?").
      if (isHostPathMount(key, value)) {
        throw new SimError(`unable to clone mountpoint '${key}' (type ${classifyMountpoint(value.split(',')[0]!.replace(/^volume=/, ''))})`);
      }
      const disk = parsePropString(key, value, diskFormat(key), {});
      bytes += cloneVolume(env, zfs, LXC_DISKS, disk, { newid, storage: options.storage, linked: !full, taken });
      if (disk.size) disk.size = formatPveSize(sizeOption(disk));
      values[key] = printPropString(disk, diskFormat(key));
    } else {
      values[key] = value;
    }
  }
  if (options.hostname) values.hostname = options.hostname;
  values.lock = 'create';
  saveClone(env, 'lxc', zfs, vmid, newid, clone, snapname);
  return bytes;
}
