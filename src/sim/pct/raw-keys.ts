/**
 * pve-container src/PVE/LXC/Config.pm is_valid_lxc_conf_key: which raw `lxc.*` lines a CT config keeps.
 * parse_pct_config (non-strict, as load_config reads it) warns about the others and drops them. The
 * simulator keeps its own copy of the upstream tables (it never imports phoenix's engine code), so the
 * shared value table in the tests can catch either side drifting from pve-container.
 */
const VALID = new Set(
  [
    'apparmor.profile', 'apparmor.allow_incomplete', 'apparmor.allow_nesting', 'apparmor.raw', 'selinux.context', 'include',
    'arch', 'uts.name', 'signal.halt', 'signal.reboot', 'signal.stop', 'init.cmd', 'init.cwd', 'init.uid', 'init.gid',
    'init.groups', 'pty.max', 'console.logfile', 'console.path', 'tty.max', 'devtty.dir', 'hook.autodev', 'autodev', 'kmsg',
    'mount.fstab', 'mount.entry', 'mount.auto', 'rootfs.mount', 'cap.drop', 'cap.keep', 'seccomp.profile',
    'seccomp.notify.proxy', 'seccomp.notify.cookie', 'idmap', 'hook.pre-start', 'hook.pre-mount', 'hook.mount', 'hook.start',
    'hook.stop', 'hook.post-stop', 'hook.clone', 'hook.destroy', 'hook.version', 'log.level', 'log.file', 'start.auto',
    'start.delay', 'start.order', 'group', 'environment', 'environment.runtime', 'environment.hooks', 'sysctl.fs.mqueue',
    'sysctl.kernel.msgmax', 'sysctl.kernel.msgmnb', 'sysctl.kernel.msgmni', 'sysctl.kernel.sem', 'sysctl.kernel.shmall',
    'sysctl.kernel.shmmax', 'sysctl.kernel.shmmni', 'sysctl.kernel.shm_rmid_forced',
  ].map((k) => `lxc.${k}`),
);

const REFUSED: Record<string, string> = {
  'lxc.rootfs.path': 'lxc.rootfs.path is auto generated from rootfs',
  'lxc.rootfs.options': 'lxc.rootfs.options is not supported',
};

/** `$deprecated_lxc_conf_keys` (still read, with a warning). */
const DEPRECATED: Record<string, string> = {
  'lxc.aa_profile': 'lxc.apparmor.profile', 'lxc.aa_allow_incomplete': 'lxc.apparmor.allow_incomplete',
  'lxc.console': 'lxc.console.path', 'lxc.devttydir': 'lxc.tty.dir', 'lxc.haltsignal': 'lxc.signal.halt',
  'lxc.rebootsignal': 'lxc.signal.reboot', 'lxc.stopsignal': 'lxc.signal.stop', 'lxc.id_map': 'lxc.idmap',
  'lxc.init_cmd': 'lxc.init.cmd', 'lxc.loglevel': 'lxc.log.level', 'lxc.logfile': 'lxc.log.file', 'lxc.mount': 'lxc.mount.fstab',
  'lxc.pts': 'lxc.pty.max', 'lxc.se_context': 'lxc.selinux.context', 'lxc.seccomp': 'lxc.seccomp.profile', 'lxc.tty': 'lxc.tty.max',
  'lxc.utsname': 'lxc.uts.name',
};

/** Whether parse_pct_config keeps raw line `key: value` of CT `vmid`, and the warning it prints about it. */
export function rawLineVerdict(vmid: number, key: string, value: string): { kept: boolean; warning?: string } {
  if (/^lxc\.limit\./.test(key)) return { kept: true, warning: `vm ${vmid} - ${key}: lxc.limit.* was renamed to lxc.prlimit.*` };
  if (DEPRECATED[key]) return { kept: true, warning: `vm ${vmid} - ${key} is deprecated and was renamed to ${DEPRECATED[key]}` };
  if (VALID.has(key) || /^lxc\.(cgroup2|prlimit|net)\./.test(key)) return { kept: true };
  if (/^lxc\.cgroup\./.test(key)) return { kept: true, warning: `vm ${vmid} - ${key} is deprecated, this will be a hard error in the future!` };
  if (REFUSED[key]) return { kept: false, warning: `vm ${vmid} - ${key}: ${REFUSED[key]}` };
  return { kept: false, warning: `vm ${vmid} - unable to parse config: ${key}: ${value}` };
}
