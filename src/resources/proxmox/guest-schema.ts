/**
 * Schema fragments and value codecs shared by the `lxc` and `vm` resource types.
 */
import type { Value, ValueObject } from '../../config/values.js';
import type { AttributeSchema } from '../provider.js';
import { formatPropertyString, parsePropertyString } from './property-string.js';
import { num, parseNumber } from './attrs.js';

export const nodeAttribute: AttributeSchema = {
  type: 'string',
  optional: true,
  computed: true,
  forceNew: true,
  description: 'Name of the `node` block this guest lives on; defaults to the only declared node. Changing it replaces the guest.',
};

export const vmidAttribute: AttributeSchema = {
  type: 'number',
  required: true,
  forceNew: true,
  description: 'The guest ID (100-999999999). Always explicit: phoenix never picks the next free ID, so parallel applies cannot race.',
};

export const tagsAttribute: AttributeSchema = {
  type: { list: 'string' },
  optional: true,
  computed: true,
  description: 'Proxmox tags. Stored lowercased, sorted and de-duplicated, so order and case do not cause a diff.',
};

export const descriptionAttribute: AttributeSchema = {
  type: 'string',
  optional: true,
  computed: true,
  description:
    'Notes shown in the Proxmox UI. A trailing newline is ignored. phoenix keeps its ownership marker as the last line ' +
    '(`phoenix-owner: TOKEN lxc/ID`), written by the create itself; it is not part of this attribute.',
};

/**
 * Every snapshot the node holds of the guest, whoever took it: read from the `[name]` sections of its
 * config. A template conversion is refused while there are any (guest-rules.ts).
 */
export const snapshotsAttribute: AttributeSchema = {
  type: { list: 'string' },
  computed: true,
  description:
    'Names of the snapshots the node holds of this guest, taken by phoenix (`snapshot` resources) or not; read only. ' +
    '`template = true` is refused at plan time while there are any, as Proxmox refuses the conversion.',
};

export const onbootAttribute: AttributeSchema = {
  type: 'bool',
  optional: true,
  computed: true,
  description: 'Start the guest when the node boots (`onboot`).',
};

export const startupAttribute: AttributeSchema = {
  type: { object: { order: 'number', up: 'number', down: 'number' }, optional: ['order', 'up', 'down'] },
  block: 'single',
  optional: true,
  computed: true,
  description: 'Boot ordering (`startup`): `order` (lower starts first), `up` and `down` (seconds to wait after start / before stop).',
};

export const stateAttribute: AttributeSchema = {
  type: 'string',
  optional: true,
  default: 'running',
  description: 'Desired power state: "running" (default) or "stopped". Templates are always stopped.',
};

export function startupFromConfig(text: string | undefined): ValueObject | null {
  if (text === undefined) return null;
  const p = parsePropertyString(text, 'order');
  return { order: parseNumber(p.get('order')), up: parseNumber(p.get('up')), down: parseNumber(p.get('down')) };
}

export function normalizeStartup(v: Value | undefined): Value {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return v ?? null;
  const o = v as ValueObject;
  return { order: o.order ?? null, up: o.up ?? null, down: o.down ?? null };
}

export function startupOption(startup: ValueObject): string | undefined {
  const text = formatPropertyString([
    ['order', num(startup, 'order')?.toString()],
    ['up', num(startup, 'up')?.toString()],
    ['down', num(startup, 'down')?.toString()],
  ]);
  return text === '' ? undefined : text;
}

/** Proxmox MACs are upper case. */
export function normalizeMac(mac: Value | undefined): Value {
  return typeof mac === 'string' ? mac.toUpperCase() : (mac ?? null);
}

/** Fills each planned NIC's unset `hwaddr` with the MAC the host generated for the NIC at that index. */
export function keepGeneratedMacs(prior: Value | undefined, planned: Value | undefined): Value {
  if (!Array.isArray(planned)) return planned ?? null;
  const priorList = Array.isArray(prior) ? prior : [];
  return planned.map((nic, i) => {
    if (nic === null || typeof nic !== 'object' || Array.isArray(nic)) return nic;
    const o = nic as ValueObject;
    const before = priorList[i];
    const priorMac = before && typeof before === 'object' && !Array.isArray(before) ? (before as ValueObject).hwaddr : null;
    return o.hwaddr === null || o.hwaddr === undefined ? { ...o, hwaddr: priorMac ?? null } : o;
  });
}

/** `net0`, `net1`... indices present in a config, ascending. */
export function indexedKeys(options: Record<string, string>, prefix: string): number[] {
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  return Object.keys(options)
    .map((k) => pattern.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}
