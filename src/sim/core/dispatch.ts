import { SimError } from './errors.js';
import type { CommandContext, SubcommandTable } from './context.js';

/** Run `tool sub args...` from a table, with CLIHandler's messages for missing/unknown subcommands. */
export async function dispatch(tool: string, table: SubcommandTable, ctx: CommandContext, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new SimError(`ERROR: no command specified`);
  const handler = Object.hasOwn(table, sub) ? table[sub] : undefined;
  if (!handler) throw new SimError(`ERROR: unknown command '${tool} ${sub}'`);
  await handler(ctx, rest);
}
