/** What every CLI command is: its help text, its flags and a run function returning the exit code. */
import type { FlagSpec, ParsedArgs } from './args.js';
import type { Ui } from './ui.js';

export interface CommandContext {
  /** Absolute working directory (after -chdir). */
  cwd: string;
  args: ParsedArgs;
  ui: Ui;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** One line for `phoenix --help`. */
  summary: string;
  /** `phoenix plan [options]` */
  usage: string;
  /** Paragraphs shown by `phoenix help CMD`. */
  description: string;
  flags: readonly FlagSpec[];
  /** Commands such as `state` dispatch on their first positional argument. */
  subcommands?: readonly Command[];
  run?(ctx: CommandContext): Promise<number>;
}
