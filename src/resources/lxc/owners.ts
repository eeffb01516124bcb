/**
 * The owner of a bind mount's host directory (`owner_uid` / `owner_gid` of a mount point): a file the
 * container's uid 1000 owns is stored on the host as the host id the container's id maps give it — 101000
 * for an unprivileged container without maps (100000 + uid), 1000 when `id_map` maps it through. Proxmox
 * has no option for it, so apply runs `chown HOSTUID:HOSTGID -- DIR` on the node (shown in the plan as the
 * mount point's `host_owner`), and refresh reads every managed directory of a node in one `stat`.
 */
import { isObject, type Attrs, type Value, type ValueObject } from '../../config/values.js';
import { hostPath, type NodeHandle } from '../provider.js';
import { bool, num, objList, str } from '../proxmox/attrs.js';
import { runOnHost } from '../proxmox/host.js';
import { containerIdOf } from './idmap.js';
import { isBindMount } from './mountpoint-options.js';

const managesOwner = (mp: ValueObject) => isBindMount(mp) && (num(mp, 'owner_uid') !== undefined || num(mp, 'owner_gid') !== undefined);

/** `chown 101000:101000 -- /tank/media`: the ids from `host_owner` ("UID:GID", either side may be empty). */
export function chownArgv(node: NodeHandle, mp: ValueObject): string[] {
  const [uid = '', gid = ''] = (str(mp, 'host_owner') ?? '').split(':');
  const owner = gid === '' ? uid : `${uid}:${gid}`;
  return ['chown', owner, '--', hostPath(node, str(mp, 'volume')!)];
}

/** Sets the owner of every managed bind-mount directory whose planned `host_owner` differs from `prior`'s. */
export async function applyMountOwners(node: NodeHandle, vmid: number, prior: Value | undefined, desired: Value | undefined): Promise<void> {
  const before = new Map((Array.isArray(prior) ? prior.filter(isObject) : []).map((mp) => [`${mp.slot} ${mp.volume}`, mp.host_owner ?? null]));
  for (const mp of (Array.isArray(desired) ? desired.filter(isObject) : []).filter(managesOwner)) {
    if (before.get(`${mp.slot} ${mp.volume}`) === mp.host_owner) continue;
    await runOnHost(node, chownArgv(node, mp), { what: `setting the owner of ${str(mp, 'volume')} (${str(mp, 'slot')} of CT ${vmid})` });
  }
}

/** `stat` output lines "UID:GID PATH" by path. */
function parseStat(stdout: string, node: NodeHandle): Map<string, [number, number]> {
  const owners = new Map<string, [number, number]>();
  for (const line of stdout.split('\n')) {
    const m = /^(\d+):(\d+) (.+)$/.exec(line);
    if (m) owners.set(m[3]!.slice(node.pveRoot.length), [Number(m[1]), Number(m[2])]);
  }
  return owners;
}

/**
 * Fills `owner_uid`, `owner_gid` and `host_owner` of the read containers' mount points whose owner phoenix
 * manages (the prior entry of the slot declares one), from one `stat` of all their directories. The host
 * ids are read back through each container's id maps, so an unchanged directory shows no diff.
 */
export async function readMountOwners(node: NodeHandle, read: (Attrs | null)[], priors: Attrs[]): Promise<void> {
  const managed = (attrs: Attrs, prior: Attrs) => {
    const declared = new Map(objList(prior, 'mountpoint').filter(managesOwner).map((mp) => [`${mp.slot} ${mp.volume}`, mp]));
    return objList(attrs, 'mountpoint').flatMap((mp) => {
      const wanted = declared.get(`${mp.slot} ${mp.volume}`);
      return wanted ? [{ mp, wanted }] : [];
    });
  };
  const paths = [...new Set(read.flatMap((attrs, i) => (attrs ? managed(attrs, priors[i]!).map(({ mp }) => str(mp, 'volume')!) : [])))];
  if (paths.length === 0) return;
  const result = await runOnHost(node, ['stat', '-L', '-c', '%u:%g %n', '--', ...paths.map((p) => hostPath(node, p))], {
    allowFailure: true,
    what: 'reading the owners of bind-mounted directories',
  });
  const owners = parseStat(result.stdout, node);
  read.forEach((attrs, i) => {
    if (!attrs) return;
    const unprivileged = bool(attrs, 'unprivileged') ?? false;
    for (const { mp, wanted } of managed(attrs, priors[i]!)) {
      const found = owners.get(str(mp, 'volume')!);
      if (!found) continue;
      const [hostUid, hostGid] = found;
      const uid = num(wanted, 'owner_uid') !== undefined;
      const gid = num(wanted, 'owner_gid') !== undefined;
      mp.owner_uid = uid ? (containerIdOf(hostUid, 'u', unprivileged, attrs.id_map) ?? null) : null;
      mp.owner_gid = gid ? (containerIdOf(hostGid, 'g', unprivileged, attrs.id_map) ?? null) : null;
      mp.host_owner = `${uid ? hostUid : ''}:${gid ? hostGid : ''}`;
    }
  });
}
