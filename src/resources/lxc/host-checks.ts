/**
 * Plan-time checks of a container to be created that only its node can judge: one `stat` of its paths,
 * and a `cat` of /etc/subuid and /etc/subgid when it declares id maps (of a container updated in place:
 * one `stat` of the device and mount paths the update adds, when it adds any):
 * - a passthrough device must be a device node: `pct create`/`pct set` refuse it otherwise (pve-container
 *   Config.pm update_pct_config → Tools.pm get_device_mode_and_rdev: "Device /dev/x does not exist",
 *   "/dev/x is not a device");
 * - the host directory of a bind mount must exist, and a device mount's path (under /dev/) must be a
 *   block device: pct create mounts every mount point (API2/LXC.pm create_vm → LXC.pm mount_all →
 *   __mountpoint_mount: "directory '/x' does not exist", mount(8) for a device), and so does every start
 *   and hotplug; `chown` of an owned bind mount needs the directory too. A bind mount of a dataset the
 *   same plan creates is not asked about (the planner skips objects whose dependencies are still to be
 *   made).
 * - the host ids of `id_map` must be root's in /etc/subuid and /etc/subgid: lxc maps custom ranges
 *   through shadow's newuidmap/newgidmap, which refuses others, and the container would not start
 *   ("newuidmap: uid range [1000-1001) -> [1000-1001) not allowed").
 * Without these, the apply would fail half-way: the container created, its owner, device or start missing.
 */
import { type Attrs } from '../../config/values.js';
import { hostPath, type AttributeDiagnostic, type HostCheckPlan, type NodeHandle, type ProviderContext } from '../provider.js';
import { checkCloneSourceOnHost } from '../proxmox/clone-source.js';
import { num, objList, str } from '../proxmox/attrs.js';
import { declaredRanges, fullRanges, type IdKind, type IdRange } from './idmap.js';
import { isBindMount } from './mountpoint-options.js';

interface Wanted {
  path: string;
  attribute: string[];
  accepts: (kind: string) => boolean;
  problem: (node: string, kind: string | undefined) => { summary: string; detail: string };
}

const isDevice = (kind: string) => kind === 'character special file' || kind === 'block special file';

function wantedPaths(configured: Attrs): Wanted[] {
  const devices = objList(configured, 'device').flatMap((device, i): Wanted[] => {
    const path = str(device, 'path');
    if (path === undefined) return [];
    return [
      {
        path,
        attribute: ['device', String(i), 'path'],
        accepts: isDevice,
        problem: (node, kind) => ({
          summary: `Device to pass through not found on node ${node}`,
          detail:
            `"${path}" ${kind === undefined ? 'does not exist' : `is a ${kind}, not a device node,`} on ${node}; pct would refuse it ` +
            `("${kind === undefined ? `Device ${path} does not exist` : `${path} is not a device`}"). Load the driver that makes it, or correct the path.`,
        }),
      },
    ];
  });
  const mounts = objList(configured, 'mountpoint').flatMap((mp, i): Wanted[] => {
    const volume = str(mp, 'volume');
    if (volume === undefined || !isBindMount(mp)) return [];
    // pve-container Config.pm classify_mountpoint: a host path under /dev/ is a device mount.
    const device = volume.startsWith('/dev/');
    const owned = num(mp, 'owner_uid') !== undefined || num(mp, 'owner_gid') !== undefined;
    return [
      {
        path: volume,
        attribute: ['mountpoint', String(i), 'volume'],
        accepts: (kind) => kind === (device ? 'block special file' : 'directory'),
        problem: (node, kind) => (device ? deviceMountProblem(volume, node, kind) : bindMountProblem(volume, owned, node, kind)),
      },
    ];
  });
  return [...devices, ...mounts];
}

function bindMountProblem(volume: string, owned: boolean, node: string, kind: string | undefined) {
  return {
    summary: `Bind mount directory not found on node ${node}`,
    detail:
      `"${volume}" ${kind === undefined ? 'does not exist' : `is a ${kind}, not a directory,`} on ${node}: ${owned ? 'phoenix cannot set its owner (chown), and ' : ''}` +
      `pct create would fail (pve-container: "directory '${volume}' does not exist"). Create it first, or bind-mount a zfs_dataset's mountpoint.`,
  };
}

function deviceMountProblem(volume: string, node: string, kind: string | undefined) {
  return {
    summary: `Device to mount not found on node ${node}`,
    detail:
      `"${volume}" ${kind === undefined ? 'does not exist' : `is a ${kind}, not a block device,`} on ${node}: pct create could not mount it ` +
      `("mount: ...: ${kind === undefined ? `special device ${volume} does not exist` : `${volume} is not a block device`}"). Correct the path.`,
  };
}

