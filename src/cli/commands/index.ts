/** Every top-level command, in one list for dispatch and `phoenix --help`. */
import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { checkCommand } from './check.js';
import { convertCommand } from './convert.js';
import { destroyCommand } from './destroy.js';
import { fmtCommand } from './fmt.js';
import { forceUnlockCommand } from './force-unlock.js';
import { graphCommand } from './graph.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { outputCommand } from './output.js';
import { planCommand } from './plan.js';
import { showCommand } from './show.js';
import { stateCommand } from './state.js';
import { validateCommand } from './validate.js';
import { versionCommand } from './version.js';
import { workspaceCommand } from './workspace.js';

export const COMMANDS: readonly Command[] = [
  initCommand,
  validateCommand,
  planCommand,
  applyCommand,
  destroyCommand,
  checkCommand,
  convertCommand,
  fmtCommand,
  forceUnlockCommand,
  graphCommand,
  importCommand,
  outputCommand,
  showCommand,
  stateCommand,
  versionCommand,
  workspaceCommand,
];
