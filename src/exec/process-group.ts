/**
 * Killing a command together with everything it started.
 *
 * Commands run in their own process group (spawned `detached`, so the child calls setsid and its pid is the
 * group id). Signalling `-pid` reaches the shell AND any grandchildren it forked — a plain kill of the
 * direct child would leave e.g. a backgrounded `sleep` or a wedged `lxc-start` running and holding our
 * stdout pipe open, so the run would never return.
 */

/** Send `signal` to the whole group; a group that is already gone is not an error. */
export function signalProcessGroup(groupId: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-groupId, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** After SIGKILL, how long the group's processes get to actually die before `afterKill` runs. */
const REAP_DELAY_MS = 1_000;

/**
 * SIGTERM now so programs can clean up (release Proxmox lock files...), SIGKILL after `graceMs` for
 * whatever ignored it, and `afterKill` once the killed processes have had time to exit. The timers are
 * unref'd so they never keep the engine alive by themselves.
 */
export function terminateProcessGroup(groupId: number, graceMs: number, afterKill: () => void): void {
  signalProcessGroup(groupId, 'SIGTERM');
  setTimeout(() => {
    signalProcessGroup(groupId, 'SIGKILL');
    setTimeout(afterKill, REAP_DELAY_MS).unref();
  }, graceMs).unref();
}
