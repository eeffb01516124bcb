/** Config checks shared by `lxc` and `vm`: the options both pct and qm take, in Proxmox's formats. */
import type { Attrs } from '../../config/values.js';
import { num, obj, strList } from './attrs.js';
import type { Checks } from './checks.js';
import { PVE_TAG } from './formats.js';

/** qemu-server/pve-container $confdesc: `description` maxLength 8192 (stored as comment lines). */
const DESCRIPTION_MAX = 8192;

export function checkGuestCommon(c: Checks, attrs: Attrs): void {
  const vmid = num(attrs, 'vmid');
  // pve-common JSONSchema.pm pve_verify_vmid: 100 to 999999999.
  if (vmid !== undefined && (!Number.isInteger(vmid) || vmid < 100 || vmid > 999999999)) {
    c.reject(['vmid'], String(vmid), 'value does not look like a valid VM ID', 'a whole number from 100 to 999999999');
  }
  c.oneOf(['state'], attrs.state, ['running', 'stopped']);
  strList(attrs, 'tags').forEach((tag, i) => c.string(['tags', String(i)], tag, PVE_TAG));
  const description = attrs.description;
  if (typeof description === 'string' && description.length > DESCRIPTION_MAX) {
    c.reject(['description'], `${description.slice(0, 20)}...`, `value may only be ${DESCRIPTION_MAX} characters long`, `at most ${DESCRIPTION_MAX} characters`);
  }
  const startup = obj(attrs, 'startup');
  for (const key of ['order', 'up', 'down'] as const) {
    const value = startup ? num(startup, key) : undefined;
    // pve-common JSONSchema.pm pve_parse_startup_order: order, up and down are \d+.
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      c.reject(['startup', key], String(value), 'unable to parse startup options', 'a whole number of at least 0');
    }
  }
}

/** Attributes whose strings may span lines (config comments, scripts, key lists). */
export const GUEST_MULTILINE = ['description', 'ssh_public_keys', 'health_check', 'cloud_init'] as const;
