/** What every simulated command receives. */
import type { SimEnv } from './env.js';
import type { FaultRule } from './faults.js';
import type { Output } from './output.js';

export interface CommandContext {
  env: SimEnv;
  out: Output;
  /** A `fail` fault for a guest-exec command: the command records the call, then fails this way. */
  execFault: FaultRule | null;
  /** Exit code when the command returns normally (some Proxmox failures exit 0). */
  exitCode: number;
  /** Set by taskError: the command failed although it exits 0. */
  taskFailed: boolean;
  readStdin(): Promise<string>;
}

export type ToolRunner = (ctx: CommandContext, args: string[]) => Promise<void>;

/** Subcommand table: `ERROR: unknown command 'pct foo'` for anything not in it. */
export type SubcommandTable = Record<string, (ctx: CommandContext, args: string[]) => Promise<void> | void>;

/**
 * A worker failure of a command whose CLI entry has no $upid_exit (pct resize/template, qm disk
 * resize/template): RESTEnvironment.pm prints the error on stderr and the command still exits 0.
 */
export function taskError(ctx: CommandContext, message: string): void {
  ctx.out.err(message);
  ctx.taskFailed = true;
}
