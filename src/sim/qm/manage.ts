/** qm list, destroy, disk resize, template, clone. */
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import { taskError, type CommandContext } from '../core/context.js';
import { EXIT_TASK_FAILURE, SimError } from '../core/errors.js';
import { parsePropString, printPropString, SNAPNAME, VMID, type ParamSpec } from '../core/schema.js';
import { cloneSource, cloneVolume, copyMs, copyThenUnlock, saveClone } from '../guest/clone.js';
import { emptyConfigFile, snapshotNames } from '../guest/config-file.js';
import { convertToTemplate, destroyGuest, diskSize, requestedSize, resizeDisk, SIZE_PATTERN } from '../guest/disk-tasks.js';
import { allocateVolume, splitVolid } from '../guest/disks.js';
import { DNS_NAME, newUuid } from '../guest/normalize.js';
import { guestTaskCommand } from '../guest/task-command.js';
import { assertNotLocked, findGuest, isRunning, listGuestIds, loadConfig, tryLoadConfig, underConfigLock, withGuestLock, withGuestTask } from '../guest/store.js';
import type { SimEnv } from '../core/env.js';
import { withNodeLock } from '../core/node-lock.js';
import { loadZfs } from '../zfs/model.js';
import { isCdrom, normaliseNet, QEMU_DISKS } from './normalize.js';
import { DRIVE_FORMAT, isDriveKey } from './schema.js';
import { qemuStatus } from './status-data.js';

const MIB = 1024 * 1024;
const GIB = 1024 ** 3;

export function qmList(ctx: CommandContext, args: string[]): void {
  parseArgs({ usage: 'qm list [OPTIONS]', positionals: [], options: { full: { type: 'boolean' } } }, args);
  const rows: string[] = [];
  for (const vmid of listGuestIds(ctx.env, 'qemu')) {
    const loaded = tryLoadConfig(ctx.env, 'qemu', vmid);
    if (!loaded) continue;
    const s = qemuStatus(ctx.env, vmid, loaded.file);
    const mem = String(Math.trunc(Number(s.maxmem) / MIB));
    const disk = (Number(s.maxdisk) / GIB).toFixed(2);
    rows.push(row(String(vmid), String(s.name), String(s.status), mem, disk, String(s.pid ?? 0)));
  }
  if (rows.length === 0) return;
  ctx.out.out(row('VMID', 'NAME', 'STATUS', 'MEM(MB)', 'BOOTDISK(GB)', 'PID') + rows.join(''));
}

/** printf "%10s %-20s %-10s %-10s %12s %-10s\n" */
function row(vmid: string, name: string, status: string, mem: string, disk: string, pid: string): string {
  return `${vmid.padStart(10)} ${name.padEnd(20)} ${status.padEnd(10)} ${mem.padEnd(10)} ${disk.padStart(12)} ${pid.padEnd(10)}\n`;
}

/** There is no --force: a running VM is never destroyed. */
const DESTROY_OPTIONS: Record<string, ParamSpec> = {
  purge: { type: 'boolean' },
  skiplock: { type: 'boolean' },
  'destroy-unreferenced-disks': { type: 'boolean' },
};

export const qmDestroy = guestTaskCommand('qemu', 'destroy', DESTROY_OPTIONS, ({ env }, vmid, options) => {
  const { file } = loadConfig(env, 'qemu', vmid, EXIT_TASK_FAILURE);
  const values = file.current.values;
  if (options.skiplock !== '1') assertNotLocked('qemu', values);
  if (values.protection === '1') throw new SimError(`can't remove VM ${vmid} - protection mode enabled`);
  if (isRunning(env, vmid)) throw new SimError(`VM ${vmid} is running - destroy failed`);
  destroyGuest(env, vmid, file, QEMU_DISKS);
});

/**
 * `qm disk resize` / `qm resize`. Failures are reported by the worker and qm still exits 0 (a quirk the
 * reference documents), so they are printed, not thrown; the same size is a silent success.
 */
export async function qmResize(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'qm disk resize <vmid> <disk> <size> [OPTIONS]',
      positionals: [vmidArg, arg('disk', { type: 'string', check: (v) => (isDriveKey(v) ? undefined : `invalid disk '${v}'`) }), arg('size', { type: 'string', pattern: SIZE_PATTERN })],
      options: { skiplock: { type: 'boolean' }, digest: { type: 'string' } },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const key = parsed.positionals.disk!;
  const { env } = ctx;
  await withGuestTask(env, 'qemu', vmid, () => {
    const { file } = loadConfig(env, 'qemu', vmid, EXIT_TASK_FAILURE);
    if (parsed.options.skiplock !== '1') assertNotLocked('qemu', file.current.values);
    const value = file.current.values[key];
    if (!value || isCdrom(value)) {
      taskError(ctx, value ? `you can't resize a cdrom` : `disk '${key}' does not exist`);
      return;
    }
    const size = diskSize(QEMU_DISKS, key, value);
    const newSize = requestedSize(size, parsed.positionals.size!);
    if (newSize < size) {
      taskError(ctx, 'shrinking disks is not supported');
      return;
    }
    if (newSize === size) return;
    resizeDisk(env, vmid, file, QEMU_DISKS, key, newSize);
  });
}

