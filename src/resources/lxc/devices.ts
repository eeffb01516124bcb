/**
 * Device passthrough (`devN`, pve-container src/PVE/LXC/Config.pm $dev_desc): `path` (a /dev node), `mode`
 * (octal), `uid`, `gid` and `deny-write`. How a change lands (Config.pm vmconfig_hotplug_pending):
 * - a new `devN` is hot-plugged into a running container (PVE::LXC::device_passthrough_hotplug): in place;
 * - changing an existing `devN` waits in `[pve:pending]` ("don't try to hotplug over existing dev"), and
 *   so does removing one (no delete branch for devN): applied at the next start, a restart.
 * `pct` runs as root@pam, so LXC.pm check_ct_modify_config_perm's "configuring device passthrough is only
 * allowed for root@pam" never applies to phoenix.
 */
import { isObject, valuesEqual, type Value, type ValueObject } from '../../config/values.js';
import { bool, num, str } from '../proxmox/attrs.js';
import type { ChangeKind } from '../proxmox/diff-rules.js';
import { indexedKeys } from '../proxmox/guest-schema.js';
import { formatPropertyString, parsePropertyString } from '../proxmox/property-string.js';

export const DEVICE_FIELDS = ['path', 'mode', 'uid', 'gid', 'deny_write'] as const;

/** Config.pm $MAX_DEVICES. */
export const MAX_DEVICES = 256;

export function normalizeDevices(v: Value | undefined): Value {
  if (!Array.isArray(v)) return v ?? null;
  return v.filter(isObject).map((d) => ({ path: d.path ?? null, mode: d.mode ?? null, uid: d.uid ?? null, gid: d.gid ?? null, deny_write: d.deny_write ?? false }));
}

/** `--devN` value: the path bare (the format's default key, as the GUI writes it), then the rest sorted; pct stores it as sent. */
export function deviceOption(device: ValueObject): string {
  return formatPropertyString([['', str(device, 'path')]], {
    'deny-write': bool(device, 'deny_write') ? '1' : undefined,
    gid: num(device, 'gid')?.toString(),
    mode: str(device, 'mode'),
    uid: num(device, 'uid')?.toString(),
  });
}

function deviceFromConfig(text: string): ValueObject {
  const p = parsePropertyString(text, 'path');
  const number = (key: string) => (p.get(key) === undefined ? null : Number(p.get(key)));
  return { path: p.get('path') ?? null, mode: p.get('mode') ?? null, uid: number('uid'), gid: number('gid'), deny_write: p.get('deny-write') === '1' };
}

export function devicesFromConfig(options: Record<string, string>): ValueObject[] {
  return indexedKeys(options, 'dev').map((i) => deviceFromConfig(options[`dev${i}`]!));
}

/** `devN` options for the `device` list, in order (dev0, dev1...). */
export function deviceOptions(devices: ValueObject[]): Record<string, string> {
  return Object.fromEntries(devices.map((d, i) => [`dev${i}`, deviceOption(d)]));
}

/** Adding devices is in place; changing or removing one waits for the next start (see the file comment). */
export function classifyDevicesChange(prior: Value | undefined, planned: Value | undefined): ChangeKind {
  const before = Array.isArray(prior) ? prior : [];
  const after = Array.isArray(planned) ? planned : [];
  if (after.length < before.length) return 'restart';
  return before.every((d, i) => valuesEqual(d, after[i]!)) ? 'in-place' : 'restart';
}
