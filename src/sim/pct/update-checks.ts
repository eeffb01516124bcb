/**
 * The per-option checks of pve-container's update_pct_config (src/PVE/LXC/Config.pm) that go beyond the
 * schema, in its order (deletes first, then changes sorted by key) and with its texts. `pct` runs as
 * root@pam, so LXC.pm check_ct_modify_config_perm (devN, feature flags and bind mounts "only allowed for
 * root@pam") never refuses anything here.
 */
import { parsePropString } from '../core/schema.js';
import { SimError } from '../core/errors.js';
import { checkPassthroughDevice } from '../hostfs.js';
import { DEV_FORMAT } from './schema.js';

/** AbstractConfig.pm check_protection: "<prefix> - protection mode enabled". */
function checkProtection(values: Record<string, string>, prefix: string): void {
  if (values.protection === '1') throw new SimError(`${prefix} - protection mode enabled`);
}

/** Config.pm parse_device + Tools.pm get_device_mode_and_rdev: the device must exist on the host. */
export function checkDevice(value: string): void {
  const device = parsePropString('dev', value, DEV_FORMAT, {});
  if (device.path === undefined) throw new SimError('Path has to be defined');
  checkPassthroughDevice(device.path);
}

/**
 * `current` is the config before the change (create: none yet). Disks of `pct create` are not passed
 * through here (API2/LXC.pm create_vm calls update_pct_config with $no_disk_param).
 */
export function checkConfigChanges(vmid: number, current: Record<string, string>, changes: Record<string, string>, deletes: string[]): void {
  for (const key of deletes) {
    if (/^(unused|mp)\d+$/.test(key) && (current[key] !== undefined)) checkProtection(current, `can't remove CT ${vmid} drive '${key}'`);
  }
  for (const key of Object.keys(changes).sort()) {
    if (/^mp\d+$/.test(key) || key === 'rootfs') checkProtection(current, `can't update CT ${vmid} drive '${key}'`);
    else if (/^dev\d+$/.test(key)) checkDevice(changes[key]!);
  }
}
