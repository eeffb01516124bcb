/** pct start/stop/shutdown/reboot/status (pve-container API2/LXC/Status.pm, pct.pm status). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { EXIT_TASK_FAILURE, SimError } from '../core/errors.js';
import type { ParamSpec } from '../core/schema.js';
import { guestPath } from '../guest/exec-engine.js';
import { bootGuest } from '../guest/power.js';
import { guestTaskCommand } from '../guest/task-command.js';
import { printStatus } from '../guest/status-record.js';
import { assertNotLocked, loadConfig, readRuntime, rootfsDir, stoppedRuntime, tryLoadConfig, writeRuntime } from '../guest/store.js';
import { rawLineVerdict } from './raw-keys.js';
import { checkStart } from './start-checks.js';
import { lxcStatus } from './status-data.js';

export const pctStart = guestTaskCommand('lxc', 'start', { skiplock: { type: 'boolean' }, debug: { type: 'boolean' } }, (ctx, vmid, options) => {
  const { file } = loadConfig(ctx.env, 'lxc', vmid, EXIT_TASK_FAILURE);
  const runtime = readRuntime(ctx.env, vmid);
  if (runtime.status === 'running') throw new SimError(`CT ${vmid} already running`);
  if (options.skiplock !== '1') assertNotLocked('lxc', file.current.values);
  if (file.current.values.template === '1') throw new SimError(`CT ${vmid} is a template - unable to start`);
  // load_config reads the file non-strictly: raw lines pve-container does not keep are warned about.
  for (const [key, value] of file.current.lxc) {
    const { warning } = rawLineVerdict(vmid, key, value);
    if (warning) ctx.out.err(warning);
  }
  // LXC.pm vm_start: --debug, else the config's `debug` option, logs the start at DEBUG.
  bootGuest(ctx, 'lxc', vmid, file, runtime, (booted) => checkStart(ctx, vmid, booted, (options.debug ?? booted.current.values.debug) === '1'));
  syncHostname(ctx, vmid, file.current.values);
});

/** A running CT's config; a missing CT is "not running" too (reboot's text says VM, as LXC.pm's does). */
function loadRunning(ctx: CommandContext, vmid: number, label: 'CT' | 'VM') {
  const runtime = readRuntime(ctx.env, vmid);
  const loaded = tryLoadConfig(ctx.env, 'lxc', vmid);
  if (!loaded || runtime.status !== 'running') throw new SimError(`${label} ${vmid} not running`);
  return { file: loaded.file, runtime };
}

/** stop and shutdown: not idempotent (stopping a stopped CT fails). */
function stopCommand(command: 'stop' | 'shutdown', options: Record<string, ParamSpec>) {
  return guestTaskCommand('lxc', command, options, (ctx, vmid, parsed) => {
    const { file, runtime } = loadRunning(ctx, vmid, 'CT');
    if (parsed.skiplock !== '1') assertNotLocked('lxc', file.current.values);
    writeRuntime(ctx.env, vmid, stoppedRuntime(runtime));
  });
}

export const pctStop = stopCommand('stop', { skiplock: { type: 'boolean' }, 'overrule-shutdown': { type: 'boolean' } });
export const pctShutdown = stopCommand('shutdown', { timeout: { type: 'integer', min: 0 }, forceStop: { type: 'boolean' } });

export const pctReboot = guestTaskCommand('lxc', 'reboot', { timeout: { type: 'integer', min: 0 } }, (ctx, vmid) => {
  const { file, runtime } = loadRunning(ctx, vmid, 'VM');
  assertNotLocked('lxc', file.current.values);
  bootGuest(ctx, 'lxc', vmid, file, runtime, (booted) => {
    try {
      checkStart(ctx, vmid, booted, booted.current.values.debug === '1');
    } catch (error) {
      // The CT went down for the reboot and does not come up again.
      writeRuntime(ctx.env, vmid, stoppedRuntime(runtime));
      throw error;
    }
  });
  syncHostname(ctx, vmid, file.current.values);
});

/** Proxmox writes the configured hostname into the CT's /etc/hostname when it starts. */
function syncHostname(ctx: CommandContext, vmid: number, values: Record<string, string>): void {
  const etc = guestPath(rootfsDir(ctx.env, vmid), '/etc');
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, 'hostname'), `${values.hostname ?? `CT${vmid}`}\n`);
}

export function pctStatus(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs({ usage: 'pct status <vmid> [OPTIONS]', positionals: [vmidArg], options: { verbose: { type: 'boolean' } } }, args);
  const vmid = Number(parsed.positionals.vmid);
  const status = lxcStatus(ctx.env, vmid, loadConfig(ctx.env, 'lxc', vmid).file);
  printStatus(ctx.out, status, status.status, parsed.options.verbose === '1');
}
