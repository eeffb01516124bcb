/** `pct set <vmid> [OPTIONS] [--delete a,b] [--revert a] [--digest sha]` (Config.pm update_pct_config). */
import { parseArgs, type CommandSpec } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { applyConfigUpdate, assertDigest, configUpdate } from '../guest/config-update.js';
import { assertNotLocked, isRunning, loadConfig, saveConfig, withGuestTask } from '../guest/store.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import { LXC_DISKS, normaliseOption, prepareDisk, volumesOf } from './normalize.js';
import { CONFIG_OPTIONS, FASTPLUG, HOTPLUG, READ_ONLY, REQUIRED, isDiskKey } from './schema.js';
import { checkConfigChanges } from './update-checks.js';
import { mountFailure, stagingPath } from './mount-checks.js';

const SPEC: CommandSpec = {
  usage: 'pct set <vmid> [OPTIONS]',
  positionals: [vmidArg],
  options: { ...CONFIG_OPTIONS, delete: { type: 'string' }, revert: { type: 'string' }, digest: { type: 'string' } },
};

export async function pctSet(ctx: CommandContext, args: string[]): Promise<void> {
  const { env } = ctx;
  const parsed = parseArgs(SPEC, args);
  const vmid = Number(parsed.positionals.vmid);
  const { delete: deleteList, revert, digest, ...changes } = parsed.options;
  const update = configUpdate(changes, deleteList, revert);
  for (const key of Object.keys(changes)) {
    if (update.deletes.includes(key)) throw new SimError(`unable to delete and set option '${key}' at the same time`);
  }

  await withGuestTask(env, 'lxc', vmid, () => {
    const { file, raw } = loadConfig(env, 'lxc', vmid);
    assertDigest(digest, raw);
    if (!('lock' in changes) && !update.deletes.includes('lock')) assertNotLocked('lxc', file.current.values);
    for (const key of Object.keys(changes)) {
      if (READ_ONLY.has(key)) throw new SimError(`unable to modify read-only option: '${key}'`);
    }
    for (const key of update.deletes) {
      if (REQUIRED.has(key)) throw new SimError(`unable to delete required option '${key}'`);
      if (READ_ONLY.has(key)) throw new SimError(`unable to modify read-only option: '${key}'`);
    }
    checkConfigChanges(vmid, file.current.values, changes, update.deletes);
    const running = isRunning(env, vmid);
    if (running) checkHotplugMounts(ctx, file.current.values, changes);
    const zfs = loadZfs(env);
    const taken = new Set(volumesOf(file.current.values));
    applyConfigUpdate(env, zfs, vmid, file, update, {
      // A new mount point or device hot-plugs into a running CT; changing or removing one waits for the
      // restart (Config.pm vmconfig_hotplug_pending: "don't try to hotplug over existing mp/dev").
      appliesNow: (key) => !running || FASTPLUG.has(key) || HOTPLUG(key) || (/^(mp|dev)\d+$/.test(key) && file.current.values[key] === undefined),
      isDetachableDisk: LXC_DISKS.isDisk,
      normalise: (key, value) => (isDiskKey(key) ? prepareDisk(env, zfs, vmid, key, value, taken) : normaliseOption(key, value)),
    });
    saveZfs(env, zfs);
    saveConfig(env, 'lxc', vmid, file);
  });
}

/**
 * A new mount point of a running CT is mounted at once (Config.pm vmconfig_hotplug_pending →
 * apply_pending_mountpoint → LXC.pm mountpoint_hotplug): each one that cannot be mounted is an error
 * "unable to hotplug mpN: ..." (mount(8)'s own words printed first), and API2/LXC/Config.pm raises them
 * all as a parameter exception before writing the config, so nothing of the call is kept.
 */
function checkHotplugMounts(ctx: CommandContext, current: Record<string, string>, changes: Record<string, string>): void {
  const errors: Record<string, string> = {};
  for (const key of Object.keys(changes).sort()) {
    if (current[key] !== undefined) continue; // changing a mount point waits for the restart
    const failure = mountFailure(ctx.env, key, changes[key]!, stagingPath);
    if (!failure) continue;
    for (const line of failure.output) ctx.out.err(line);
    // The die message keeps its newline: PVE::Exception prints an empty line after it.
    errors[key] = `unable to hotplug ${key}: ${failure.error}\n`;
  }
  if (Object.keys(errors).length) throw verificationError(errors, SPEC.usage);
}
