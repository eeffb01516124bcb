/** `qm create` and `qm set` (qemu-server API2/Qemu.pm create_vm / update_vm). */
import { mkdirSync } from 'node:fs';
import { parseArgs, type CommandSpec, type ParsedArgs } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import { configDigest, emptySection, type GuestConfigFile } from '../guest/config-file.js';
import { newUuid, nowSeconds, randomPid } from '../guest/normalize.js';
import { addPendingDelete, clearPending, setPending } from '../guest/pending.js';
import { assertNotLocked, assertVmidUnused, isRunning, loadConfig, rootfsDir, saveConfig, withGuestLock, writeRuntime } from '../guest/store.js';
import type { SimEnv } from '../core/env.js';
import { freeVolume, splitVolid, volumeOwner } from '../guest/disks.js';
import { loadZfs, saveZfs, type ZfsState } from '../zfs/model.js';
import { isCdrom, normaliseOption, verifyNets, volumesOf } from './normalize.js';
import { CONFIG_OPTIONS, CREATE_ONLY_OPTIONS, FASTPLUG, HOTPLUG, isDriveKey } from './schema.js';

const CREATE_SPEC: CommandSpec = {
  usage: 'qm create <vmid> [OPTIONS]',
  positionals: [vmidArg],
  options: { ...CONFIG_OPTIONS, ...CREATE_ONLY_OPTIONS },
};

const SET_SPEC: CommandSpec = {
  usage: 'qm set <vmid> [OPTIONS]',
  positionals: [vmidArg],
  options: {
    ...CONFIG_OPTIONS,
    delete: { type: 'string' },
    revert: { type: 'string' },
    digest: { type: 'string' },
    skiplock: { type: 'boolean' },
    force: { type: 'boolean' },
  },
};

function parseQmArgs(spec: CommandSpec, args: string[]): ParsedArgs {
  const parsed = parseArgs(spec, args);
  const errors = verifyNets(parsed.options);
  if (Object.keys(errors).length) throw verificationError(errors, spec.usage);
  return parsed;
}

/** get_default_bootdevices: the first disk, then CD-ROMs, then NICs. */
function defaultBootOrder(values: Record<string, string>): string {
  const drives = Object.keys(values).filter((k) => /^(ide|sata|scsi|virtio)\d+$/.test(k));
  const byBus = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  const disk = drives.filter((k) => !isCdrom(values[k]!) && !values[k]!.includes('cloudinit')).sort(byBus)[0];
  const cdroms = drives.filter((k) => isCdrom(values[k]!) && !values[k]!.includes('cloudinit')).sort(byBus);
  const nets = Object.keys(values).filter((k) => /^net\d+$/.test(k)).sort(byBus);
  return `order=${[...(disk ? [disk] : []), ...cdroms, ...nets].join(';')}`;
}

export async function qmCreate(ctx: CommandContext, args: string[]): Promise<void> {
  const { env } = ctx;
  const parsed = parseQmArgs(CREATE_SPEC, args);
  const vmid = Number(parsed.positionals.vmid);
  const options = parsed.options;
  await withGuestLock(env, 'qemu', vmid, () =>
    withNodeLock(env, () => {
      assertVmidUnused(env, vmid, `unable to create VM ${vmid} - `);
      const zfs = loadZfs(env);
      const file: GuestConfigFile = { current: emptySection(), sections: new Map() };
      const values = file.current.values;
      const taken = new Set<string>();
      for (const [key, value] of Object.entries(options)) {
        if (key in CREATE_ONLY_OPTIONS) continue;
        if (key === 'description') file.current.description = value;
        else values[key] = normaliseOption(env, zfs, vmid, key, value, taken);
      }
      values.meta ??= `creation-qemu=9.2.0,ctime=${nowSeconds()}`;
      values.smbios1 ??= `uuid=${newUuid()}`;
      values.vmgenid ??= newUuid();
      values.boot ??= defaultBootOrder(values);
      saveConfig(env, 'qemu', vmid, file);
      saveZfs(env, zfs);
      mkdirSync(rootfsDir(env, vmid), { recursive: true });
      const start = options.start === '1';
      writeRuntime(env, vmid, start ? { status: 'running', pid: randomPid(), startedAt: nowSeconds() } : { status: 'stopped' });
    }),
  );
}

const listOf = (text: string | undefined) => (text ?? '').split(/[,;\s]+/).filter(Boolean);

export async function qmSet(ctx: CommandContext, args: string[]): Promise<void> {
  const { env } = ctx;
  const parsed = parseQmArgs(SET_SPEC, args);
  const vmid = Number(parsed.positionals.vmid);
  // `--force` (delete unused volumes) is accepted; deleting `unusedN` always frees the guest's own volume.
  const { delete: deleteList, revert, digest, skiplock, force: _force, ...changes } = parsed.options;
  const deletes = listOf(deleteList);
  const reverts = listOf(revert);
  if (Object.keys(changes).length === 0 && deletes.length === 0 && reverts.length === 0) {
    throw new SimError('no options specified');
  }
  await withGuestLock(env, 'qemu', vmid, () =>
    withNodeLock(env, () => {
      const { file, raw } = loadConfig(env, 'qemu', vmid);
      if (digest !== undefined && digest !== configDigest(raw)) {
        throw new SimError('detected modified configuration - file changed by other user? Try again.');
      }
      if (skiplock !== '1') assertNotLocked('qemu', file.current.values);
      const running = isRunning(env, vmid);
      const values = file.current.values;
      const memoryHotplug = (values.hotplug ?? '').includes('memory') && values.numa === '1';
      const appliesNow = (key: string) => !running || FASTPLUG.has(key) || HOTPLUG(key) || (key === 'memory' && memoryHotplug);
      const zfs = loadZfs(env);
      const taken = new Set(volumesOf(values));

      for (const key of reverts) clearPending(file, key);
      for (const key of deletes) {
        if (!appliesNow(key)) {
          addPendingDelete(file, key);
          continue;
        }
        clearPending(file, key);
        if (key === 'description') file.current.description = undefined;
        else if (isDriveKey(key) && values[key] && !isCdrom(values[key]!)) moveToUnused(values, key);
        else if (/^unused\d+$/.test(key) && values[key]) freeOwnVolume(env, zfs, vmid, values[key]!);
        delete values[key];
      }
      for (const [key, value] of Object.entries(changes)) {
        const stored = normaliseOption(env, zfs, vmid, key, value, taken);
        clearPending(file, key);
        if (!appliesNow(key)) setPending(file, key, stored);
        else if (key === 'description') file.current.description = stored;
        else values[key] = stored;
      }
      saveZfs(env, zfs);
      saveConfig(env, 'qemu', vmid, file);
    }),
  );
}

/** Deleting `unusedN` destroys the volume (unless it belongs to another guest, e.g. a template's base). */
function freeOwnVolume(env: SimEnv, zfs: ZfsState, vmid: number, volid: string): void {
  if (volumeOwner(splitVolid(volid)?.volname ?? '') === vmid) freeVolume(env, zfs, volid);
}

/** A detached disk's volume is kept as `unusedN`. */
function moveToUnused(values: Record<string, string>, key: string): void {
  let n = 0;
  while (values[`unused${n}`] !== undefined) n++;
  values[`unused${n}`] = values[key]!.split(',')[0]!;
}
