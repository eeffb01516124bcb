/** What a (re)start does for either guest kind; the checks before it, and their texts, stay with pct and qm. */
import type { CommandContext } from '../core/context.js';
import type { GuestKind } from '../core/env.js';
import type { GuestConfigFile } from './config-file.js';
import { applyPending } from './pending.js';
import { saveConfig, startedRuntime, writeRuntime, type GuestRuntime } from './store.js';

/**
 * A fresh boot: pending changes become current (and are saved), `check` judges the config the guest would
 * start with (it throws when the start fails), then the guest runs with a new pid.
 */
export function bootGuest(
  ctx: CommandContext,
  kind: GuestKind,
  vmid: number,
  file: GuestConfigFile,
  runtime: GuestRuntime,
  check: (file: GuestConfigFile) => void = () => {},
): void {
  applyPending(file);
  saveConfig(ctx.env, kind, vmid, file);
  check(file);
  writeRuntime(ctx.env, vmid, startedRuntime(runtime));
}
