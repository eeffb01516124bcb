/**
 * The simulated node's host file system, as far as containers need it: device nodes under /dev (for
 * `devN` passthrough), directories that exist (real ones under the state directory, and the mountpoints
 * of mounted ZFS filesystems), and who owns them. Commands get paths with the state directory as prefix
 * (phoenix's `pve_root`), as on a real host they get the absolute path.
 *
 * `chown OWNER [--] PATH...` and `stat [-L] -c FORMAT [--] PATH...` (GNU coreutils) work on this model:
 * a path's owner is var/sim/host-owners/<encoded path> ("UID:GID"; one file per path, so concurrent
 * chowns of different directories never lose each other's write); anything else is root's (0:0).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from './core/context.js';
import { readTextOrNull, writeFileAtomic } from './core/fsutil.js';
import type { SimEnv } from './core/env.js';
import { SimError } from './core/errors.js';
import { loadZfs, mountedAt } from './zfs/model.js';

export interface HostDevice {
  type: 'c' | 'b';
  major: number;
  minor: number;
}

/** Device nodes of the simulated host (a host with an Intel iGPU, one NVIDIA GPU with its driver loaded, a USB serial adapter). */
export const HOST_DEVICES: Record<string, HostDevice> = {
  '/dev/null': { type: 'c', major: 1, minor: 3 },
  '/dev/zero': { type: 'c', major: 1, minor: 5 },
  '/dev/fuse': { type: 'c', major: 10, minor: 229 },
  '/dev/net/tun': { type: 'c', major: 10, minor: 200 },
  '/dev/kvm': { type: 'c', major: 10, minor: 232 },
  '/dev/dri/card0': { type: 'c', major: 226, minor: 0 },
  '/dev/dri/renderD128': { type: 'c', major: 226, minor: 128 },
  '/dev/ttyUSB0': { type: 'c', major: 188, minor: 0 },
  // The NVIDIA driver's nodes (nvidia-uvm's major is assigned at load time; 511 on this host).
  '/dev/nvidia0': { type: 'c', major: 195, minor: 0 },
  '/dev/nvidiactl': { type: 'c', major: 195, minor: 255 },
  '/dev/nvidia-modeset': { type: 'c', major: 195, minor: 254 },
  '/dev/nvidia-uvm': { type: 'c', major: 511, minor: 0 },
  '/dev/nvidia-uvm-tools': { type: 'c', major: 511, minor: 1 },
  '/dev/sda': { type: 'b', major: 8, minor: 0 },
};

/** Directories of the device tree: they exist, but are no devices. */
const DEVICE_DIRECTORIES = new Set(['/dev', '/dev/dri', '/dev/net']);

/**
 * pve-container src/PVE/LXC/Tools.pm get_device_mode_and_rdev: what `stat` of a passthrough path must
 * show (the simulator's model of /dev), in its words.
 */
export function checkPassthroughDevice(path: string): HostDevice {
  const device = HOST_DEVICES[path];
  if (device) return device;
  if (DEVICE_DIRECTORIES.has(path)) throw new SimError(`${path} is not a device`);
  throw new SimError(`Device ${path} does not exist`);
}

const ownerFile = (env: SimEnv, path: string) => join(env.path('var/sim/host-owners'), encodeURIComponent(path));

