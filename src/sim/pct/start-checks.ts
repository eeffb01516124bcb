/**
 * What pve-container's vm_start (src/PVE/LXC.pm) checks of the config, after the pending changes are
 * applied and before lxc-start runs:
 * - update_lxc_config: every passthrough device must exist on the host (Tools.pm get_device_mode_and_rdev
 *   dies "Device /dev/x does not exist");
 * - parse_id_maps + validate_id_maps: a bad `lxc.idmap` line is only warned about ("lxc.idmap: failed to
 *   parse idmap: ..."), then lxc-start cannot set up the user namespace and the start fails
 *   ("startup for container 'N' failed", monitor_start);
 * - the pre-start hook (src/lxc-pve-prestart-hook) stages every mount point (mount-checks.ts): a bind
 *   mount whose host directory is missing, or a device mount of no block device, makes the hook die, and
 *   lxc-start fails (its report: preStartHookFailed);
 * - custom `lxc.idmap` ranges go through shadow's newuidmap/newgidmap (lxc conf.c lxc_map_ids: when they are
 *   installed, root too must own the host ids in /etc/subuid and /etc/subgid), which refuses a range root
 *   was not given ("newuidmap: uid range [1000-1001) -> [1000-1001) not allowed"); the start fails.
 */
import type { CommandContext } from '../core/context.js';
import { readTextOrNull } from '../core/fsutil.js';
import { SimError } from '../core/errors.js';
import type { GuestConfigFile } from '../guest/config-file.js';
import { checkDevice } from './update-checks.js';
import { firstMountFailure, stagingPath, type MountFailure } from './mount-checks.js';

type Range = [string, number, number, number];

/** LXC.pm validate_id_maps: the first overlap of two ranges of one kind, on the container or host side. */
function idMapConflict(ranges: Range[]): string | undefined {
  for (const kind of ['u', 'g']) {
    for (const [side, at] of [['container', 1], ['host', 2]] as const) {
      const sorted = ranges.filter((r) => r[0] === kind).sort((a, b) => a[at] - b[at]);
      for (let i = 1; i < sorted.length; i++) {
        const previous = sorted[i - 1]!;
        const current = sorted[i]!;
        if (previous[at] + previous[3] > current[at]) {
          return `invalid map entry '${current.join(' ')}': ${side} ${kind}id ${current[at]} is also mapped by entry '${previous.join(' ')}'`;
        }
      }
    }
  }
  return undefined;
}

/**
 * How a failed pre-start hook surfaces through `pct start` (LXC.pm vm_start → monitor_start →
 * print_ct_stderr_log, "lxc-start: N: FILE: " taken off each line of /run/pve/ct-N.stderr). lxc's
 * run_buffer (src/lxc/utils.c) reads the hook's stdout and stderr into its DEBUG log only, so the hook's
 * own words show with `--debug` alone (the pve-container-debug@ unit runs lxc-start -l DEBUG; only the
 * lines of the hook are shown here). Line numbers are those of the lxc 6.0 that PVE ships.
 */
function preStartHookFailed(ctx: CommandContext, vmid: number, failure: MountFailure, debug: boolean): never {
  const errors: [source: string, at: string, text: string][] = [
    ['utils - ../src/lxc/utils.c', 'run_buffer:571', `Script exited with status ${failure.hookStatus}`],
    ['start - ../src/lxc/start.c', 'lxc_init:845', `Failed to run lxc.hook.pre-start for container "${vmid}"`],
    ['start - ../src/lxc/start.c', '__lxc_start:2034', `Failed to initialize container "${vmid}"`],
  ];
  for (const [, at, text] of errors) ctx.out.err(`${at.replace(':', ': ')} ${text}`);
  if (debug) {
    const hook = (name: string) => `Executing script "/usr/share/lxc/hooks/lxc-pve-${name}-hook" for container "${vmid}", config section "lxc"`;
    const output = [...failure.output, failure.error].join('\n');
    ctx.out.err(`INFO     utils - ../src/lxc/utils.c:run_script_argv:587 - ${hook('prestart')}`);
    ctx.out.err(`DEBUG    utils - ../src/lxc/utils.c:run_buffer:560 - Script exec /usr/share/lxc/hooks/lxc-pve-prestart-hook ${vmid} lxc pre-start produced output: ${output}\n\n`);
    for (const [source, at, text] of errors) ctx.out.err(`ERROR    ${source}:${at} - ${text}`);
    ctx.out.err(`INFO     utils - ../src/lxc/utils.c:run_script_argv:587 - ${hook('poststop')}`);
  }
  throw new SimError(`startup for container '${vmid}' failed`);
}

export function checkStart(ctx: CommandContext, vmid: number, file: GuestConfigFile, debug = false): void {
  const values = file.current.values;
  for (const key of Object.keys(values).filter((k) => /^dev\d+$/.test(k)).sort()) checkDevice(values[key]!);
  const ranges: Range[] = [];
  for (const [key, value] of file.current.lxc) {
    if (key !== 'lxc.idmap') continue;
    const m = /^([ug])\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(value);
    if (!m) {
      ctx.out.err(`lxc.idmap: failed to parse idmap: ${value}`);
      throw new SimError(`startup for container '${vmid}' failed`);
    }
    ranges.push([m[1]!, Number(m[2]), Number(m[3]), Number(m[4])]);
  }
  // vm_start only warns of conflicting ranges; lxc fails on them after the pre-start hook ran.
  const conflict = idMapConflict(ranges);
  if (conflict) ctx.out.err(`lxc.idmap: ${conflict}`);
  const mountFailure = firstMountFailure(ctx.env, values, stagingPath);
  if (mountFailure) preStartHookFailed(ctx, vmid, mountFailure, debug);
  if (conflict) throw new SimError(`startup for container '${vmid}' failed`);
  const refused = ranges.find((range) => !subordinateIdsAllow(ctx, range));
  if (refused) {
    const [kind, container, host, count] = refused;
    const tool = kind === 'u' ? 'newuidmap' : 'newgidmap';
    ctx.out.err(`${tool}: ${kind}id range [${container}-${container + count}) -> [${host}-${host + count}) not allowed`);
    throw new SimError(`startup for container '${vmid}' failed`);
  }
}

/** Whether root's entries in /etc/subuid (u) or /etc/subgid (g) cover the range's host ids. */
function subordinateIdsAllow(ctx: CommandContext, [kind, , host, count]: Range): boolean {
  const text = readTextOrNull(ctx.env.path(kind === 'u' ? 'etc/subuid' : 'etc/subgid')) ?? '';
  const owned = text
    .split('\n')
    .map((line) => /^(?:root|0):(\d+):(\d+)\s*$/.exec(line.trim()))
    .flatMap((m) => (m ? [[Number(m[1]), Number(m[2])] as const] : []))
    .sort((a, b) => a[0] - b[0]);
  // Adjacent entries add up (shadow checks each id of the range).
  let covered = host;
  for (const [start, length] of owned) if (start <= covered && start + length > covered) covered = start + length;
  return covered >= host + count;
}
