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
  readStdin(): Promise<string>;
}

export type ToolRunner = (ctx: CommandContext, args: string[]) => Promise<void>;

/** Subcommand table: `ERROR: unknown command 'pct foo'` for anything not in it. */
export type SubcommandTable = Record<string, (ctx: CommandContext, args: string[]) => Promise<void> | void>;
