/**
 * Value formats of the container options phoenix models beyond the shared ones (../proxmox/formats.ts),
 * each following pve-container src/PVE/LXC/Config.pm and returning Proxmox's own message.
 */
import type { Format } from '../proxmox/formats.js';
import { MOUNT_OPTIONS } from './mountpoint-options.js';

/** Config.pm verify_lxc_dev_string (format pve-lxc-dev-string). */
export const LXC_DEVICE_PATH: Format = {
  accepts: 'a device node path under /dev/ without "." or ".." components, such as "/dev/dri/renderD128"',
  problem: (v) => (/\/\.\.?(?:\/|$)/.test(v) || !v.startsWith('/dev/') ? `${v} is not a valid device path` : /[,=]/.test(v) ? 'a "," or "=" would start a new key of the property string' : undefined),
};

/** $dev_desc mode: pattern '0[0-7]{3}' (anchored by PVE::JSONSchema check_type). */
export const DEVICE_MODE: Format = {
  accepts: 'an octal access mode such as "0660"',
  problem: (v) => (/^0[0-7]{3}$/.test(v) ? undefined : 'value does not match the regex pattern'),
};

/** $rootfs_desc/$mp_desc mountoptions: $valid_mount_option_re, one option per list element. */
export const MOUNT_OPTION: Format = {
  accepts: `one of ${MOUNT_OPTIONS.join(', ')}`,
  problem: (v) => ((MOUNT_OPTIONS as readonly string[]).includes(v) ? undefined : 'value does not match the regex pattern'),
};

/** $features_desc mount: pattern [a-zA-Z0-9_; ]+, one file system type per list element (phoenix joins them with ";"). */
export const FEATURE_MOUNT_TYPE: Format = {
  accepts: 'a file system type of letters, digits and "_", such as "nfs" or "cifs"',
  problem: (v) => (/^[a-zA-Z0-9_ ]+$/.test(v) && v.trim() !== '' ? undefined : 'value does not match the regex pattern'),
};