export async function checkLxcOnHost(ctx: ProviderContext, configured: Attrs, plan: HostCheckPlan): Promise<AttributeDiagnostic[]> {
  const node = ctx.node;
  if (!node) return [];
  // A bind mount's directory may be a dataset this plan makes first: paths are judged only when nothing is.
  const wanted = plan.pendingDependencies ? [] : wantedPaths(configured);
  if (plan.prior) {
    // An update: only the paths it adds (a new mount point is hot-plugged or mounted at the next start).
    const known = new Set(wantedPaths(plan.prior).map((w) => w.path));
    return checkPaths(node, wanted.filter((w) => !known.has(w.path)));
  }
  const [cloneSource, paths, ids] = await Promise.all([
    checkCloneSourceOnHost(ctx, configured, 'lxc', plan),
    checkPaths(node, wanted),
    checkSubordinateIds(ctx, node, configured),
  ]);
  return [...cloneSource, ...paths, ...ids];
}

async function checkPaths(node: NodeHandle, wanted: Wanted[]): Promise<AttributeDiagnostic[]> {
  if (wanted.length === 0) return [];
  // GNU stat prints a line per path it finds and a message on stderr per path it does not.
  const paths = [...new Set(wanted.map((w) => w.path))];
  const result = await node.run(['stat', '-L', '-c', '%F:%n', '--', ...paths.map((p) => hostPath(node, p))], { allowFailure: true });
  const kinds = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const m = /^([a-z ]+):(.+)$/.exec(line);
    if (m && m[2]!.startsWith(node.pveRoot)) kinds.set(m[2]!.slice(node.pveRoot.length), m[1]!);
  }
  return wanted.flatMap((w) => {
    const kind = kinds.get(w.path);
    if (kind !== undefined && w.accepts(kind)) return [];
    return [{ severity: 'error' as const, ...w.problem(node.name, kind), attribute: w.attribute, value: w.path }];
  });
}

/** Root's ranges of one file ("root:100000:65536" lines), or undefined when the node has no readable file. */
function rootSubordinateIds(ctx: ProviderContext, node: NodeHandle, file: string): Promise<[number, number][] | undefined> {
  const load = () => readRootSubordinateIds(node, file);
  return ctx.memo ? ctx.memo(`subordinate-ids:${node.name}:${file}`, load) : load();
}

async function readRootSubordinateIds(node: NodeHandle, file: string): Promise<[number, number][] | undefined> {
  const result = await node.run(['cat', '--', hostPath(node, file)], { allowFailure: true });
  if (result.exitCode !== 0) return undefined;
  return result.stdout
    .split('\n')
    .map((line) => /^(?:root|0):(\d+):(\d+)$/.exec(line.trim()))
    .flatMap((m): [number, number][] => (m ? [[Number(m[1]), Number(m[2])]] : []))
    .sort((a, b) => a[0] - b[0]);
}

function covers(owned: [number, number][], range: IdRange): boolean {
  let covered = range.host;
  for (const [start, length] of owned) if (start <= covered && start + length > covered) covered = start + length;
  return covered >= range.host + range.count;
}

/** The declared id maps against root's subordinate ids: what newuidmap/newgidmap would refuse at the first start. */
async function checkSubordinateIds(ctx: ProviderContext, node: NodeHandle, configured: Attrs): Promise<AttributeDiagnostic[]> {
  const declared = declaredRanges(configured.id_map);
  if (declared.length === 0) return [];
  const files: Record<IdKind, string> = { u: '/etc/subuid', g: '/etc/subgid' };
  const out: AttributeDiagnostic[] = [];
  for (const kind of ['u', 'g'] as const) {
    const owned = await rootSubordinateIds(ctx, node, files[kind]);
    if (owned === undefined) continue; // unreadable: the start will tell
    const refused = fullRanges(declared, kind).find((range) => !covers(owned, range));
    if (!refused) continue;
    const block = objList(configured, 'id_map').findIndex((b) => b[kind === 'u' ? 'host_uid' : 'host_gid'] === refused.host);
    const [first, last] = [refused.host, refused.host + refused.count - 1];
    const entry = `root:${refused.host}:${refused.count}`;
    out.push({
      severity: 'error',
      summary: `Node ${node.name} does not let root map ${kind}id${refused.count > 1 ? `s ${first}-${last}` : ` ${first}`}`,
      detail:
        `${files[kind]} on ${node.name} gives root no such range, so the container would not start ("new${kind}idmap: ${kind}id range ` +
        `[${refused.container}-${refused.container + refused.count}) -> [${first}-${last + 1}) not allowed"). Add "${entry}" to ${files[kind]} on the node.`,
      attribute: block >= 0 ? ['id_map', String(block)] : ['id_map'],
    });
  }
  return out;
}
