/** Cross-attribute rules for `lxc` config. */
import type { Diagnostic } from '../../config/diagnostics.js';
import { isUnknown, type Attrs } from '../../config/values.js';
import { obj, objList, str } from '../proxmox/attrs.js';
import { isValidSize } from '../proxmox/sizes.js';
import { validateGuestCommon } from '../proxmox/validate-guest.js';

export function validateLxc(attrs: Attrs): Diagnostic[] {
  const diags = validateGuestCommon(attrs);
  const hasTemplate = attrs.ostemplate !== null && attrs.ostemplate !== undefined;
  const hasClone = attrs.clone !== null && attrs.clone !== undefined;
  if (hasTemplate === hasClone) {
    diags.push({
      severity: 'error',
      summary: 'Exactly one of "ostemplate" and "clone" must be set',
      detail: hasTemplate ? 'A container is either created from an OS template or cloned, not both.' : 'Set `ostemplate = "local:vztmpl/..."` or a `clone { source_vmid = ... }` block.',
    });
  }
  const size = obj(attrs, 'rootfs') ? str(obj(attrs, 'rootfs')!, 'size') : undefined;
  if (size !== undefined && !isValidSize(size)) {
    diags.push({ severity: 'error', summary: `Invalid rootfs size "${size}"`, detail: 'Use a size such as "8G", "512M" or 8 (GiB).' });
  }
  for (const mp of objList(attrs, 'mountpoint')) {
    const slot = str(mp, 'slot');
    if (slot !== undefined && !/^mp\d+$/.test(slot)) {
      diags.push({ severity: 'error', summary: `Invalid mount point slot "${slot}"`, detail: 'Slots are named mp0, mp1, ... mp255.' });
    }
    const volume = str(mp, 'volume');
    if (volume !== undefined && !volume.startsWith('/') && str(mp, 'size') === undefined && !volume.includes(':')) {
      diags.push({ severity: 'error', summary: `Mount point ${slot ?? ''} needs a size`, detail: `"${volume}" is a storage ID: set \`size\` for the new volume, or use a host path for a bind mount.` });
    }
  }
  const nics = attrs.network;
  if (Array.isArray(nics) && !isUnknown(nics)) {
    objList(attrs, 'network').forEach((nic, i) => {
      if (str(nic, 'name') === undefined || str(nic, 'bridge') === undefined) {
        diags.push({ severity: 'error', summary: `network[${i}] needs "name" and "bridge"` });
      }
    });
  }
  return diags;
}
