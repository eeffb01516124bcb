/**
 * Every top-level command, by name, with the module that implements it. Only the dispatched command's
 * module is loaded (`phoenix version` does not pay for the planner, the pg client or execa); help for
 * all commands loads them all.
 */
import type { Command } from '../command.js';

const LOADERS: Readonly<Record<string, () => Promise<Command>>> = {
  init: async () => (await import('./init.js')).initCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  plan: async () => (await import('./plan.js')).planCommand,
  apply: async () => (await import('./apply.js')).applyCommand,
  destroy: async () => (await import('./destroy.js')).destroyCommand,
  check: async () => (await import('./check.js')).checkCommand,
  convert: async () => (await import('./convert.js')).convertCommand,
  fmt: async () => (await import('./fmt.js')).fmtCommand,
  'force-unlock': async () => (await import('./force-unlock.js')).forceUnlockCommand,
  graph: async () => (await import('./graph.js')).graphCommand,
  import: async () => (await import('./import.js')).importCommand,
  output: async () => (await import('./output.js')).outputCommand,
  show: async () => (await import('./show.js')).showCommand,
  state: async () => (await import('./state.js')).stateCommand,
  version: async () => (await import('./version.js')).versionCommand,
  workspace: async () => (await import('./workspace.js')).workspaceCommand,
};

export const COMMAND_NAMES: readonly string[] = Object.keys(LOADERS);

/** The command's module, loaded now; undefined for an unknown name. */
export function loadCommand(name: string): Promise<Command> | undefined {
  return Object.hasOwn(LOADERS, name) ? LOADERS[name]!() : undefined;
}

/** Every command, for `phoenix -help`. */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_NAMES.map((name) => LOADERS[name]!()));
}
