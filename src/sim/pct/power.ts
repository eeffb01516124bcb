/** pct start/stop/shutdown/reboot/status (pve-container API2/LXC/Status.pm, pct.pm status). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../core/args.js';
import { vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import type { ParamSpec } from '../core/schema.js';
import { applyPending } from '../guest/pending.js';
import { nowSeconds, randomPid } from '../guest/normalize.js';
import { guestPath } from '../guest/exec-engine.js';
import { assertNotLocked, loadConfig, readRuntime, rootfsDir, saveConfig, tryLoadConfig, withGuestLock, writeRuntime } from '../guest/store.js';
import { lxcStatus } from './status-data.js';

const TASK_FAILURE = 255;

function spec(command: string, options: Record<string, ParamSpec> = {}) {
  return { usage: `pct ${command} <vmid> [OPTIONS]`, positionals: [vmidArg], options };
}

export async function pctStart(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(spec('start', { skiplock: { type: 'boolean' }, debug: { type: 'boolean' } }), args);
  const vmid = Number(parsed.positionals.vmid);
  await withGuestLock(ctx.env, 'lxc', vmid, () =>
    withNodeLock(ctx.env, () => {
      const { file } = loadConfig(ctx.env, 'lxc', vmid, TASK_FAILURE);
      const runtime = readRuntime(ctx.env, vmid);
      if (runtime.status === 'running') throw new SimError(`CT ${vmid} already running`);
      if (parsed.options.skiplock !== '1') assertNotLocked('lxc', file.current.values);
      if (file.current.values.template === '1') throw new SimError(`CT ${vmid} is a template - unable to start`);
      applyPending(file);
      saveConfig(ctx.env, 'lxc', vmid, file);
      syncHostname(ctx, vmid, file.current.values);
      writeRuntime(ctx.env, vmid, { ...runtime, status: 'running', pid: randomPid(), startedAt: nowSeconds() });
    }),
  );
}

/** stop and shutdown: not idempotent; a missing CT is "not running" too. */
function stopCommand(command: 'stop' | 'shutdown', options: Record<string, ParamSpec>) {
  return async (ctx: CommandContext, args: string[]) => {
    const parsed = parseArgs(spec(command, options), args);
    const vmid = Number(parsed.positionals.vmid);
    await withGuestLock(ctx.env, 'lxc', vmid, () =>
      withNodeLock(ctx.env, () => {
        const runtime = readRuntime(ctx.env, vmid);
        const loaded = tryLoadConfig(ctx.env, 'lxc', vmid);
        if (!loaded || runtime.status !== 'running') throw new SimError(`CT ${vmid} not running`);
        if (parsed.options.skiplock !== '1') assertNotLocked('lxc', loaded.file.current.values);
        writeRuntime(ctx.env, vmid, { ...runtime, status: 'stopped', pid: undefined, startedAt: undefined });
      }),
    );
  };
}

export const pctStop = stopCommand('stop', { skiplock: { type: 'boolean' }, 'overrule-shutdown': { type: 'boolean' } });
export const pctShutdown = stopCommand('shutdown', { timeout: { type: 'integer', min: 0 }, forceStop: { type: 'boolean' } });

export async function pctReboot(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(spec('reboot', { timeout: { type: 'integer', min: 0 } }), args);
  const vmid = Number(parsed.positionals.vmid);
  await withGuestLock(ctx.env, 'lxc', vmid, () =>
    withNodeLock(ctx.env, () => {
      const runtime = readRuntime(ctx.env, vmid);
      const loaded = tryLoadConfig(ctx.env, 'lxc', vmid);
      if (!loaded || runtime.status !== 'running') throw new SimError(`VM ${vmid} not running`);
      assertNotLocked('lxc', loaded.file.current.values);
      applyPending(loaded.file);
      saveConfig(ctx.env, 'lxc', vmid, loaded.file);
      syncHostname(ctx, vmid, loaded.file.current.values);
      writeRuntime(ctx.env, vmid, { ...runtime, status: 'running', pid: randomPid(), startedAt: nowSeconds() });
    }),
  );
}

/** Proxmox writes the configured hostname into the CT's /etc/hostname when it starts. */
function syncHostname(ctx: CommandContext, vmid: number, values: Record<string, string>): void {
  const etc = guestPath(rootfsDir(ctx.env, vmid), '/etc');
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, 'hostname'), `${values.hostname ?? `CT${vmid}`}\n`);
}

export function pctStatus(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs(spec('status', { verbose: { type: 'boolean' } }), args);
  const vmid = Number(parsed.positionals.vmid);
  const { file } = loadConfig(ctx.env, 'lxc', vmid);
  const status = lxcStatus(ctx.env, vmid, file);
  if (parsed.options.verbose !== '1') {
    ctx.out.line(`status: ${status.status}`);
    return;
  }
  for (const key of Object.keys(status).sort()) {
    const value = status[key];
    if (value !== undefined && typeof value !== 'object') ctx.out.line(`${key}: ${value}`);
  }
}
