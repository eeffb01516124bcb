/** qm start/stop/shutdown/reboot/reset/status: VM semantics (stop on a stopped VM succeeds). */
import { parseArgs } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { EXIT_TASK_FAILURE, SimError } from '../core/errors.js';
import type { ParamSpec } from '../core/schema.js';
import { bootGuest } from '../guest/power.js';
import { guestTaskCommand, type GuestTask } from '../guest/task-command.js';
import { printStatus } from '../guest/status-record.js';
import { assertNotLocked, loadConfig, readRuntime, startedRuntime, stoppedRuntime, tryLoadConfig, writeRuntime } from '../guest/store.js';
import { configView } from '../guest/view.js';
import { assertPcieMachine } from './normalize.js';
import { qemuStatus } from './status-data.js';

/** Every qm power command takes --skiplock. */
const qmPowerCommand = (command: string, options: Record<string, ParamSpec>, task: GuestTask) =>
  guestTaskCommand('qemu', command, { skiplock: { type: 'boolean' }, ...options }, task);

/**
 * stop/shutdown/reboot/reset: the VM's config (a missing VM is named differently here: QemuConfig
 * assert_config_exists_on_node), refused when locked unless --skiplock.
 */
function loadForPower(ctx: CommandContext, vmid: number, options: Record<string, string>) {
  const loaded = tryLoadConfig(ctx.env, 'qemu', vmid);
  if (!loaded) throw new SimError(`unable to find configuration file for VM ${vmid} on node '${ctx.env.node}'`);
  if (options.skiplock !== '1') assertNotLocked('qemu', loaded.file.current.values);
  return { file: loaded.file, runtime: readRuntime(ctx.env, vmid) };
}

export const qmStart = qmPowerCommand('start', { timeout: { type: 'integer', min: 0 }, machine: { type: 'string' } }, (ctx, vmid, options) => {
  const { file } = loadConfig(ctx.env, 'qemu', vmid, EXIT_TASK_FAILURE);
  if (options.skiplock !== '1') assertNotLocked('qemu', file.current.values);
  if (file.current.values.template === '1') throw new SimError(`you can't start a VM if it's a template`);
  const runtime = readRuntime(ctx.env, vmid);
  if (runtime.status === 'running') throw new SimError(`VM ${vmid} already running`);
  assertPcieMachine(configView(file, false).values);
  bootGuest(ctx, 'qemu', vmid, file, runtime);
});

/** stop and shutdown are idempotent: a stopped VM stays stopped, successfully. */
function stopCommand(command: 'stop' | 'shutdown', options: Record<string, ParamSpec>) {
  return qmPowerCommand(command, options, (ctx, vmid, parsed) => {
    const { runtime } = loadForPower(ctx, vmid, parsed);
    writeRuntime(ctx.env, vmid, stoppedRuntime(runtime));
  });
}

export const qmStop = stopCommand('stop', { timeout: { type: 'integer', min: 0 }, keepActive: { type: 'boolean' }, 'overrule-shutdown': { type: 'boolean' } });
export const qmShutdown = stopCommand('shutdown', { timeout: { type: 'integer', min: 0 }, forceStop: { type: 'boolean' }, keepActive: { type: 'boolean' } });

/** reboot applies pending changes (a fresh boot); reset restarts the running VM as it is. */
function restartCommand(command: 'reboot' | 'reset', appliesPending: boolean) {
  const options: Record<string, ParamSpec> = command === 'reboot' ? { timeout: { type: 'integer', min: 0 } } : {};
  return qmPowerCommand(command, options, (ctx, vmid, parsed) => {
    const { file, runtime } = loadForPower(ctx, vmid, parsed);
    if (runtime.status !== 'running') throw new SimError(`VM ${vmid} not running`);
    if (appliesPending) {
      assertPcieMachine(configView(file, false).values);
      bootGuest(ctx, 'qemu', vmid, file, runtime);
    }
    else writeRuntime(ctx.env, vmid, startedRuntime(runtime));
  });
}

export const qmReboot = restartCommand('reboot', true);
export const qmReset = restartCommand('reset', false);

export function qmStatus(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs({ usage: 'qm status <vmid> [OPTIONS]', positionals: [vmidArg], options: { verbose: { type: 'boolean' } } }, args);
  const vmid = Number(parsed.positionals.vmid);
  const status = qemuStatus(ctx.env, vmid, loadConfig(ctx.env, 'qemu', vmid).file);
  printStatus(ctx.out, status, status.qmpstatus, parsed.options.verbose === '1');
}
