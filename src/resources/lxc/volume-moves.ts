/**
 * Moving a container's volumes to another storage: `pct move-volume ID KEY STORAGE --delete 1` copies the
 * data and frees the source (pve-container API2/LXC.pm move_volume). Proxmox refuses it for a running
 * container ("cannot move volumes of a running container"), so a running one is stopped first and started
 * again: a restart, done only with consent (`reboot_after_update`), as the plan says.
 */
import { isObject, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import type { NodeHandle } from '../provider.js';
import { obj, objList, str } from '../proxmox/attrs.js';
import { runOnHost } from '../proxmox/host.js';

export interface VolumeMove {
  /** `rootfs` or `mpN`. */
  key: string;
  storage: string;
}

const isVolume = (mp: ValueObject) => typeof mp.volume === 'string' && !mp.volume.startsWith('/');

/** The rootfs and volume mount points whose storage changes (a bind source or a new slot is no move). */
export function volumeMoves(prior: Attrs, desired: Attrs): VolumeMove[] {
  const moves: VolumeMove[] = [];
  const before = str(obj(prior, 'rootfs') ?? {}, 'storage');
  const after = str(obj(desired, 'rootfs') ?? {}, 'storage');
  if (before !== undefined && after !== undefined && before !== after) moves.push({ key: 'rootfs', storage: after });
  const old = new Map(objList(prior, 'mountpoint').map((mp) => [str(mp, 'slot'), mp]));
  for (const mp of objList(desired, 'mountpoint')) {
    const was = old.get(str(mp, 'slot'));
    if (was && isVolume(was) && isVolume(mp) && was.volume !== mp.volume) moves.push({ key: str(mp, 'slot')!, storage: str(mp, 'volume')! });
  }
  return moves;
}

/** Mount points as they are after the moves: the moved slots on their new storage. */
export function afterMoves(mountpoints: Value | undefined, moves: VolumeMove[]): Value {
  if (!Array.isArray(mountpoints)) return mountpoints ?? null;
  const target = new Map(moves.map((m) => [m.key, m.storage]));
  return mountpoints.map((mp) => (isObject(mp) && target.has(String(mp.slot)) ? { ...mp, volume: target.get(String(mp.slot))! } : mp));
}

/** Why a running container keeps its volumes where they are when restarts are not allowed. */
export function moveNeedsStop(vmid: number, moves: VolumeMove[]): string {
  const what = moves.map((m) => `${m.key} to ${m.storage}`).join(', ');
  return (
    `Moving ${what} needs CT ${vmid} stopped (pct move-volume refuses a running container), and reboot_after_update = false ` +
    'forbids phoenix to stop it. Set reboot_after_update = true to let apply stop and start it, or stop the container first.'
  );
}

export async function moveVolumes(node: NodeHandle, vmid: number, moves: VolumeMove[]): Promise<void> {
  for (const move of moves) {
    await runOnHost(node, ['pct', 'move-volume', String(vmid), move.key, move.storage, '--delete', '1'], {
      what: `moving ${move.key} of CT ${vmid} to ${move.storage}`,
    });
  }
}
