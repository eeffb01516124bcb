#!/usr/bin/env node
/**
 * The `phoenix` executable: global options, command dispatch, help, and the one place where errors
 * become output. A DiagnosticError prints its diagnostics; anything else is reported as an internal
 * error with its message (the stack only with PHOENIX_DEBUG=1), never as a bare trace.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosticError, didYouMean, error } from '../config/diagnostics.js';
import { parseCommandArgs, parseGlobalArgs, type FlagSpec } from './args.js';
import type { Command } from './command.js';
import { sourcesOf } from './errors.js';
import { COLOR_FLAGS } from './flags.js';
import { commandHelp, globalHelp } from './help.js';
import { createUi, wantsColor, type Ui } from './ui.js';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Decided before parsing so that even argument errors respect -no-color.
  const ui = createUi(wantsColor(argv.some((a) => /^--?no-color(=true)?$/.test(a)), env));
  try {
    // Loaded here, not statically, so that even a module that fails to load is reported as a diagnostic.
    const { COMMANDS } = await import('./commands/index.js');
    return await dispatch(argv, env, ui, COMMANDS);
  } catch (e) {
    if (e instanceof DiagnosticError) {
      ui.diagnostics(e.diagnostics, sourcesOf(e));
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    const detail = env.PHOENIX_DEBUG === '1' && e instanceof Error && e.stack ? e.stack : `${message}\n\nThis is a bug in phoenix; set PHOENIX_DEBUG=1 for details.`;
    ui.diagnostics([error('Internal error', detail)]);
    return 1;
  }
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv, ui: Ui, commands: readonly Command[]): Promise<number> {
  const findCommand = (name: string, parent?: Command): Command => lookup(commands, name, parent);
  const global = parseGlobalArgs(argv);
  if (global.version) return runCommand(findCommand('version'), [], global.chdir, env, ui);
  if (global.command === 'help') return printHelp(global.rest, ui, commands);
  if (global.command === undefined) {
    ui.out(globalHelp(commands));
    return global.help ? 0 : 1;
  }
  let command = findCommand(global.command);
  let rest = global.rest;
  if (global.help) return printHelp([global.command, ...rest.filter((a) => !a.startsWith('-'))], ui, commands);
  if (command.subcommands) {
    const [name, ...subArgs] = rest;
    if (name === undefined || name.startsWith('-')) {
      ui.out(commandHelp(command, []));
      return name === undefined ? 1 : 0;
    }
    command = findCommand(name, command);
    rest = subArgs;
  }
  return runCommand(command, rest, global.chdir, env, ui);
}

async function runCommand(command: Command, argv: string[], chdir: string | undefined, env: NodeJS.ProcessEnv, ui: Ui): Promise<number> {
  const flags = withCommonFlags(command.flags);
  const args = parseCommandArgs(argv, flags, qualifiedName(command));
  if (args.help) {
    ui.out(commandHelp(command, flags));
    return 0;
  }
  const cwd = workingDirectory(chdir);
  const commandUi = args.flags.bool('no-color') && ui.color ? createUi(false, ui.sensitive) : ui;
  return command.run!({ cwd, args, ui: commandUi, env });
}

function printHelp(names: string[], ui: Ui, commands: readonly Command[]): number {
  if (names.length === 0) {
    ui.out(globalHelp(commands));
    return 0;
  }
  let command = lookup(commands, names[0]!);
  if (command.subcommands && names[1]) command = lookup(commands, names[1], command);
  ui.out(commandHelp(command, command.subcommands ? [] : withCommonFlags(command.flags)));
  return 0;
}

const parents = new Map<Command, Command>();

function lookup(commands: readonly Command[], name: string, parent?: Command): Command {
  const candidates = parent?.subcommands ?? commands;
  const found = candidates.find((c) => c.name === name);
  if (found) {
    if (parent) parents.set(found, parent);
    return found;
  }
  const suggestion = didYouMean(name, candidates.map((c) => c.name));
  const what = parent ? `"phoenix ${parent.name}" subcommand` : 'command';
  throw new DiagnosticError([
    error(
      `Unknown ${what} "${name}"`,
      `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Run "phoenix ${parent ? `${parent.name} ` : ''}-help" for the list of ${parent ? 'subcommands' : 'commands'}.`,
    ),
  ]);
}

function qualifiedName(command: Command): string {
  const parent = parents.get(command);
  return parent ? `${parent.name} ${command.name}` : command.name;
}

/** Every command accepts -no-color, whether or not it prints colours, like Terraform. */
function withCommonFlags(flags: readonly FlagSpec[]): FlagSpec[] {
  return flags.some((f) => f.name === 'no-color') ? [...flags] : [...flags, ...COLOR_FLAGS];
}

function workingDirectory(chdir: string | undefined): string {
  const dir = resolve(chdir ?? process.cwd());
  if (chdir !== undefined && !(existsSync(dir) && statSync(dir).isDirectory())) {
    throw new DiagnosticError([error('Invalid -chdir directory', `The directory ${dir} does not exist.`)]);
  }
  return dir;
}

// Run only when executed as the `phoenix` program, not when imported by tests.
function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
}
