/**
 * Kill campaign (issue 10): `kill -9` phoenix at random points of an apply (and of a destroy) of
 * examples/homelab on the simulator, then let the next run recover, and count what went wrong:
 *  - kills: phoenix processes killed with SIGKILL;
 *  - unreadable states: state files the next run could not read after a kill;
 *  - orphans: objects on the node that the recovered state does not hold (phoenix forgot them);
 *  - wrongly adopted: objects in state without the proof phoenix wrote on them, or objects phoenix did
 *    not create ("squatters": after some kills a guest or dataset is made by hand at the identity of a
 *    create that left nothing behind; the next plan must not adopt it).
 * Not part of the unit suite: `npm run bench:kill -- [--kills=100] [--workers=2] [--seed=N]`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseState } from '../state/codec.js';
import type { StateFile } from '../state/model.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const SIM_BIN = join(ROOT, 'dist/sim/bin');
const HOMELAB = join(ROOT, 'examples/homelab');
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
const GUEST_VOLUME = /(?:^|\/)(?:subvol|basevol|vm|base)-\d+-(?:disk|cloudinit|state)[^/]*$/;

interface Figures {
  kills: number;
  unreadable_states: number;
  orphans: number;
  wrongly_adopted: number;
  squatters_planted: number;
  squatters_adopted: number;
  recoveries_failed: number;
  wall_s: number;
}

interface Options {
  kills: number;
  workers: number;
  seed: number;
}

/** A small deterministic PRNG (mulberry32), so a campaign can be rerun with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'phoenix-kill-'));
  readonly simDir = join(this.dir, '.phoenix-sim');
  constructor() {
    cpSync(HOMELAB, this.dir, { recursive: true, filter: (src) => !src.includes('.phoenix-sim') && !src.includes('phoenix.state.json') });
  }

  run(args: string[]): Promise<{ code: number | null; out: string }> {
    return this.start(args).done;
  }

  start(args: string[]): { pid: number; done: Promise<{ code: number | null; out: string }> } {
    const child = spawn(process.execPath, [CLI, ...args, '-no-color'], { cwd: this.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
    return { pid: child.pid!, done };
  }

  tool(tool: string, ...args: string[]): { code: number | null; stdout: string } {
    const r = spawnSync(process.execPath, [join(SIM_BIN, tool), ...args], { encoding: 'utf8', env: { ...process.env, PHOENIX_SIM_DIR: this.simDir } });
    return { code: r.status, stdout: r.stdout };
  }

  /** Every object on the node: `ct:ID`, `vm:ID`, `ds:NAME`, each with the proof token it carries (or null). */
  objects(): Map<string, string | null> {
    const found = new Map<string, string | null>();
    for (const [tool, kind, dir] of [['pct', 'ct', 'lxc'], ['qm', 'vm', 'qemu-server']] as const) {
      for (const line of this.tool(tool, 'list').stdout.split('\n').slice(1)) {
        const vmid = Number(line.trim().split(/\s+/)[0]);
        if (!(vmid > 0)) continue;
        const path = join(this.simDir, 'etc/pve/nodes/pve', dir, `${vmid}.conf`);
        const text = existsSync(path) ? decodeLines(readFileSync(path, 'utf8').split('\n[')[0]!) : '';
        const marker = new RegExp(`^#phoenix-owner: (\\S+) ${kind === 'ct' ? 'lxc' : 'qemu'}/${vmid}$`, 'm').exec(text);
        found.set(`${kind}:${vmid}`, marker ? marker[1]! : null);
      }
    }
    for (const line of this.tool('zfs', 'get', '-H', '-o', 'name,value,source', 'phoenix:owner').stdout.split('\n')) {
      const [name, value, source] = line.split('\t');
      // Guest volumes (rpool/data/subvol-900-disk-0, vm-301-disk-0…) belong to their guest.
      if (!name || GUEST_VOLUME.test(name)) continue;
      const [token, owner] = (value ?? '').split(' ');
      found.set(`ds:${name}`, source === 'local' && owner === name ? token! : null);
    }
    return found;
  }

  state(): StateFile | 'missing' | 'unreadable' {
    const path = join(this.dir, 'phoenix.state.json');
    if (!existsSync(path)) return 'missing';
    try {
      return parseState(readFileSync(path, 'utf8'), path);
    } catch {
      return 'unreadable';
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The node object a state record or pending record names. */
function objectKey(type: string, attrs: Record<string, unknown>): string | undefined {
  if (type === 'lxc' && typeof attrs.vmid === 'number') return `ct:${attrs.vmid}`;
  if (type === 'vm' && typeof attrs.vmid === 'number') return `vm:${attrs.vmid}`;
  if (type === 'zfs_dataset' && typeof attrs.name === 'string') return `ds:${attrs.name}`;
  return undefined;
}

/** Whether any simulator process still runs for this node (commands the killed phoenix had started). */
function simulatorBusy(simDir: string): boolean {
  const marker = `PHOENIX_SIM_DIR=${simDir}\0`;
  return spawnSync('sh', ['-c', 'ls /proc'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((e) => /^\d+$/.test(e))
    .some((pid) => {
      try {
        return `${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(marker);
      } catch {
        return false;
      }
    });
}

function decodeLines(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settle(simDir: string): Promise<void> {
  while (simulatorBusy(simDir)) await sleep(100);
}

/** Plants a hand-made object at the identity of a pending create whose object does not exist. */
function plantSquatter(ws: Workspace, state: StateFile, onNode: Map<string, string | null>): string | undefined {
  for (const pending of state.pending) {
    if (pending.action !== 'create') continue;
    const key = objectKey(pending.type, pending.identity);
    if (!key || onNode.has(key)) continue;
    const [kind, id] = [key.slice(0, 2), key.slice(3)];
    const made =
      kind === 'ct'
        ? ws.tool('pct', 'create', id, TEMPLATE, '--rootfs', 'local-zfs:4', '--hostname', 'squatter')
        : kind === 'vm'
          ? ws.tool('qm', 'create', id, '--name', 'squatter')
          : ws.tool('zfs', 'create', id);
    if (made.code === 0) return key;
  }
  return undefined;
}

function removeObject(ws: Workspace, key: string): void {
  const [kind, id] = [key.slice(0, 2), key.slice(3)];
  if (kind === 'ct') ws.tool('pct', 'destroy', id);
  else if (kind === 'vm') ws.tool('qm', 'destroy', id);
  else ws.tool('zfs', 'destroy', '-r', id);
}

/** Counts objects the state holds without their proof, and node objects the state does not hold. */
function audit(ws: Workspace, baseline: ReadonlySet<string>, figures: Figures, squatter: string | undefined, countOrphans: boolean): void {
  const state = ws.state();
  if (typeof state === 'string') return;
  const onNode = ws.objects();
  const held = new Map<string, string | undefined>();
  for (const r of state.resources) {
    const key = objectKey(r.type, r.attributes);
    if (key) held.set(key, r.owner);
  }
  for (const [key, owner] of held) {
    if (!onNode.has(key)) continue;
    if (owner === undefined || onNode.get(key) !== owner || key === squatter) figures.wrongly_adopted++;
    if (key === squatter) figures.squatters_adopted++;
  }
  if (!countOrphans) return;
  for (const key of onNode.keys()) {
    if (held.has(key) || baseline.has(key)) continue;
    figures.orphans++;
    process.stderr.write(`orphan: ${key}\n`);
  }
}

async function worker(kills: number, rand: () => number, figures: Figures, log: (line: string) => void): Promise<void> {
  const ws = new Workspace();
  try {
    const baseline = new Set(ws.objects().keys());
    // How long a full apply and destroy take here: kill points are drawn over that span.
    let started = Date.now();
    await ws.run(['apply', '-auto-approve']);
    const applyMs = Date.now() - started;
    started = Date.now();
    await ws.run(['destroy', '-auto-approve']);
    const destroyMs = Date.now() - started;
    let done = 0;
    while (done < kills) {
      const command = done % 2 === 0 ? 'apply' : 'destroy';
      const span = command === 'apply' ? applyMs : destroyMs;
      const delay = 300 + Math.floor(rand() * span);
      const running = ws.start([command, '-auto-approve']);
      const outcome = await Promise.race([running.done.then(() => 'finished' as const), sleep(delay).then(() => 'due' as const)]);
      if (outcome === 'finished') continue; // ran to the end before its kill point: draw again
      process.kill(running.pid, 'SIGKILL');
      await running.done;
      figures.kills++;
      done++;
      await settle(ws.simDir);
      const state = ws.state();
      if (state === 'unreadable') figures.unreadable_states++;
      let squatter: string | undefined;
      if (typeof state !== 'string' && rand() < 0.3) squatter = plantSquatter(ws, state, ws.objects());
      if (squatter) figures.squatters_planted++;
      let recovery = await ws.run([command, '-auto-approve']);
      if (squatter) {
        // The plan must have refused to run (the squatter holds a planned identity) and adopted nothing.
        audit(ws, baseline, figures, squatter, false);
        removeObject(ws, squatter);
        recovery = await ws.run([command, '-auto-approve']);
      }
      if (recovery.code !== 0) {
        figures.recoveries_failed++;
        log(`kill ${figures.kills}: ${command} after the kill failed:\n${recovery.out.slice(-2000)}`);
        recovery = await ws.run([command, '-auto-approve']);
      }
      audit(ws, baseline, figures, undefined, true);
      log(`kill ${figures.kills} during ${command} at ${delay} ms: recovered (exit ${recovery.code})`);
    }
  } finally {
    ws.remove();
  }
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    return arg ? Number(arg.slice(name.length + 3)) : fallback;
  };
  return { kills: value('kills', 100), workers: value('workers', 2), seed: value('seed', Date.now() % 100000) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const figures: Figures = { kills: 0, unreadable_states: 0, orphans: 0, wrongly_adopted: 0, squatters_planted: 0, squatters_adopted: 0, recoveries_failed: 0, wall_s: 0 };
  const started = Date.now();
  const share = (i: number) => Math.floor(options.kills / options.workers) + (i < options.kills % options.workers ? 1 : 0);
  await Promise.all(
    Array.from({ length: options.workers }, (_, i) => worker(share(i), random(options.seed + i), figures, (line) => process.stderr.write(`[worker ${i}] ${line}\n`))),
  );
  figures.wall_s = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`${JSON.stringify({ seed: options.seed, ...figures }, null, 2)}\n`);
  const ok = figures.unreadable_states === 0 && figures.orphans === 0 && figures.wrongly_adopted === 0 && figures.squatters_adopted === 0;
  process.exitCode = ok ? 0 : 1;
}

await main();
