/** pct: the container CLI (pve-container src/PVE/CLI/pct.pm). */
import type { CommandContext, SubcommandTable } from '../core/context.js';
import { dispatch } from '../core/dispatch.js';
import { commonCommands } from '../guest/common-commands.js';
import { pctClone } from './clone.js';
import { pctCreate } from './create.js';
import { pctExec, pctPush } from './exec.js';
import { pctMoveVolume } from './move-volume.js';
import { pctDestroy, pctList, pctResize, pctTemplate } from './manage.js';
import { pctReboot, pctShutdown, pctStart, pctStatus, pctStop } from './power.js';
import { pctSet } from './set.js';

const COMMANDS: SubcommandTable = {
  ...commonCommands('lxc'),
  create: pctCreate,
  set: pctSet,
  resize: pctResize,
  'move-volume': pctMoveVolume,
  move_volume: pctMoveVolume,
  start: pctStart,
  stop: pctStop,
  shutdown: pctShutdown,
  reboot: pctReboot,
  status: pctStatus,
  list: pctList,
  destroy: pctDestroy,
  clone: pctClone,
  template: pctTemplate,
  exec: pctExec,
  push: pctPush,
};

export function run(ctx: CommandContext, args: string[]): Promise<void> {
  return dispatch('pct', COMMANDS, ctx, args);
}
