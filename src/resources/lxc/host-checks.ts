/**
 * Plan-time checks of a container to be created that only its node can judge, in one `stat` per
 * container:
 * - a passthrough device must be a device node: `pct create`/`pct set` refuse it otherwise (pve-container
 *   Config.pm update_pct_config → Tools.pm get_device_mode_and_rdev: "Device /dev/x does not exist",
 *   "/dev/x is not a device");
 * - the host directory of a bind mount whose owner phoenix sets (`owner_uid`/`owner_gid`) must exist:
 *   `chown` needs it, and the container would not start without it (LXC.pm mountpoint_mount: "directory
 *   '/x' does not exist"). A bind mount of a dataset the same plan creates is not asked about (the
 *   planner skips objects whose dependencies are still to be made).
 * Without these, the apply would fail half-way: the container created, its owner or device missing.
 */
import { type Attrs } from '../../config/values.js';
import { hostPath, type AttributeDiagnostic, type ProviderContext } from '../provider.js';
import { num, objList, str } from '../proxmox/attrs.js';
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
  const owned = objList(configured, 'mountpoint').flatMap((mp, i): Wanted[] => {
    const volume = str(mp, 'volume');
    if (volume === undefined || !isBindMount(mp) || (num(mp, 'owner_uid') === undefined && num(mp, 'owner_gid') === undefined)) return [];
    return [
      {
        path: volume,
        attribute: ['mountpoint', String(i), 'volume'],
        accepts: (kind) => kind === 'directory',
        problem: (node, kind) => ({
          summary: `Bind mount directory not found on node ${node}`,
          detail:
            `"${volume}" ${kind === undefined ? 'does not exist' : `is a ${kind}, not a directory,`} on ${node}: phoenix cannot set its owner (chown), ` +
            `and the container would not start (pve-container: "directory '${volume}' does not exist"). Create it first, or bind-mount a zfs_dataset's mountpoint.`,
        }),
      },
    ];
  });
  return [...devices, ...owned];
}

export async function checkLxcOnHost(ctx: ProviderContext, configured: Attrs): Promise<AttributeDiagnostic[]> {
  const node = ctx.node;
  const wanted = wantedPaths(configured);
  if (!node || wanted.length === 0) return [];
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
