/** The node-wide lock every mutation of shared state runs under (held briefly; generous wait). */
import { withLock } from './lock.js';
import { SimError } from './errors.js';
import type { SimEnv } from './env.js';

const NODE_LOCK_WAIT_SECONDS = 120;

export function withNodeLock<T>(env: SimEnv, body: () => Promise<T> | T): Promise<T> {
  return withLock(
    env.nodeLockPath,
    NODE_LOCK_WAIT_SECONDS,
    () => new SimError(`can't lock file '/run/lock/phoenix-sim/node.lock' - got timeout`),
    body,
  );
}
