/** `qm create` and `qm set` (qemu-server API2/Qemu.pm create_vm / update_vm). */
import { mkdirSync } from 'node:fs';
import { parseArgs, type CommandSpec, type ParsedArgs } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { verificationError } from '../core/errors.js';
import { emptyConfigFile } from '../guest/config-file.js';
import { applyConfigUpdate, assertDigest, configUpdate } from '../guest/config-update.js';
import { newUuid, nowSeconds } from '../guest/normalize.js';
import {
  assertNotLocked,
  assertVmidUnused,
  createdRuntime,
  isRunning,
  loadConfig,
  rootfsDir,
  saveConfig,
  withGuestTask,
  writeRuntime,
} from '../guest/store.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import { isCdrom, normaliseOption, QEMU_DISKS, verifyNets, volumesOf } from './normalize.js';
import { CONFIG_OPTIONS, CREATE_ONLY_OPTIONS, FASTPLUG, HOTPLUG, hotplugFeatures } from './schema.js';
import { appendCdromToBoot, assertBalloon, assertBootOrder, hardwareAppliesNow } from './hardware.js';

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
  await withGuestTask(env, 'qemu', vmid, () => {
    assertVmidUnused(env, vmid, `unable to create VM ${vmid} - `);
    assertBalloon(options, {}, {});
    const zfs = loadZfs(env);
    const file = emptyConfigFile();
    const values = file.current.values;
    const taken = new Set<string>();
    for (const [key, value] of Object.entries(options)) {
      if (key in CREATE_ONLY_OPTIONS) continue;
      if (key === 'description') file.current.description = value;
      else values[key] = normaliseOption(env, zfs, vmid, key, value, taken);
    }
    values.meta ??= `creation-qemu=9.2.0,ctime=${nowSeconds()}`;
    values.smbios1 ??= `uuid=${newUuid()}`;
    // qemu-server API2/Qemu.pm create_vm: a vmgenid unless one is given, '1' asks for a fresh one.
    if (values.vmgenid === undefined || values.vmgenid === '1') values.vmgenid = newUuid();
    values.boot ??= defaultBootOrder(values);
    saveConfig(env, 'qemu', vmid, file);
    saveZfs(env, zfs);
    mkdirSync(rootfsDir(env, vmid), { recursive: true });
    writeRuntime(env, vmid, createdRuntime(options.start === '1'));
  });
}

export async function qmSet(ctx: CommandContext, args: string[]): Promise<void> {
  const { env } = ctx;
  const parsed = parseQmArgs(SET_SPEC, args);
  const vmid = Number(parsed.positionals.vmid);
  // `--force` (delete unused volumes) is accepted; deleting `unusedN` always frees the guest's own volume.
  const { delete: deleteList, revert, digest, skiplock, force: _force, ...changes } = parsed.options;
  const update = configUpdate(changes, deleteList, revert);
  await withGuestTask(env, 'qemu', vmid, () => {
    const { file, raw } = loadConfig(env, 'qemu', vmid);
    assertDigest(digest, raw);
    if (skiplock !== '1') assertNotLocked('qemu', file.current.values);
    const running = isRunning(env, vmid);
    const values = file.current.values;
    const features = hotplugFeatures(values.hotplug);
    const memoryHotplug = features.has('memory') && values.numa === '1';
    const zfs = loadZfs(env);
    const taken = new Set(volumesOf(values));
    const pending = file.pending?.values ?? {};
    assertBalloon(update.changes, values, pending);
    if (update.changes.boot !== undefined) assertBootOrder(update.changes.boot, values, pending, update.changes, update.deletes);
    for (const [key, value] of Object.entries(update.changes)) {
      if (values[key] !== undefined || pending[key] !== undefined || update.changes.boot !== undefined) continue;
      const boot = appendCdromToBoot(pending.boot ?? values.boot, key, value);
      if (boot !== undefined) update.changes.boot = boot;
    }
    applyConfigUpdate(env, zfs, vmid, file, update, {
      appliesNow: (key) =>
        !running ||
        FASTPLUG.has(key) ||
        (hardwareAppliesNow(key, update.changes[key], { values, features }) ??
          (HOTPLUG(key, features, update.changes[key] ?? values[key] ?? '') || (key === 'memory' && memoryHotplug))),
      isDetachableDisk: QEMU_DISKS.isDisk,
      normalise: (key, value) => normaliseOption(env, zfs, vmid, key, value, taken),
    });
    saveZfs(env, zfs);
    saveConfig(env, 'qemu', vmid, file);
  });
}
