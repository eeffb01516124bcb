/** pct list, destroy, resize, template. */
import { snapshotNames } from '../guest/config-file.js';
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { EXIT_TASK_FAILURE, SimError } from '../core/errors.js';
import type { ParamSpec } from '../core/schema.js';
import { convertToTemplate, destroyGuest, diskSize, requestedSize, resizeDisk, SIZE_PATTERN } from '../guest/disk-tasks.js';
import { guestTaskCommand } from '../guest/task-command.js';
import { assertNotLocked, isRunning, listGuestIds, loadConfig, readRuntime, tryLoadConfig, withGuestTask } from '../guest/store.js';
import { splitVolid, volumeOwner } from '../guest/disks.js';
import { LXC_DISKS } from './normalize.js';
import { isDiskKey } from './schema.js';

export function pctList(ctx: CommandContext, args: string[]): void {
  parseArgs({ usage: 'pct list', positionals: [], options: {} }, args);
  const ids = listGuestIds(ctx.env, 'lxc');
  const rows: string[] = [];
  for (const vmid of ids) {
    const loaded = tryLoadConfig(ctx.env, 'lxc', vmid);
    if (!loaded) continue;
    const values = loaded.file.current.values;
    const name = (values.hostname ?? `CT${vmid}`).replace(/\s/g, '');
    rows.push(row(String(vmid), readRuntime(ctx.env, vmid).status, values.lock ?? '', name));
  }
  if (rows.length === 0) return;
  ctx.out.out(row('VMID', 'Status', 'Lock', 'Name') + rows.join(''));
}

/** printf "%-10s %-10s %-12s %-20s\n" */
function row(vmid: string, status: string, lock: string, name: string): string {
  return `${vmid.padEnd(10)} ${status.padEnd(10)} ${lock.padEnd(12)} ${name.padEnd(20)}\n`;
}

const DESTROY_OPTIONS: Record<string, ParamSpec> = {
  force: { type: 'boolean' },
  purge: { type: 'boolean' },
  'destroy-unreferenced-disks': { type: 'boolean' },
};

export const pctDestroy = guestTaskCommand('lxc', 'destroy', DESTROY_OPTIONS, ({ env }, vmid, options) => {
  const { file } = loadConfig(env, 'lxc', vmid, EXIT_TASK_FAILURE);
  const values = file.current.values;
  // API2/LXC.pm destroy_vm $early_checks: protection first, then the lock.
  if (values.protection === '1') throw new SimError(`can't remove CT ${vmid} - protection mode enabled`);
  assertNotLocked('lxc', values);
  if (isRunning(env, vmid) && options.force !== '1') throw new SimError(`unable to destroy CT ${vmid} - container is running`);
  destroyGuest(env, vmid, file, LXC_DISKS);
});

export async function pctResize(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pct resize <vmid> <disk> <size> [OPTIONS]',
      positionals: [
        vmidArg,
        arg('disk', { type: 'string', check: (v) => (isDiskKey(v) ? undefined : `invalid disk '${v}'`) }),
        arg('size', { type: 'string', pattern: SIZE_PATTERN }),
      ],
      options: { digest: { type: 'string' } },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const disk = parsed.positionals.disk!;
  const { env } = ctx;
  await withGuestTask(env, 'lxc', vmid, () => {
    const { file } = loadConfig(env, 'lxc', vmid, EXIT_TASK_FAILURE);
    assertNotLocked('lxc', file.current.values);
    const current = file.current.values[disk];
    if (!current) throw new SimError(`no such disk '${disk}'`);
    // API2/LXC.pm resize_vm: PVE::Storage::parse_volname on the mount point's volume dies for a bind
    // mount's host path (Storage/Plugin.pm parse_volume_id), and a volume of another CT is refused.
    const volume = current.split(',')[0]!.replace(/^volume=/, '');
    if (!splitVolid(volume)) throw new SimError(`unable to parse volume ID '${volume}'`);
    const owner = volumeOwner(splitVolid(volume)!.volname);
    if (owner !== null && owner !== vmid) throw new SimError(`can't resize mount point owned by another container (${owner})`);
    const size = diskSize(LXC_DISKS, disk, current);
    const newSize = requestedSize(size, parsed.positionals.size!);
    // Unlike qm, pct fails (exit 255) on both.
    if (newSize < size) throw new SimError('unable to shrink disk size');
    if (newSize === size) throw new SimError('disk is already at specified size');
    resizeDisk(env, vmid, file, LXC_DISKS, disk, newSize);
  });
}

export async function pctTemplate(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'pct template <vmid>', positionals: [vmidArg], options: {} }, args);
  const vmid = Number(parsed.positionals.vmid);
  const { env } = ctx;
  await withGuestTask(env, 'lxc', vmid, () => {
    const { file } = loadConfig(env, 'lxc', vmid);
    const values = file.current.values;
    assertNotLocked('lxc', values);
    // API2/LXC.pm template / API2/Qemu.pm template, checked before the worker starts (so exit 255).
    if (snapshotNames(file).length > 0) throw new SimError(`unable to create template, because CT contains snapshots`);
    if (values.template === '1') throw new SimError(`you can't convert a template to a template`);
    if (isRunning(env, vmid)) throw new SimError(`you can't convert a CT to template if the CT is running`);
    convertToTemplate(env, vmid, file, LXC_DISKS);
  });
}
