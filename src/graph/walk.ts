/**
 * The parallel walker: runs each task once all of its dependencies succeeded, modelled on Terraform's
 * (internal/dag/walk.go plus its semaphore). A slot is held only while `run` executes; a failure skips
 * the failed task's dependents transitively while independent branches run on; after `stop` aborts,
 * nothing new starts, running tasks finish and the rest end `cancelled`.
 *
 * A join task stands for all of its dependencies to all of its dependents (N + M entries where one per
 * pair would be N × M). It does no work and holds no slot: it succeeds the moment its dependencies have,
 * a failure skips through it naming the failed task, and it is left out of the report.
 *
 * Cost: O((V + E) + starts × keys) bookkeeping; a completion touches only its own dependents.
 */
import { Slots } from './slots.js';

export interface WalkTask {
  id: string;
  dependsOn: string[];
  /** Concurrency keys (e.g. the Proxmox node): a task needs a free slot in each to start. */
  keys?: string[];
  /** A join: no work, no slot, not reported (see above). */
  join?: boolean;
}

export interface WalkOptions {
  parallelism: number;
  keyLimit(key: string): number;
  run(id: string): Promise<void>;
  stop?: AbortSignal;
}

export type WalkStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface WalkResult {
  status: WalkStatus;
  error?: unknown;
  /** For `skipped`: the failed (transitive) dependency that prevented the task from running. */
  skippedBecause?: string;
}

export type WalkReport = Map<string, WalkResult>;

interface Node {
  readonly id: string;
  readonly keys: readonly string[];
  readonly join: boolean;
  readonly dependents: Node[];
  /** Dependencies that have not succeeded yet. */
  waitingOn: number;
  result?: WalkResult;
}

/** Rejects (a caller bug) on duplicate or unknown ids, a cycle, or a parallelism/key limit below 1. */
export async function walk(tasks: WalkTask[], options: WalkOptions): Promise<WalkReport> {
  const nodes = indexTasks(tasks);
  assertAcyclic(nodes);
  const slots = new Slots<Node>(validParallelism(options.parallelism), keyLimits(nodes, options.keyLimit));
  const report: WalkReport = new Map(tasks.filter((t) => !t.join).map((t) => [t.id, { status: 'cancelled' }]));

  return new Promise((resolveWalk) => {
    let unfinished = nodes.size;
    let running = 0;
    let stopped = false;

    const finish = (node: Node, result: WalkResult): void => {
      node.result = result;
      if (!node.join) report.set(node.id, result);
      unfinished--;
    };

    /** All dependencies succeeded: a task waits for its slots, a join passes on at once. */
    const ready = (first: Node): void => {
      const stack = [first];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (!node.join) {
          slots.enqueue(node);
          continue;
        }
        finish(node, { status: 'succeeded' });
        // Reversed onto the stack, so dependents are readied in order, as a task's own dependents are.
        for (const dependent of [...node.dependents].reverse()) if (--dependent.waitingOn === 0 && dependent.result === undefined) stack.push(dependent);
      }
    };

    const skipDependents = (failed: Node): void => {
      const stack = [failed];
      while (stack.length > 0) {
        for (const dependent of stack.pop()!.dependents) {
          if (dependent.result !== undefined) continue;
          finish(dependent, { status: 'skipped', skippedBecause: failed.id });
          stack.push(dependent);
        }
      }
    };

    const settle = (node: Node, result: WalkResult): void => {
      running--;
      slots.release(node);
      finish(node, result);
      if (result.status === 'failed') {
        skipDependents(node);
      } else {
        for (const dependent of node.dependents) {
          if (--dependent.waitingOn === 0 && dependent.result === undefined) ready(dependent);
        }
      }
      pump();
    };

    const start = (node: Node): void => {
      running++;
      let execution: Promise<void>;
      try {
        execution = Promise.resolve(options.run(node.id));
      } catch (error) {
        execution = Promise.reject(error);
      }
      execution.then(
        () => settle(node, { status: 'succeeded' }),
        (error: unknown) => settle(node, { status: 'failed', error }),
      );
    };

    const pump = (): void => {
      if (stopped) {
        // Unstarted tasks keep their initial `cancelled` entry; only the running ones are awaited.
        if (running === 0) resolve(report);
        return;
      }
      // `run` may abort `stop` synchronously, so re-check before every start.
      while (!stopped) {
        const node = slots.takeStartable();
        if (node === undefined) break;
        start(node);
      }
      if (!stopped && unfinished === 0) resolve(report);
    };

    const onStop = (): void => {
      stopped = true;
      slots.dropWaiting();
      pump();
    };

    const resolve = (walked: WalkReport): void => {
      options.stop?.removeEventListener('abort', onStop);
      resolveWalk(walked);
    };

    // Taken before any join passes on, so a task its join readies is not readied twice.
    for (const node of [...nodes.values()].filter((n) => n.waitingOn === 0)) ready(node);
    if (options.stop?.aborted) onStop();
    else {
      options.stop?.addEventListener('abort', onStop, { once: true });
      pump();
    }
  });
}

function indexTasks(tasks: readonly WalkTask[]): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const task of tasks) {
    if (nodes.has(task.id)) throw new Error(`walk: duplicate task id "${task.id}"`);
    nodes.set(task.id, { id: task.id, keys: task.join ? [] : [...new Set(task.keys ?? [])], join: task.join === true, dependents: [], waitingOn: 0 });
  }
  for (const task of tasks) {
    const node = nodes.get(task.id)!;
    for (const dependencyId of new Set(task.dependsOn)) {
      const dependency = nodes.get(dependencyId);
      if (dependency === undefined) throw new Error(`walk: "${task.id}" depends on unknown task "${dependencyId}"`);
      dependency.dependents.push(node);
      node.waitingOn++;
    }
  }
  return nodes;
}

/** A cycle would leave its members waiting forever; it is a caller bug (findCycles reports them first). */
function assertAcyclic(nodes: ReadonlyMap<string, Node>): void {
  const waitingOn = new Map<Node, number>();
  const ready: Node[] = [];
  for (const node of nodes.values()) {
    waitingOn.set(node, node.waitingOn);
    if (node.waitingOn === 0) ready.push(node);
  }
  let visited = 0;
  while (ready.length > 0) {
    visited++;
    for (const dependent of ready.pop()!.dependents) {
      const left = waitingOn.get(dependent)! - 1;
      waitingOn.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (visited !== nodes.size) throw new Error('walk: the tasks have a dependency cycle');
}

function validParallelism(parallelism: number): number {
  if (!(parallelism >= 1)) throw new Error(`walk: parallelism must be at least 1, got ${parallelism}`);
  return parallelism;
}

function keyLimits(nodes: ReadonlyMap<string, Node>, keyLimit: (key: string) => number): Map<string, number> {
  const limits = new Map<string, number>();
  for (const node of nodes.values()) {
    for (const key of node.keys) {
      if (limits.has(key)) continue;
      const limit = keyLimit(key);
      if (!(limit >= 1)) throw new Error(`walk: keyLimit("${key}") must be at least 1, got ${limit}`);
      limits.set(key, limit);
    }
  }
  return limits;
}
