/**
 * The frame pct and qm power commands share: `<tool> <command> <vmid> [OPTIONS]` run under the guest's
 * locks, and what a (re)start does. Which checks run, in which order and with which texts stays with
 * each tool (proxmox-cli.md): CT and VM semantics differ.
 */
import { parseArgs } from '../core/args.js';
import type { CommandContext } from '../core/context.js';
import type { GuestKind } from '../core/env.js';
import { vmidArg } from '../core/guest-args.js';
import type { ParamSpec } from '../core/schema.js';
import type { GuestConfigFile } from './config-file.js';
import { applyPending } from './pending.js';
import { saveConfig, startedRuntime, withGuestTask, writeRuntime, type GuestRuntime } from './store.js';

export type PowerTask = (ctx: CommandContext, vmid: number, options: Record<string, string>) => void;

export function powerCommand(kind: GuestKind, command: string, options: Record<string, ParamSpec>, task: PowerTask) {
  const tool = kind === 'lxc' ? 'pct' : 'qm';
  return async (ctx: CommandContext, args: string[]): Promise<void> => {
    const parsed = parseArgs({ usage: `${tool} ${command} <vmid> [OPTIONS]`, positionals: [vmidArg], options }, args);
    const vmid = Number(parsed.positionals.vmid);
    await withGuestTask(ctx.env, kind, vmid, () => task(ctx, vmid, parsed.options));
  };
}

/** A (re)start that boots the guest afresh: pending changes become current, then it runs with a new pid. */
export function bootGuest(ctx: CommandContext, kind: GuestKind, vmid: number, file: GuestConfigFile, runtime: GuestRuntime): void {
  applyPending(file);
  saveConfig(ctx.env, kind, vmid, file);
  writeRuntime(ctx.env, vmid, startedRuntime(runtime));
}
