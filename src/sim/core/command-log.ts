/**
 * `var/sim/commands.log`: every command the simulated node ran, one JSON object per line, with its exit
 * code and whether the node refused it (an error exit, or a task failure that exits 0). Tests count the
 * refused ones: a configuration that applies cleanly leaves none. Secret option values are not written.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimEnv } from './env.js';

export interface CommandLogEntry {
  time: string;
  tool: string;
  args: string[];
  exitCode: number;
  rejected: boolean;
  stderr: string;
}

const SECRET_OPTIONS = /^--?(password|cipassword)(=|$)/;

function redacted(args: string[]): string[] {
  return args.map((arg, i) => {
    const inline = SECRET_OPTIONS.exec(arg);
    if (inline && inline[2] === '=') return `${arg.slice(0, arg.indexOf('=') + 1)}(redacted)`;
    return i > 0 && SECRET_OPTIONS.test(args[i - 1]!) && !args[i - 1]!.includes('=') ? '(redacted)' : arg;
  });
}

export function commandLogPath(env: SimEnv): string {
  return join(env.simDir, 'commands.log');
}

export function appendCommandLog(env: SimEnv, entry: Omit<CommandLogEntry, 'time'>): void {
  mkdirSync(env.simDir, { recursive: true });
  const line: CommandLogEntry = { time: new Date().toISOString(), ...entry, args: redacted(entry.args) };
  appendFileSync(commandLogPath(env), JSON.stringify(line) + '\n');
}

/** The entries of a state directory's command log (tests read it without a SimEnv). */
export function readCommandLog(stateDir: string): CommandLogEntry[] {
  const path = join(stateDir, 'var/sim/commands.log');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CommandLogEntry);
}
