/**
 * End-to-end harness: a fresh simulated node reached through the real runner (createNode), with every
 * command a provider issues recorded, so tests can assert the exact command lines.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNode } from '../../src/exec/node.js';
import type { NodeHandle, ProviderContext } from '../../src/resources/provider.js';

export interface SimHarness {
  dir: string;
  node: NodeHandle;
  ctx: ProviderContext;
  /** Command lines issued since the last `reset()`. */
  commands: string[][];
  progress: string[];
  reset(): void;
  /** The commands issued since reset whose argv starts with `prefix`. */
  issued(...prefix: string[]): string[][];
  /** Runs a command on the node without recording it (setting up drift, inspecting state). */
  host(...argv: string[]): Promise<string>;
  conf(kind: 'lxc' | 'qemu-server', vmid: number): string;
  injectFaults(rules: object[]): void;
}

// Injected lock timeouts make the simulator wait this long, like Proxmox's 10 s lock wait (kept short here).
process.env.PHOENIX_SIM_LOCK_WAIT_S = '0';

export function simHarness(options: { retryAttempts?: number } = {}): SimHarness {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-res-'));
  const raw = createNode({ name: 'pve', connection: 'simulator', simulatorDir: dir, retryAttempts: options.retryAttempts }, dir, {
    retry: { sleep: async () => {}, random: () => 0 },
  });
  const commands: string[][] = [];
  const progress: string[] = [];
  const node: NodeHandle = {
    ...raw,
    run(argv, runOptions) {
      commands.push(argv);
      return raw.run(argv, runOptions);
    },
  };
  const ctx: ProviderContext = {
    node,
    nodes: new Map([['pve', node]]),
    progress: (m) => progress.push(m),
    signal: new AbortController().signal,
  };
  return {
    dir,
    node,
    ctx,
    commands,
    progress,
    reset: () => {
      commands.length = 0;
      progress.length = 0;
    },
    issued: (...prefix) => commands.filter((c) => prefix.every((p, i) => c[i] === p)),
    host: async (...argv) => (await raw.run(argv)).stdout,
    conf: (kind, vmid) => {
      const path = join(dir, 'etc/pve/nodes/pve', kind, `${vmid}.conf`);
      return existsSync(path) ? readFileSync(path, 'utf8') : '';
    },
    injectFaults: (rules) => writeFileSync(join(dir, 'faults.json'), JSON.stringify(rules)),
  };
}

/** The engine's ProviderContext.hold, recorded: the keys of each hold and the commands run while held. */
export function recordingHold(sim: SimHarness) {
  const held: { keys: string[]; commands: string[][] }[] = [];
  const hold = async <T>(keys: readonly string[], work: () => Promise<T>): Promise<T> => {
    const before = sim.commands.length;
    const result = await work();
    held.push({ keys: [...keys], commands: sim.commands.slice(before) });
    return result;
  };
  return { held, ctx: { ...sim.ctx, hold } };
}

/** What the engine passes as `proposed` when it has not refined anything: every given path changed. */
export function proposedDiff(...paths: string[]) {
  return { changed: paths.map((p) => [p]), replacePaths: [] as string[][], restartPaths: [] as string[][] };
}
