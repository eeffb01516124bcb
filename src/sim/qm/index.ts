/** qm: the VM CLI (qemu-server src/PVE/CLI/qm.pm). */
import type { CommandContext, SubcommandTable } from '../core/context.js';
import { dispatch } from '../core/dispatch.js';
import { commonCommands } from '../guest/common-commands.js';
import { qmCloudinit, qmGuest } from './agent.js';
import { qmCreate, qmSet } from './create-set.js';
import { qmDiskMove } from './disk-move.js';
import { qmClone, qmDestroy, qmList, qmResize, qmTemplate } from './manage.js';
import { qmReboot, qmReset, qmShutdown, qmStart, qmStatus, qmStop } from './power.js';

const COMMANDS: SubcommandTable = {
  ...commonCommands('qemu'),
  create: qmCreate,
  set: qmSet,
  clone: qmClone,
  template: qmTemplate,
  resize: qmResize,
  disk: (ctx, args) => dispatch('qm disk', { resize: qmResize, move: qmDiskMove }, ctx, args),
  'move-disk': qmDiskMove,
  start: qmStart,
  stop: qmStop,
  shutdown: qmShutdown,
  reboot: qmReboot,
  reset: qmReset,
  status: qmStatus,
  list: qmList,
  destroy: qmDestroy,
  guest: qmGuest,
  cloudinit: qmCloudinit,
};

export function run(ctx: CommandContext, args: string[]): Promise<void> {
  return dispatch('qm', COMMANDS, ctx, args);
}
