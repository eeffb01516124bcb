/**
 * The simulated node's host shell (`sh SCRIPT` / `sh -c TEXT`): the sandbox host features run in. Nothing
 * is executed on this machine: the call, its PHOENIX_INPUT_* environment and the script text are appended
 * to var/sim/host-exec.log (one JSON object per line); a scripted failure comes from faults.json
 * (`"match": "sh "`). A script file that does not exist fails as dash does.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from './core/context.js';
import { SimError } from './core/errors.js';

export interface HostExecLogEntry {
  time: string;
  argv: string[];
  env: Record<string, string>;
  script: string;
}

export function hostExecLogPath(simDir: string): string {
  return join(simDir, 'host-exec.log');
}

export async function run(ctx: CommandContext, args: string[]): Promise<void> {
  let script: string;
  if (args[0] === '-c') {
    if (args[1] === undefined) throw new SimError('sh: 0: -c requires an argument', 2);
    script = args[1];
  } else if (args[0] !== undefined) {
    if (!existsSync(args[0])) throw new SimError(`sh: 0: cannot open ${args[0]}: No such file`, 2);
    script = readFileSync(args[0], 'utf8');
  } else {
    script = await ctx.readStdin();
  }
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PHOENIX_INPUT_')) as [string, string][]);
  mkdirSync(ctx.env.simDir, { recursive: true });
  const entry: HostExecLogEntry = { time: new Date().toISOString(), argv: ['sh', ...args], env, script };
  appendFileSync(hostExecLogPath(ctx.env.simDir), JSON.stringify(entry) + '\n');
}
