/**
 * Node handles: what providers use to reach a Proxmox node. A handle pairs the runner chosen by the
 * node's `connection` with the node's limits, its per-operation timeout and lock-contention retries.
 */
import { resolve } from 'node:path';
import type { NodeHandle, NodeRunOptions } from '../resources/provider.js';
import { parseConnection } from './connection.js';
import { LocalRunner } from './local.js';
import { DEFAULT_RETRY_POLICY, isLockContention, withRetries, type RetryPolicy } from './retry.js';
import { CommandError, type RunResult, type Runner } from './runner.js';
import { SimulatorRunner } from './simulator.js';
import { SshRunner } from './ssh.js';

/** A `node "NAME" { ... }` block, evaluated. */
export interface NodeSettings {
  name: string;
  /** `local`, `simulator` or `ssh://user@host[:port]` (connection.ts). */
  connection: string;
  maxParallel?: number;
  storageParallel?: number;
  operationTimeoutMs?: number;
  /** Tries for a command failing on lock contention, the first included. */
  retryAttempts?: number;
  /** Simulator state directory, relative to the working directory. Default `.phoenix-sim`. */
  simulatorDir?: string;
  /** Host path prefix for local and ssh nodes (testing against a chroot-like tree). Default `""`. */
  pveRoot?: string;
  sshIdentityFile?: string;
  sshKnownHostsFile?: string;
  /** Environment for every remote command (e.g. LC_ALL=C so output parsing sees English). */
  sshEnv?: Record<string, string>;
}

export const DEFAULT_MAX_PARALLEL = 4;
export const DEFAULT_STORAGE_PARALLEL = 1;
export const DEFAULT_OPERATION_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_SIMULATOR_DIR = '.phoenix-sim';

/** Test seams: retry timing (sleep, randomness) without waiting or chance. */
export interface NodeOptions {
  retry?: Partial<RetryPolicy>;
}

/** Throws DiagnosticError for an invalid connection string. */
export function createNode(settings: NodeSettings, baseDir: string, options: NodeOptions = {}): NodeHandle {
  const { runner, pveRoot } = connect(settings, baseDir);
  const retryPolicy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...(settings.retryAttempts === undefined ? {} : { attempts: settings.retryAttempts }),
    ...options.retry,
  };
  return {
    name: settings.name,
    runner,
    pveRoot,
    maxParallel: settings.maxParallel ?? DEFAULT_MAX_PARALLEL,
    storageParallel: settings.storageParallel ?? DEFAULT_STORAGE_PARALLEL,
    async run(argv: string[], runOptions: NodeRunOptions = {}): Promise<RunResult> {
      const request = {
        argv,
        stdin: runOptions.stdin,
        timeoutMs: runOptions.timeoutMs ?? settings.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
      };
      // A timed-out command is never retried: it already used its whole time budget.
      const shouldRetry = (result: RunResult): boolean =>
        !result.timedOut && result.exitCode !== 0 && isLockContention(result.stderr);
      const result = await withRetries(() => runner.run(request), shouldRetry, retryPolicy);
      const failed = result.timedOut || result.exitCode !== 0;
      if (failed && !runOptions.allowFailure) throw new CommandError(result);
      return result;
    },
  };
}

function connect(settings: NodeSettings, baseDir: string): { runner: Runner; pveRoot: string } {
  const connection = parseConnection(settings.connection);
  switch (connection.kind) {
    case 'local':
      return { runner: new LocalRunner(), pveRoot: settings.pveRoot ?? '' };
    case 'simulator': {
      // Host paths of a simulated node live inside its state directory.
      const stateDir = resolve(baseDir, settings.simulatorDir ?? DEFAULT_SIMULATOR_DIR);
      return { runner: new SimulatorRunner({ stateDir, nodeName: settings.name }), pveRoot: stateDir };
    }
    case 'ssh':
      return {
        runner: new SshRunner(connection, {
          identityFile: settings.sshIdentityFile,
          knownHostsFile: settings.sshKnownHostsFile,
          env: settings.sshEnv,
        }),
        pveRoot: settings.pveRoot ?? '',
      };
  }
}

/** Close every node's runner (ssh control masters...), even if one of them fails. */
export async function closeNodes(nodes: Iterable<NodeHandle>): Promise<void> {
  const outcomes = await Promise.allSettled([...nodes].map((node) => node.runner.close()));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