/** Who owns a host path: [uid, gid], root's unless a chown said otherwise. */
export function ownerOf(env: SimEnv, path: string): [number, number] {
  const m = /^(\d+):(\d+)$/.exec(readTextOrNull(ownerFile(env, path))?.trim() ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function setOwner(env: SimEnv, path: string, owner: [number, number]): void {
  mkdirSync(env.path('var/sim/host-owners'), { recursive: true });
  writeFileAtomic(ownerFile(env, path), `${owner[0]}:${owner[1]}\n`);
}

/** The host path a command argument names: the state directory prefix (pve_root) taken off. */
function hostPathOf(env: SimEnv, arg: string): string {
  return arg.startsWith(env.dir + '/') ? arg.slice(env.dir.length) : arg;
}

/** Mountpoints of the mounted ZFS filesystems: directories the host has. */
function zfsMountpoints(env: SimEnv): Set<string> {
  const zfs = loadZfs(env);
  const out = new Set<string>();
  for (const name of Object.keys(zfs.datasets)) {
    const mountpoint = mountedAt(zfs, name);
    if (mountpoint) out.add(mountpoint);
  }
  return out;
}

type Kind = 'directory' | 'regular file' | 'character special file' | 'block special file';

function kindOf(env: SimEnv, path: string, mountpoints: () => Set<string>): Kind | undefined {
  const device = HOST_DEVICES[path];
  if (device) return device.type === 'c' ? 'character special file' : 'block special file';
  if (DEVICE_DIRECTORIES.has(path) || mountpoints().has(path)) return 'directory';
  const real = env.path(path);
  if (!existsSync(real)) return undefined;
  return statSync(real).isDirectory() ? 'directory' : 'regular file';
}

/** Whether a host path is a directory (Perl's `-d`, which follows symlinks as stat does). */
export function isHostDirectory(env: SimEnv, path: string): boolean {
  return kindOf(env, path, () => zfsMountpoints(env)) === 'directory';
}

function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

/** The operands after the options (`--` ends them). */
function operands(args: string[], optionsWithValue: string[]): { options: Record<string, string>; paths: string[] } {
  const options: Record<string, string> = {};
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      paths.push(...args.slice(i + 1));
      break;
    }
    if (optionsWithValue.includes(arg)) options[arg] = args[++i] ?? '';
    else if (/^-[A-Za-z]+$/.test(arg)) for (const flag of arg.slice(1)) options[`-${flag}`] = '';
    else paths.push(arg);
  }
  return { options, paths };
}

/** `chown UID[:GID] PATH...` / `chown :GID PATH...`, numeric ids (what phoenix sends). */
export function chown(ctx: CommandContext, args: string[]): void {
  const { env } = ctx;
  const { paths } = operands(args, []);
  const owner = paths.shift();
  if (owner === undefined) throw new SimError("chown: missing operand\nTry 'chown --help' for more information.", 1);
  if (paths.length === 0) throw new SimError(`chown: missing operand after '${owner}'\nTry 'chown --help' for more information.`, 1);
  const m = /^(\d*)(?::(\d*))?$/.exec(owner);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new SimError(`chown: invalid user: '${owner}'`, 1);
  const mountpoints = lazy(() => zfsMountpoints(env));
  let failed = false;
  for (const arg of paths) {
    const path = hostPathOf(env, arg);
    if (kindOf(env, path, mountpoints) === undefined) {
      ctx.out.err(`chown: cannot access '${arg}': No such file or directory`);
      failed = true;
      continue;
    }
    const [uid, gid] = ownerOf(env, path);
    setOwner(env, path, [m[1] === '' ? uid : Number(m[1]), m[2] === undefined || m[2] === '' ? gid : Number(m[2])]);
  }
  if (failed) ctx.exitCode = 1;
}

/** `stat [-L] -c FORMAT PATH...` with %u %g %n %F (GNU stat's texts for a missing path). */
export function stat(ctx: CommandContext, args: string[]): void {
  const { env } = ctx;
  const { options, paths } = operands(args, ['-c', '--format', '--printf']);
  const format = options['-c'] ?? options['--format'] ?? options['--printf'];
  if (format === undefined) throw new SimError('stat: the simulated host only knows stat -c FORMAT', 1);
  if (paths.length === 0) throw new SimError("stat: missing operand\nTry 'stat --help' for more information.", 1);
  const mountpoints = lazy(() => zfsMountpoints(env));
  let failed = false;
  for (const arg of paths) {
    const path = hostPathOf(env, arg);
    const kind = kindOf(env, path, mountpoints);
    if (kind === undefined) {
      ctx.out.err(`stat: cannot statx '${arg}': No such file or directory`);
      failed = true;
      continue;
    }
    const [uid, gid] = ownerOf(env, path);
    const fields: Record<string, string> = { u: String(uid), g: String(gid), n: arg, F: kind, '%': '%' };
    const line = format.replace(/%(.)/g, (whole, key: string) => fields[key] ?? whole);
    ctx.out.out(options['--printf'] === undefined ? line + '\n' : line);
  }
  if (failed) ctx.exitCode = 1;
}
