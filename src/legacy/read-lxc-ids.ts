/**
 * A legacy container's `id_maps` and the owners of its bind mounts, as lxc-manager.sh (2025-11 versions)
 * applied them:
 * - apply_configurations: when `id_maps` had any entry, it deleted every `lxc.idmap` line and wrote
 *   `lxc.idmap: u 0 100000 65536` and `g 0 100000 65536` — Proxmox's own map of an unprivileged
 *   container. The entries themselves were never applied, so phoenix declares no `id_map` and says so.
 * - apply_host_path_permissions: a mount point with both `owner_uid` and `owner_gid` got
 *   `chown -R (100000 + uid):(100000 + gid)` on its host path: the container's uid/gid under that map,
 *   which is what phoenix's `owner_uid` / `owner_gid` of a bind mount mean.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import type { LegacyFields } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import type { LegacyBindMount, LegacyGuest } from './model.js';

export function readIdMaps(guest: LegacyGuest, f: LegacyFields, diagnostics: Diagnostic[]): void {
  const entries = f.array('id_maps');
  if (entries === undefined || entries.length === 0) return;
  diagnostics.push(
    legacyDiagnostic(
      'warning',
      f.at('id_maps'),
      `id_maps of container ${guest.id} were never applied by the legacy tool`,
      'lxc-manager.sh replaced them with the default map (lxc.idmap u/g 0 100000 65536), which an unprivileged container has anyway: ' +
        'no id_map is declared. To map ids through as the entries describe, add `id_map` to the container by hand.',
    ),
  );
}

/** `owner_uid` / `owner_gid` of one `mount_points` entry: the owner of its host directory, or undefined. */
export function readMountOwner(guest: LegacyGuest, mount: LegacyFields, diagnostics: Diagnostic[]): LegacyBindMount['owner'] {
  const uid = mount.number('owner_uid');
  const gid = mount.number('owner_gid');
  if (uid === undefined && gid === undefined) return undefined;
  if (uid === undefined || gid === undefined) {
    const given = uid === undefined ? 'owner_gid' : 'owner_uid';
    diagnostics.push(legacyDiagnostic('warning', mount.at(given), `${given} without its pair was ignored`, 'lxc-manager.sh set the owner only when both owner_uid and owner_gid were given; no owner is declared.'));
    return undefined;
  }
  if (guest.unprivileged !== true) {
    diagnostics.push(
      legacyDiagnostic(
        'warning',
        mount.at('owner_uid'),
        `Owner of a privileged container's bind mount`,
        `lxc-manager.sh chowned the directory to ${100000 + uid}:${100000 + gid} (the unprivileged shift) even for this privileged container; ` +
          `phoenix declares the owner as the container sees it, ${uid}:${gid}, which on a privileged container is the host's ${uid}:${gid}.`,
      ),
    );
  }
  return { uid, gid };
}
