/**
 * Acceptance helpers on top of the CLI harness (test/cli/harness.ts): a temp copy of examples/homelab,
 * the simulator's own executables run by hand (drift, inspection, fault injection), and the apply
 * timeline parsed from phoenix's live output (`ADDR: Creating...` / `ADDR: Creation complete after Ns`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJournalLines, replayJournal } from '../../src/state/journal.js';
import type { StateFile } from '../../src/state/model.js';
import { workspace, type Workspace } from '../cli/harness.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLE_HOMELAB = join(ROOT, 'examples/homelab');
export const SIM_BIN = join(ROOT, 'dist/sim/bin');

/** examples/homelab in a temp directory; its implicit simulator state lives in `.phoenix-sim`. */
export function homelab(): Workspace & { simDir: string } {
  const ws = workspace({}, { copyFrom: EXAMPLE_HOMELAB });
  return Object.assign(ws, { simDir: join(ws.dir, '.phoenix-sim') });
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a simulator executable (`pct`, `qm`, `zfs`, `pvesh`) by hand against the node in `simDir`. */
export function simTool(simDir: string, tool: string, ...args: string[]): ToolResult {
  const result = spawnSync(process.execPath, [join(SIM_BIN, tool), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PHOENIX_SIM_DIR: simDir },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like simTool, but throws unless the command succeeds; returns stdout. */
export function sim(simDir: string, tool: string, ...args: string[]): string {
  const result = simTool(simDir, tool, ...args);
  if (result.code !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Fault rules as documented in src/sim/cli.ts (`$PHOENIX_SIM_DIR/faults.json`). */
export interface FaultRule {
  match: string;
  action: 'fail' | 'hang' | 'lock-timeout';
  nth?: number;
  times?: number;
  stderr?: string;
  exitCode?: number;
}

export function injectFaults(simDir: string, rules: FaultRule[]): void {
  mkdirSync(simDir, { recursive: true });
  writeFileSync(join(simDir, 'faults.json'), JSON.stringify(rules));
}

/** How many calls matched each rule so far (the simulator's own counters). */
export function faultCounts(simDir: string): Record<string, number> {
  const path = join(simDir, 'var/sim/fault-counters.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>) : {};
}

/** The `lxc`/`qemu-server` config file of a guest, as stored on the simulated host ('' when absent). */
export function guestConf(simDir: string, kind: 'lxc' | 'qemu-server', vmid: number): string {
  const path = join(simDir, 'etc/pve/nodes/pve', kind, `${vmid}.conf`);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The vmids `pct list` or `qm list` prints (both put the vmid first, after a header line). */
export function guestIds(simDir: string, tool: 'pct' | 'qm'): number[] {
  return sim(simDir, tool, 'list')
    .split('\n')
    .slice(1)
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((id) => id > 0);
}

/** Dataset names on the simulated node (`zfs list -H -o name`). */
export function datasets(simDir: string): string[] {
  return sim(simDir, 'zfs', 'list', '-H', '-o', 'name').split('\n').filter(Boolean);
}

export interface StateResource {
  address: string;
  attributes: Record<string, unknown>;
  dependencies: string[];
}

export function stateResources(ws: Workspace): StateResource[] {
  return (JSON.parse(ws.read('phoenix.state.json')) as { resources: StateResource[] }).resources;
}

export interface StateFileShape {
  resources: StateResource[];
  pending?: { address: string }[];
}

/** The state as the next run loads it: the file, with the journal of a run killed midway replayed onto it. */
export function stateFile(ws: Workspace): StateFileShape {
  const snapshot = JSON.parse(ws.read('phoenix.state.json')) as StateFile;
  const journal = ws.exists('phoenix.state.json.journal') ? parseJournalLines(ws.read('phoenix.state.json.journal')) : undefined;
  const current = journal?.base.serial === snapshot.serial ? replayJournal(snapshot, journal.entries) : snapshot;
  return current as unknown as StateFileShape;
}

/** One operation of an apply, as phoenix's live output reports it: line numbers of its start and end. */
export interface Operation {
  address: string;
  verb: 'Creating' | 'Modifying' | 'Destroying';
  start: number;
  /** Line of "... complete after" or "... errored after"; undefined if it never finished. */
  end?: number;
  errored: boolean;
}

const START = /^(\S+): (Creating|Modifying|Destroying)\.\.\.$/;
const END = /^(\S+): (Creation|Modifications|Destruction) (complete|errored) after /;

/** The operations of an apply or destroy, in the order they started. */
export function timeline(output: string): Operation[] {
  const operations: Operation[] = [];
  const running = new Map<string, Operation>();
  output.split('\n').forEach((line, index) => {
    const start = START.exec(line);
    if (start) {
      const op: Operation = { address: start[1]!, verb: start[2] as Operation['verb'], start: index, errored: false };
      operations.push(op);
      running.set(op.address, op);
      return;
    }
    const end = END.exec(line);
    const op = end && running.get(end[1]!);
    if (op) {
      op.end = index;
      op.errored = end[3] === 'errored';
      running.delete(op.address);
    }
  });
  return operations;
}

/** The most operations that were running at the same moment. */
export function peakConcurrency(operations: readonly Operation[]): number {
  const events = operations.flatMap((op) => [
    { at: op.start, delta: 1 },
    { at: op.end ?? Infinity, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const e of events) peak = Math.max(peak, (running += e.delta));
  return peak;
}

/** The operation on `address`; fails the lookup loudly so a renamed address does not pass silently. */
export function operationOn(operations: readonly Operation[], address: string): Operation {
  const op = operations.find((o) => o.address === address);
  if (!op) throw new Error(`no operation on ${address} in the apply output`);
  return op;
}
