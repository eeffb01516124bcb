/**
 * Real flock(2) locks, so the simulator, external `flock` users (providers editing raw `lxc.*` lines)
 * and concurrent simulator processes exclude each other exactly as on a Proxmox host.
 *
 * Node.js has no flock: we open the lock file and let `flock -w N 3` lock the inherited descriptor.
 * flock locks belong to the open file description, so the lock stays held by this process after the
 * helper exits, until we close the descriptor (or exit).
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

export interface HeldLock {
  release(): void;
}

const SPAWN_RETRIES = 3;

function runFlock(fd: number, waitSeconds: number, shared: boolean) {
  return spawnSync('flock', [...(shared ? ['-s'] : []), '-w', String(waitSeconds), '3'], { stdio: ['ignore', 'ignore', 'ignore', fd] });
}

/**
 * Returns the held lock, or null when it could not be taken within `waitSeconds`. `shared`: many holders
 * at once, none while an exclusive one holds it (PVE::Tools lock_file_full's $shared).
 */
export function tryLock(path: string, waitSeconds: number, shared = false): HeldLock | null {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  let result = runFlock(fd, waitSeconds, shared);
  // A helper that could not be spawned or was killed (a loaded machine) says nothing about the lock.
  for (let attempt = 0; attempt < SPAWN_RETRIES && (result.error || result.signal); attempt++) {
    result = runFlock(fd, waitSeconds, shared);
  }
  if (result.error) throw result.error;
  if (result.status !== 0) {
    closeSync(fd);
    return null;
  }
  let held = true;
  return {
    release() {
      if (held) closeSync(fd);
      held = false;
    },
  };
}

/** Run `body` while holding the lock; `onTimeout` builds the error thrown when the lock is busy. */
export async function withLock<T>(
  path: string,
  waitSeconds: number,
  onTimeout: () => Error,
  body: () => Promise<T> | T,
  shared = false,
): Promise<T> {
  const lock = tryLock(path, waitSeconds, shared);
  if (!lock) throw onTimeout();
  try {
    return await body();
  } finally {
    lock.release();
  }
}
