/** qm start/stop/shutdown/reboot/reset/status: VM semantics (stop on a stopped VM succeeds). */
import { parseArgs } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import type { ParamSpec } from '../core/schema.js';
import { applyPending } from '../guest/pending.js';
import { nowSeconds, randomPid } from '../guest/normalize.js';
import { assertNotLocked, loadConfig, readRuntime, saveConfig, tryLoadConfig, withGuestLock, writeRuntime } from '../guest/store.js';
import { qemuStatus } from './status-data.js';

const TASK_FAILURE = 255;
const spec = (command: string, options: Record<string, ParamSpec> = {}) => ({
  usage: `qm ${command} <vmid> [OPTIONS]`,
  positionals: [vmidArg],
  options: { skiplock: { type: 'boolean' as const }, ...options },
});

/** stop/shutdown/reboot/reset name a missing VM differently (QemuConfig assert_config_exists_on_node). */
function loadForPower(ctx: CommandContext, vmid: number) {
  const loaded = tryLoadConfig(ctx.env, 'qemu', vmid);
  if (!loaded) throw new SimError(`unable to find configuration file for VM ${vmid} on node '${ctx.env.node}'`);
  return loaded;
}

export async function qmStart(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(spec('start', { timeout: { type: 'integer', min: 0 }, machine: { type: 'string' } }), args);
  const vmid = Number(parsed.positionals.vmid);
  await withGuestLock(ctx.env, 'qemu', vmid, () =>
    withNodeLock(ctx.env, () => {
      const { file } = loadConfig(ctx.env, 'qemu', vmid, TASK_FAILURE);
      if (parsed.options.skiplock !== '1') assertNotLocked('qemu', file.current.values);
      if (file.current.values.template === '1') throw new SimError(`you can't start a VM if it's a template`);
      const runtime = readRuntime(ctx.env, vmid);
      if (runtime.status === 'running') throw new SimError(`VM ${vmid} already running`);
      applyPending(file);
      saveConfig(ctx.env, 'qemu', vmid, file);
      writeRuntime(ctx.env, vmid, { ...runtime, status: 'running', pid: randomPid(), startedAt: nowSeconds() });
    }),
  );
}

function stopCommand(command: 'stop' | 'shutdown', options: Record<string, ParamSpec>) {
  return async (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(spec(command, options), args);
    const vmid = Number(parsed.positionals.vmid);
    await withGuestLock(ctx.env, 'qemu', vmid, () =>
      withNodeLock(ctx.env, () => {
        const { file } = loadForPower(ctx, vmid);
        if (parsed.options.skiplock !== '1') assertNotLocked('qemu', file.current.values);
        const runtime = readRuntime(ctx.env, vmid);
        writeRuntime(ctx.env, vmid, { ...runtime, status: 'stopped', pid: undefined, startedAt: undefined });
      }),
    );
  };
}

export const qmStop = stopCommand('stop', { timeout: { type: 'integer', min: 0 }, keepActive: { type: 'boolean' }, 'overrule-shutdown': { type: 'boolean' } });
export const qmShutdown = stopCommand('shutdown', { timeout: { type: 'integer', min: 0 }, forceStop: { type: 'boolean' }, keepActive: { type: 'boolean' } });

/** reboot applies pending changes (a fresh start); reset does not. */
function restartCommand(command: 'reboot' | 'reset', appliesPending: boolean) {
  return async (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(spec(command, command === 'reboot' ? { timeout: { type: 'integer', min: 0 } } : {}), args);
    const vmid = Number(parsed.positionals.vmid);
    await withGuestLock(ctx.env, 'qemu', vmid, () =>
      withNodeLock(ctx.env, () => {
        const { file } = loadForPower(ctx, vmid);
        if (parsed.options.skiplock !== '1') assertNotLocked('qemu', file.current.values);
        const runtime = readRuntime(ctx.env, vmid);
        if (runtime.status !== 'running') throw new SimError(`VM ${vmid} not running`);
        if (appliesPending) {
          applyPending(file);
          saveConfig(ctx.env, 'qemu', vmid, file);
        }
        writeRuntime(ctx.env, vmid, { ...runtime, pid: randomPid(), startedAt: nowSeconds() });
      }),
    );
  };
}

export const qmReboot = restartCommand('reboot', true);
export const qmReset = restartCommand('reset', false);

export function qmStatus(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs({ usage: 'qm status <vmid> [OPTIONS]', positionals: [vmidArg], options: { verbose: { type: 'boolean' } } }, args);
  const vmid = Number(parsed.positionals.vmid);
  const { file } = loadConfig(ctx.env, 'qemu', vmid);
  const status = qemuStatus(ctx.env, vmid, file);
  if (parsed.options.verbose !== '1') {
    ctx.out.line(`status: ${status.qmpstatus}`);
    return;
  }
  for (const key of Object.keys(status).sort()) {
    if (status[key] !== undefined) ctx.out.line(`${key}: ${status[key]}`);
  }
}
