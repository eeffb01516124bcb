/**
 * Which raw `lxc.*` lines a container config may hold, as pve-container's parse_pct_config reads them
 * (src/PVE/LXC/Config.pm: the line pattern, $valid_lxc_conf_keys, $deprecated_lxc_conf_keys,
 * is_valid_lxc_conf_key). Anything else would be a Proxmox option, a section header or a line pct
 * refuses to parse — so an `lxc_raw` element can never inject config.
 */

/** `$valid_lxc_conf_keys` entries whose value is 1 (allowed as raw lines). */
const VALID_KEYS = new Set([
  'lxc.apparmor.profile', 'lxc.apparmor.allow_incomplete', 'lxc.apparmor.allow_nesting', 'lxc.apparmor.raw',
  'lxc.selinux.context', 'lxc.include', 'lxc.arch', 'lxc.uts.name', 'lxc.signal.halt', 'lxc.signal.reboot',
  'lxc.signal.stop', 'lxc.init.cmd', 'lxc.init.cwd', 'lxc.init.uid', 'lxc.init.gid', 'lxc.init.groups',
  'lxc.pty.max', 'lxc.console.logfile', 'lxc.console.path', 'lxc.tty.max', 'lxc.devtty.dir', 'lxc.hook.autodev',
  'lxc.autodev', 'lxc.kmsg', 'lxc.mount.fstab', 'lxc.mount.entry', 'lxc.mount.auto', 'lxc.rootfs.mount',
  'lxc.cap.drop', 'lxc.cap.keep', 'lxc.seccomp.profile', 'lxc.seccomp.notify.proxy', 'lxc.seccomp.notify.cookie',
  'lxc.idmap', 'lxc.hook.pre-start', 'lxc.hook.pre-mount', 'lxc.hook.mount', 'lxc.hook.start', 'lxc.hook.stop',
  'lxc.hook.post-stop', 'lxc.hook.clone', 'lxc.hook.destroy', 'lxc.hook.version', 'lxc.log.level', 'lxc.log.file',
  'lxc.start.auto', 'lxc.start.delay', 'lxc.start.order', 'lxc.group', 'lxc.environment', 'lxc.environment.hooks',
  'lxc.sysctl.fs.mqueue', 'lxc.sysctl.kernel.msgmax', 'lxc.sysctl.kernel.msgmnb', 'lxc.sysctl.kernel.msgmni',
  'lxc.sysctl.kernel.sem', 'lxc.sysctl.kernel.shmall', 'lxc.sysctl.kernel.shmmax', 'lxc.sysctl.kernel.shmmni',
  'lxc.sysctl.kernel.shm_rmid_forced',
]);

/** `$valid_lxc_conf_keys` entries whose value is the error Proxmox prints for them. */
const REFUSED_KEYS: Record<string, string> = {
  'lxc.rootfs.path': 'lxc.rootfs.path is auto generated from rootfs',
  'lxc.rootfs.options': 'lxc.rootfs.options is not supported',
};

/** `$deprecated_lxc_conf_keys`: still read (with a warning), named here so phoenix can say the new name. */
const DEPRECATED_KEYS: Record<string, string> = {
  'lxc.aa_profile': 'lxc.apparmor.profile', 'lxc.aa_allow_incomplete': 'lxc.apparmor.allow_incomplete',
  'lxc.console': 'lxc.console.path', 'lxc.devttydir': 'lxc.tty.dir', 'lxc.haltsignal': 'lxc.signal.halt',
  'lxc.rebootsignal': 'lxc.signal.reboot', 'lxc.stopsignal': 'lxc.signal.stop', 'lxc.id_map': 'lxc.idmap',
  'lxc.init_cmd': 'lxc.init.cmd', 'lxc.loglevel': 'lxc.log.level', 'lxc.logfile': 'lxc.log.file',
  'lxc.mount': 'lxc.mount.fstab', 'lxc.pts': 'lxc.pty.max', 'lxc.se_context': 'lxc.selinux.context',
  'lxc.seccomp': 'lxc.seccomp.profile', 'lxc.tty': 'lxc.tty.max', 'lxc.utsname': 'lxc.uts.name',
};

/** parse_pct_config's raw-line pattern: `lxc.KEY: VALUE` or `lxc.KEY = VALUE`. */
const RAW_LINE = /^(lxc\.[a-z0-9_\-.]+)(:|\s*=)\s*(.*?)\s*$/;

export interface RawLineProblem {
  /** Proxmox refuses the line (error) or reads it with a warning (deprecated keys). */
  severity: 'error' | 'warning';
  problem: string;
  /** A hint on what to write instead. */
  hint: string;
}

/** Why pve-container would not keep `line` as a raw `lxc.*` line, or undefined when it would. */
export function rawLineProblem(line: string): RawLineProblem | undefined {
  if (/[\n\r]/.test(line)) return { severity: 'error', problem: 'the element spans several lines', hint: 'Write one `lxc.*` line per list element.' };
  const m = RAW_LINE.exec(line.trim());
  if (!m) {
    return { severity: 'error', problem: `unable to parse config: ${line}`, hint: 'Each element is one line "lxc.KEY: VALUE"; Proxmox options (memory, lock...) and [sections] are not raw lines.' };
  }
  const key = m[1]!;
  if (key === 'lxc.environment.runtime') {
    return { severity: 'error', problem: `${key} is read by Proxmox as the container's \`env\` option, not kept as a raw line`, hint: 'Use "lxc.environment: NAME=VALUE" instead.' };
  }
  if (REFUSED_KEYS[key]) return { severity: 'error', problem: `${key}: ${REFUSED_KEYS[key]}`, hint: 'Set the root disk with the `rootfs` block.' };
  if (DEPRECATED_KEYS[key]) {
    return { severity: 'warning', problem: `${key} is deprecated and was renamed to ${DEPRECATED_KEYS[key]}`, hint: `Write ${DEPRECATED_KEYS[key]}: LXC 3.0 and later no longer know the old name.` };
  }
  if (VALID_KEYS.has(key) || /^lxc\.(cgroup2|prlimit|net)\./.test(key)) return undefined;
  if (/^lxc\.(cgroup|limit)\./.test(key)) {
    return { severity: 'warning', problem: `${key} is deprecated, this will be a hard error in the future!`, hint: 'Use lxc.cgroup2.* or lxc.prlimit.* keys.' };
  }
  return { severity: 'error', problem: `unable to parse config: ${line}`, hint: 'pve-container accepts the lxc.* keys it knows (lxc.apparmor.*, lxc.mount.entry, lxc.idmap, lxc.cgroup2.*, lxc.prlimit.*, lxc.net.*, ...).' };
}
