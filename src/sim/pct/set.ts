/** `pct set <vmid> [OPTIONS] [--delete a,b] [--revert a] [--digest sha]` (Config.pm update_pct_config). */
import { parseArgs, type CommandSpec } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import { configDigest } from '../guest/config-file.js';
import { addPendingDelete, clearPending, setPending } from '../guest/pending.js';
import { assertNotLocked, isRunning, loadConfig, saveConfig, withGuestLock } from '../guest/store.js';
import { freeVolume, splitVolid, volumeOwner } from '../guest/disks.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import { normaliseOption, prepareDisk, volumesOf } from './normalize.js';
import { CONFIG_OPTIONS, FASTPLUG, HOTPLUG, READ_ONLY, REQUIRED, isDiskKey } from './schema.js';

const SPEC: CommandSpec = {
  usage: 'pct set <vmid> [OPTIONS]',
  positionals: [vmidArg],
  options: { ...CONFIG_OPTIONS, delete: { type: 'string' }, revert: { type: 'string' }, digest: { type: 'string' } },
};

const listOf = (text: string | undefined) => (text ?? '').split(/[,;\s]+/).filter(Boolean);

export async function pctSet(ctx: CommandContext, args: string[]): Promise<void> {
  const { env } = ctx;
  const parsed = parseArgs(SPEC, args);
  const vmid = Number(parsed.positionals.vmid);
  const { delete: deleteList, revert, digest, ...changes } = parsed.options;
  const deletes = listOf(deleteList);
  const reverts = listOf(revert);
  if (Object.keys(changes).length === 0 && deletes.length === 0 && reverts.length === 0) {
    throw new SimError('no options specified');
  }
  for (const key of Object.keys(changes)) {
    if (deletes.includes(key)) throw new SimError(`unable to delete and set option '${key}' at the same time`);
  }

  await withGuestLock(env, 'lxc', vmid, () =>
    withNodeLock(env, () => {
      const { file, raw } = loadConfig(env, 'lxc', vmid);
      if (digest !== undefined && digest !== configDigest(raw)) {
        throw new SimError('detected modified configuration - file changed by other user? Try again.');
      }
      if (!('lock' in changes) && !deletes.includes('lock')) assertNotLocked('lxc', file.current.values);
      for (const key of Object.keys(changes)) {
        if (READ_ONLY.has(key)) throw new SimError(`unable to modify read-only option: '${key}'`);
      }
      for (const key of deletes) {
        if (REQUIRED.has(key)) throw new SimError(`unable to delete required option '${key}'`);
        if (READ_ONLY.has(key)) throw new SimError(`unable to modify read-only option: '${key}'`);
      }
      const running = isRunning(env, vmid);
      const appliesNow = (key: string) =>
        !running || FASTPLUG.has(key) || HOTPLUG(key) || (/^mp\d+$/.test(key) && file.current.values[key] === undefined);
      const zfs = loadZfs(env);
      const taken = new Set(volumesOf(file.current.values));

      for (const key of reverts) clearPending(file, key);
      for (const key of deletes) {
        if (!appliesNow(key)) {
          addPendingDelete(file, key);
          continue;
        }
        clearPending(file, key);
        if (key === 'description') file.current.description = undefined;
        else if (isDiskKey(key) && file.current.values[key]) moveToUnused(file.current.values, key);
        else if (/^unused\d+$/.test(key) && file.current.values[key]) {
          const volid = file.current.values[key]!;
          if (volumeOwner(splitVolid(volid)?.volname ?? '') === vmid) freeVolume(env, zfs, volid);
        }
        delete file.current.values[key];
      }
      for (const [key, value] of Object.entries(changes)) {
        const stored = isDiskKey(key) ? prepareDisk(env, zfs, vmid, key, value, taken) : normaliseOption(key, value);
        if (!appliesNow(key)) {
          setPending(file, key, stored);
          continue;
        }
        clearPending(file, key);
        if (key === 'description') file.current.description = stored;
        else file.current.values[key] = stored;
      }
      saveZfs(env, zfs);
      saveConfig(env, 'lxc', vmid, file);
    }),
  );
}

/** A removed mount point's volume is kept as `unusedN`, as Proxmox does. */
function moveToUnused(values: Record<string, string>, key: string): void {
  const volume = values[key]!.split(',')[0]!;
  let n = 0;
  while (values[`unused${n}`] !== undefined) n++;
  values[`unused${n}`] = volume;
}
