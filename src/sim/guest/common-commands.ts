/**
 * Commands pct and qm share: config, pending, snapshot, listsnapshot, rollback, delsnapshot, as one table
 * per guest kind (commonCommands). The few kind differences (qm's `--vmstate`) are spelled out below.
 */
import { parseArgs } from '../core/args.js';
import { EXIT_TASK_FAILURE } from '../core/errors.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext, SubcommandTable } from '../core/context.js';
import type { GuestKind } from '../core/env.js';
import { SNAPNAME, type ParamSpec } from '../core/schema.js';
import type { GuestConfigFile } from './config-file.js';
import { configView, printConfig, printPending, sectionView } from './view.js';
import { deleteSnapshot, printSnapshotTree, requireSnapshot, rollbackSnapshot, takeSnapshot } from './snapshots.js';
import { assertNotLocked, loadConfig, readRuntime, saveConfig, startedRuntime, stoppedRuntime, toolName, withGuestTask, writeRuntime } from './store.js';

function configCommand(kind: GuestKind) {
  return (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(
      {
        usage: `${toolName(kind)} config <vmid> [OPTIONS]`,
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

function pendingCommand(kind: GuestKind) {
  return (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs({ usage: `${toolName(kind)} pending <vmid>`, positionals: [vmidArg], options: {} }, args);
    printPending(ctx.out, loadConfig(ctx.env, kind, Number(parsed.positionals.vmid)).file);
  };
}

function listSnapshotCommand(kind: GuestKind) {
  return (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs({ usage: `${toolName(kind)} listsnapshot <vmid>`, positionals: [vmidArg], options: {} }, args);
    printSnapshotTree(ctx.out, loadConfig(ctx.env, kind, Number(parsed.positionals.vmid)).file);
  };
}

type SnapshotOptions = Record<string, string | undefined>;

/**
 * `<tool> <command> <vmid> <snapname> [OPTIONS]`: a task under the guest's locks on an existing guest
 * (missing → exit 255) that refuses a locked config unless `skipsLockCheck` says otherwise, then saves.
 */
function snapshotTask(
  kind: GuestKind,
  command: string,
  options: Record<string, ParamSpec>,
  skipsLockCheck: (options: SnapshotOptions) => boolean,
  task: (ctx: CommandContext, vmid: number, file: GuestConfigFile, snapname: string, options: SnapshotOptions) => void,
) {
  return async (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(
      { usage: `${toolName(kind)} ${command} <vmid> <snapname> [OPTIONS]`, positionals: [vmidArg, arg('snapname', SNAPNAME)], options },
      args,
    );
    const vmid = Number(parsed.positionals.vmid);
    await withGuestTask(ctx.env, kind, vmid, () => {
      const { file } = loadConfig(ctx.env, kind, vmid, EXIT_TASK_FAILURE);
      if (!skipsLockCheck(parsed.options)) assertNotLocked(kind, file.current.values);
      task(ctx, vmid, file, parsed.positionals.snapname!, parsed.options);
      saveConfig(ctx.env, kind, vmid, file);
    });
  };
}

const neverSkipsLockCheck = () => false;

function snapshotCommand(kind: GuestKind) {
  const options: Record<string, ParamSpec> = { description: { type: 'string' }, ...(kind === 'qemu' ? { vmstate: { type: 'boolean' } } : {}) };
  return snapshotTask(kind, 'snapshot', options, neverSkipsLockCheck, (ctx, vmid, file, snapname, opts) =>
    takeSnapshot(ctx.env, kind, vmid, file, snapname, opts.description),
  );
}

/** Proxmox stops the guest before rolling back; --start starts it again afterwards. */
function rollbackCommand(kind: GuestKind) {
  return snapshotTask(kind, 'rollback', { start: { type: 'boolean' } }, neverSkipsLockCheck, (ctx, vmid, file, snapname, opts) => {
    rollbackSnapshot(ctx.env, kind, vmid, file, snapname);
    const runtime = readRuntime(ctx.env, vmid);
    writeRuntime(ctx.env, vmid, opts.start === '1' ? startedRuntime(runtime) : stoppedRuntime(runtime));
  });
}

function delSnapshotCommand(kind: GuestKind) {
  return snapshotTask(kind, 'delsnapshot', { force: { type: 'boolean' } }, (opts) => opts.force === '1', (ctx, vmid, file, snapname) =>
    deleteSnapshot(ctx.env, vmid, file, snapname),
  );
}

/** The subcommands pct and qm both offer, for each tool's table. */
export function commonCommands(kind: GuestKind): SubcommandTable {
  return {
    config: configCommand(kind),
    pending: pendingCommand(kind),
    snapshot: snapshotCommand(kind),
    listsnapshot: listSnapshotCommand(kind),
    rollback: rollbackCommand(kind),
    delsnapshot: delSnapshotCommand(kind),
  };
}
