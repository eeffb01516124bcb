/**
 * Commands pct and qm share: config, pending, snapshot, listsnapshot, rollback, delsnapshot. Each takes
 * the guest kind; usage lines and the few differences come from the caller.
 */
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import type { GuestKind } from '../core/env.js';
import { withNodeLock } from '../core/node-lock.js';
import { SNAPNAME } from '../core/schema.js';
import { configView, printConfig, printPending, sectionView } from './view.js';
import { deleteSnapshot, printSnapshotTree, requireSnapshot, rollbackSnapshot, takeSnapshot } from './snapshots.js';
import { assertNotLocked, loadConfig, readRuntime, saveConfig, withGuestLock, writeRuntime } from './store.js';
import { nowSeconds, randomPid } from './normalize.js';

const TASK_FAILURE = 255;
const tool = (kind: GuestKind) => (kind === 'lxc' ? 'pct' : 'qm');

export function configCommand(kind: GuestKind) {
  return (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(
      {
        usage: `${tool(kind)} config <vmid> [OPTIONS]`,
        positionals: [vmidArg],
        options: { current: { type: 'boolean' }, snapshot: SNAPNAME },
      },
      args,
    );
    const { file } = loadConfig(ctx.env, kind, Number(parsed.positionals.vmid));
    const snapshot = parsed.options.snapshot;
    if (snapshot !== undefined) {
      requireSnapshot(file, snapshot);
      printConfig(ctx.out, sectionView(file.sections.get(snapshot)!));
    } else {
      printConfig(ctx.out, configView(file, parsed.options.current === '1'));
    }
  };
}

export function pendingCommand(kind: GuestKind) {
  return (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs({ usage: `${tool(kind)} pending <vmid>`, positionals: [vmidArg], options: {} }, args);
    printPending(ctx.out, loadConfig(ctx.env, kind, Number(parsed.positionals.vmid)).file);
  };
}

export function listSnapshotCommand(kind: GuestKind) {
  return (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs({ usage: `${tool(kind)} listsnapshot <vmid>`, positionals: [vmidArg], options: {} }, args);
    printSnapshotTree(ctx.out, loadConfig(ctx.env, kind, Number(parsed.positionals.vmid)).file);
  };
}

export function snapshotCommand(kind: GuestKind) {
  return async (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(
      {
        usage: `${tool(kind)} snapshot <vmid> <snapname> [OPTIONS]`,
        positionals: [vmidArg, arg('snapname', SNAPNAME)],
        options: { description: { type: 'string' }, ...(kind === 'qemu' ? { vmstate: { type: 'boolean' } } : {}) },
      },
      args,
    );
    const vmid = Number(parsed.positionals.vmid);
    await withGuestLock(ctx.env, kind, vmid, () =>
      withNodeLock(ctx.env, () => {
        const { file } = loadConfig(ctx.env, kind, vmid, TASK_FAILURE);
        assertNotLocked(kind, file.current.values);
        takeSnapshot(ctx.env, vmid, file, parsed.positionals.snapname!, parsed.options.description);
        saveConfig(ctx.env, kind, vmid, file);
      }),
    );
  };
}

export function rollbackCommand(kind: GuestKind) {
  return async (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(
      {
        usage: `${tool(kind)} rollback <vmid> <snapname> [OPTIONS]`,
        positionals: [vmidArg, arg('snapname', SNAPNAME)],
        options: { start: { type: 'boolean' } },
      },
      args,
    );
    const vmid = Number(parsed.positionals.vmid);
    await withGuestLock(ctx.env, kind, vmid, () =>
      withNodeLock(ctx.env, () => {
        const { file } = loadConfig(ctx.env, kind, vmid, TASK_FAILURE);
        assertNotLocked(kind, file.current.values);
        // Proxmox stops the guest before rolling back; --start starts it again afterwards.
        rollbackSnapshot(ctx.env, vmid, file, parsed.positionals.snapname!);
        saveConfig(ctx.env, kind, vmid, file);
        const runtime = readRuntime(ctx.env, vmid);
        writeRuntime(
          ctx.env,
          vmid,
          parsed.options.start === '1'
            ? { ...runtime, status: 'running', pid: randomPid(), startedAt: nowSeconds() }
            : { ...runtime, status: 'stopped', pid: undefined, startedAt: undefined },
        );
      }),
    );
  };
}

export function delSnapshotCommand(kind: GuestKind) {
  return async (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(
      {
        usage: `${tool(kind)} delsnapshot <vmid> <snapname> [OPTIONS]`,
        positionals: [vmidArg, arg('snapname', SNAPNAME)],
        options: { force: { type: 'boolean' } },
      },
      args,
    );
    const vmid = Number(parsed.positionals.vmid);
    await withGuestLock(ctx.env, kind, vmid, () =>
      withNodeLock(ctx.env, () => {
        const { file } = loadConfig(ctx.env, kind, vmid, TASK_FAILURE);
        if (parsed.options.force !== '1') assertNotLocked(kind, file.current.values);
        deleteSnapshot(ctx.env, vmid, file, parsed.positionals.snapname!);
        saveConfig(ctx.env, kind, vmid, file);
      }),
    );
  };
}
