/** `<tool> <command> <vmid> [OPTIONS]` run as a task under the guest's locks (power commands, destroy). */
import { parseArgs } from '../core/args.js';
import type { CommandContext } from '../core/context.js';
import type { GuestKind } from '../core/env.js';
import { vmidArg } from '../core/guest-args.js';
import type { ParamSpec } from '../core/schema.js';
import { toolName, withGuestTask } from './store.js';

export type GuestTask = (ctx: CommandContext, vmid: number, options: Record<string, string>) => void;

export function guestTaskCommand(kind: GuestKind, command: string, options: Record<string, ParamSpec>, task: GuestTask) {
  return async (ctx: CommandContext, args: string[]): Promise<void> => {
    const parsed = parseArgs({ usage: `${toolName(kind)} ${command} <vmid> [OPTIONS]`, positionals: [vmidArg], options }, args);
    const vmid = Number(parsed.positionals.vmid);
    await withGuestTask(ctx.env, kind, vmid, () => task(ctx, vmid, parsed.options));
  };
}
