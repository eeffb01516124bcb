/** pct list, destroy, resize, template. */
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import { parsePropString, printPropString } from '../core/schema.js';
import { formatPveSize, parseSize } from '../core/sizes.js';
import { convertToBase, freeVolume, setVolumeSize, sizeOption, volumeOwner, splitVolid } from '../guest/disks.js';
import {
  assertNotLocked,
  deleteGuestFiles,
  isRunning,
  listGuestIds,
  loadConfig,
  readRuntime,
  saveConfig,
  tryLoadConfig,
  withGuestLock,
} from '../guest/store.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import { diskFormat, volumesOf } from './normalize.js';

const TASK_FAILURE = 255;

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

export async function pctDestroy(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pct destroy <vmid> [OPTIONS]',
      positionals: [vmidArg],
      options: { force: { type: 'boolean' }, purge: { type: 'boolean' }, 'destroy-unreferenced-disks': { type: 'boolean' } },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const { env } = ctx;
  await withGuestLock(env, 'lxc', vmid, () =>
    withNodeLock(env, () => {
      const { file } = loadConfig(env, 'lxc', vmid, TASK_FAILURE);
      const values = file.current.values;
      assertNotLocked('lxc', values);
      if (values.protection === '1') throw new SimError(`can't remove CT ${vmid} - protection mode enabled`);
      if (isRunning(env, vmid) && parsed.options.force !== '1') {
        throw new SimError(`unable to destroy CT ${vmid} - container is running`);
      }
      const zfs = loadZfs(env);
      const volumes = new Set(volumesOf(values));
      for (const section of file.sections.values()) for (const v of volumesOf(section.values)) volumes.add(v);
      for (const volid of volumes) {
        if (volumeOwner(splitVolid(volid)?.volname ?? '') === vmid) freeVolume(env, zfs, volid);
      }
      saveZfs(env, zfs);
      deleteGuestFiles(env, 'lxc', vmid);
    }),
  );
}

const SIZE_PATTERN = /^\+?\d+(\.\d+)?[KMGT]?$/;

export async function pctResize(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pct resize <vmid> <disk> <size> [OPTIONS]',
      positionals: [
        vmidArg,
        arg('disk', { type: 'string', check: (v) => (/^(rootfs|mp\d+)$/.test(v) ? undefined : `invalid disk '${v}'`) }),
        arg('size', { type: 'string', pattern: SIZE_PATTERN }),
      ],
      options: { digest: { type: 'string' } },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const disk = parsed.positionals.disk!;
  const sizeText = parsed.positionals.size!;
  const { env } = ctx;
  await withGuestLock(env, 'lxc', vmid, () =>
    withNodeLock(env, () => {
      const { file } = loadConfig(env, 'lxc', vmid, TASK_FAILURE);
      assertNotLocked('lxc', file.current.values);
      const current = file.current.values[disk];
      if (!current) throw new SimError(`no such disk '${disk}'`);
      const format = diskFormat(disk);
      const values = parsePropString(disk, current, format, {});
      const size = sizeOption(values);
      const delta = parseSize(sizeText.replace(/^\+/, ''))!;
      const newSize = sizeText.startsWith('+') ? size + delta : delta;
      if (newSize < size) throw new SimError('unable to shrink disk size');
      if (newSize === size) throw new SimError('disk is already at specified size');
      const zfs = loadZfs(env);
      setVolumeSize(env, zfs, values.volume!, newSize);
      values.size = formatPveSize(newSize);
      file.current.values[disk] = printPropString(values, format);
      saveZfs(env, zfs);
      saveConfig(env, 'lxc', vmid, file);
    }),
  );
}

export async function pctTemplate(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'pct template <vmid>', positionals: [vmidArg], options: {} }, args);
  const vmid = Number(parsed.positionals.vmid);
  const { env } = ctx;
  await withGuestLock(env, 'lxc', vmid, () =>
    withNodeLock(env, () => {
      const { file } = loadConfig(env, 'lxc', vmid);
      const values = file.current.values;
      assertNotLocked('lxc', values);
      if (values.template === '1') throw new SimError(`you can't convert a template to a template`);
      if (isRunning(env, vmid)) throw new SimError(`you can't convert a CT to template if the CT is running`);
      const zfs = loadZfs(env);
      for (const key of Object.keys(values).filter((k) => k === 'rootfs' || /^mp\d+$/.test(k))) {
        const disk = parsePropString(key, values[key]!, diskFormat(key), {});
        disk.volume = convertToBase(env, zfs, disk.volume!);
        values[key] = printPropString(disk, diskFormat(key));
      }
      values.template = '1';
      saveZfs(env, zfs);
      saveConfig(env, 'lxc', vmid, file);
    }),
  );
}
