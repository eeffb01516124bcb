/**
 * Value-dependent change kinds of the hardware attributes of `vm`, from qemu-server
 * QemuServer.pm vmconfig_hotplug_pending / vmconfig_update_disk:
 * - efidisk0/tpmstate0 are never hot-plugged (`die "skip\n"`): adding or removing one is pending; another
 *   storage is a `qm disk move`, which refuses the TPM state of a running VM (clone_disk: "cannot move TPM
 *   state while VM is running"), so that one is a restart; another efitype/pre-enrolled-keys/version has no
 *   conversion: replace;
 * - a CD-ROM's medium is changed live (change_medium); a new or removed ide/sata drive waits for the restart;
 * - balloon is hot-plugged unless the balloon device is turned on or off;
 * - usbN is hot-plugged only when USB hotplug is supported (ostype l26 or Windows 8+);
 * - `options`: per key (raw-options.ts).
 */
import { isObject, valuesEqual, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import { strMap } from '../proxmox/attrs.js';
import type { ChangeKind } from '../proxmox/diff-rules.js';
import { hotplugFeatures, rawOptionChange } from './raw-options.js';

const RANK: Record<ChangeKind, number> = { 'in-place': 0, restart: 1, replace: 2 };
export const worst = (kinds: ChangeKind[]): ChangeKind => kinds.reduce<ChangeKind>((a, b) => (RANK[b] > RANK[a] ? b : a), 'in-place');

function stateDiskChange(prior: Value | undefined, planned: Value | undefined, formatFields: string[]): ChangeKind {
  if (!isObject(prior) || !isObject(planned)) return 'restart';
  return formatFields.some((f) => !valuesEqual(prior[f] ?? null, planned[f] ?? null)) ? 'replace' : 'in-place';
}

function bySlot(v: Value | undefined): Map<string, ValueObject> {
  return new Map((Array.isArray(v) ? v.filter(isObject) : []).map((d) => [String(d.slot), d]));
}

function cdromChange(prior: Value | undefined, planned: Value | undefined): ChangeKind {
  const before = bySlot(prior);
  const after = bySlot(planned);
  const changedSlots = [...new Set([...before.keys(), ...after.keys()])].filter((slot) => before.has(slot) !== after.has(slot));
  return changedSlots.some((slot) => /^(ide|sata)\d+$/.test(slot)) ? 'restart' : 'in-place';
}

/** QemuServer.pm $is_usb_hotplug_supported: ostype l26, or a Windows newer than 7 (Helpers.pm windows_version). */
function usbHotplugSupported(options: Record<string, string>): boolean {
  return hotplugFeatures(options.hotplug).has('usb') && /^(l26|win8|win10|win11)$/.test(options.ostype ?? 'other');
}

const ballooning = (v: Value | undefined) => v === null || v === undefined || v !== 0;

/** The change kind of a hardware attribute, or undefined for the schema's. `prior`/`planned` are whole resources. */
export function classifyHardwareChange(attribute: string, prior: Attrs, planned: Attrs): ChangeKind | undefined {
  const before = prior[attribute];
  const after = planned[attribute];
  switch (attribute) {
    case 'efidisk':
      return stateDiskChange(before, after, ['efitype', 'pre_enrolled_keys']);
    case 'tpmstate': {
      const kind = stateDiskChange(before, after, ['version']);
      return kind === 'in-place' && tpmStateMove(prior, planned) !== undefined ? 'restart' : kind;
    }
    case 'cdrom':
      return cdromChange(before, after);
    case 'balloon':
      return ballooning(before) === ballooning(after) ? 'in-place' : 'restart';
    case 'usb':
      return usbHotplugSupported(strMap(prior, 'options')) ? 'in-place' : 'restart';
    case 'options': {
      const from = strMap(prior, 'options');
      const to = strMap(planned, 'options');
      const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((k) => from[k] !== to[k]);
      return worst(keys.map((k) => rawOptionChange(k, from, to)));
    }
    default:
      return undefined;
  }
}

/** The storage the TPM state disk moves to, when only its storage changes. */
export function tpmStateMove(prior: Attrs, planned: Attrs): string | undefined {
  const before = prior.tpmstate;
  const after = planned.tpmstate;
  if (!isObject(before) || !isObject(after) || typeof after.storage !== 'string' || before.storage === after.storage) return undefined;
  return after.storage;
}

/** Why a running VM keeps its TPM state where it is when restarts are not allowed. */
export function tpmMoveNeedsStop(vmid: number, storage: string): string {
  return (
    `Moving the TPM state to ${storage} needs VM ${vmid} stopped (Proxmox: "cannot move TPM state while VM is running"), and ` +
    'reboot_after_update = false forbids phoenix to stop it. Set reboot_after_update = true to let apply stop and start it, or stop the VM first.'
  );
}