export async function qmTemplate(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'qm template <vmid> [OPTIONS]', positionals: [vmidArg], options: { disk: { type: 'string' } } }, args);
  const vmid = Number(parsed.positionals.vmid);
  const { env } = ctx;
  await withGuestTask(env, 'qemu', vmid, () => {
    const { file } = loadConfig(env, 'qemu', vmid);
    const values = file.current.values;
    assertNotLocked('qemu', values);
    // API2/LXC.pm template / API2/Qemu.pm template, checked before the worker starts (so exit 255).
    if (snapshotNames(file).length > 0) throw new SimError(`unable to create template, because VM contains snapshots`);
    // A template may still get a single disk converted (`--disk`).
    if (values.template === '1' && parsed.options.disk === undefined) throw new SimError(`you can't convert a template to a template`);
    if (isRunning(env, vmid)) throw new SimError(`you can't convert a VM to template if VM is running`);
    try {
      convertToTemplate(env, vmid, file, QEMU_DISKS, parsed.options.disk);
    } catch (e) {
      // create_base dies in the worker: qm template prints it and still exits 0.
      if (!(e instanceof SimError)) throw e;
      taskError(ctx, e.message);
    }
  });
}

const NOT_CLONED = /^(parent|snaptime|lock|template|unused\d+|vmstate|runningmachine|runningcpu)$/;

/** qemu-server API2/Qemu.pm clone_vm: lock_config_full/lock_config_shared($vmid, 1, ...). */
const CLONE_LOCK_WAIT_S = 1;

export async function qmClone(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'qm clone <vmid> <newid> [OPTIONS]',
      positionals: [vmidArg, arg('newid', VMID)],
      options: {
        name: DNS_NAME,
        full: { type: 'boolean' },
        snapname: SNAPNAME,
        storage: { type: 'string' },
        format: { type: 'string', enum: ['raw', 'qcow2', 'vmdk'] },
        description: { type: 'string' },
        pool: { type: 'string' },
        target: { type: 'string' },
        bwlimit: { type: 'integer', min: 0 },
      },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const newid = Number(parsed.positionals.newid);
  const { env } = ctx;
  // qemu-server API2/Qemu.pm clone_vm: load_and_check refuses a locked source before the worker starts
  // ("VM is locked (…)"); the worker holds the source's config flock for the whole clone — exclusive when
  // it runs, shared when stopped (so clones of a stopped template run side by side while `qm set` on it
  // waits, then fails with "got timeout") — and the new VM's, whose config says `lock: clone` until done.
  // Both are taken with a 1 s wait ($lock_source_vm, $lock_target_vm): a second clone of a running
  // source fails at once.
  assertNotLocked('qemu', loadConfig(env, 'qemu', vmid, EXIT_TASK_FAILURE).file.current.values);
  const running = isRunning(env, vmid);
  await underConfigLock(
    env,
    'qemu',
    vmid,
    () =>
      withGuestLock(env, 'qemu', newid, async () => {
        const bytes = await withNodeLock(env, () => writeClone(env, vmid, newid, parsed.options));
        await copyThenUnlock(env, 'qemu', newid, copyMs(env, bytes), true);
      }),
    !running,
    CLONE_LOCK_WAIT_S,
  );
}

/** The new VM's config (locked 'clone'), volumes and files; returns the bytes its full copies move. */
function writeClone(env: SimEnv, vmid: number, newid: number, options: Record<string, string | undefined>): number {
  const { file: source } = loadConfig(env, 'qemu', vmid, EXIT_TASK_FAILURE);
  if (findGuest(env, newid)) throw new SimError(`unable to create VM ${newid}: config file already exists`);
  const snapname = options.snapname;
  const from = cloneSource(source, snapname);
  const isTemplate = source.current.values.template === '1';
  const full = options.full !== undefined ? options.full === '1' : !isTemplate;
  if (!full && !isTemplate) throw new SimError('clone_image only works on base images');
  if (!full && options.storage) throw new SimError(`parameter 'storage' not allowed for linked clones`);

  const zfs = loadZfs(env);
  const clone = emptyConfigFile();
  const values = clone.current.values;
  clone.current.description = options.description ?? from.description;
  const taken = new Set<string>();
  let bytes = 0;
  for (const [key, value] of Object.entries(from.values)) {
    if (NOT_CLONED.test(key)) continue;
    if (/^net\d+$/.test(key)) values[key] = normaliseNet(key, value.replace(/^([a-z0-9_-]+)=[0-9A-Fa-f:]+/, '$1'));
    else if (isDriveKey(key) && !isCdrom(value)) {
      const drive = parsePropString(key, value, DRIVE_FORMAT, {});
      bytes += cloneVolume(env, zfs, QEMU_DISKS, drive, { newid, storage: options.storage, linked: !full, taken });
      values[key] = printPropString(drive, DRIVE_FORMAT);
    } else if (isDriveKey(key) && value.includes('cloudinit')) {
      const storageId = splitVolid(value.split(',')[0]!)?.storage ?? 'local';
      values[key] = `${allocateVolume(env, zfs, { kind: 'qemu', vmid: newid, storageId, bytes: 4 * MIB, taken, cloudinit: true })},media=cdrom`;
    } else values[key] = value;
  }
  values.name = options.name ?? `Copy-of-VM-${from.values.name ?? vmid}`;
  if (values.smbios1) values.smbios1 = values.smbios1.replace(/uuid=[0-9a-f-]+/i, `uuid=${newUuid()}`);
  // qemu-server API2/Qemu.pm clone_vm: a new vmgenid only if the source has one ('0' turns it off).
  if (values.vmgenid && values.vmgenid !== '0') values.vmgenid = newUuid();
  values.lock = 'clone';
  saveClone(env, 'qemu', zfs, vmid, newid, clone, snapname);
  return bytes;
}
