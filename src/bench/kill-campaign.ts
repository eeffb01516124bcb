/**
 * Kill campaign (issues 10 and 16): `kill -9` phoenix at random points of an apply (and of a destroy) of
 * an estate on the simulator (src/bench/kill-estates.ts: every object kind, or examples/homelab), let
 * the next run recover, and check after every kill and recovery that phoenix harmed nothing it does not own:
 *  - unreadable states: state files the next run could not read after a kill;
 *  - adoptions: objects of interrupted creates the recovery adopted — each must carry the proof the
 *    create wrote (wrongly adopted: in state without it);
 *  - squatters: objects made by hand (src/bench/kill-node.ts) — four standing ones next to phoenix's
 *    objects for the whole campaign, and, after half the kills, one at the identity of an interrupted
 *    create that had not reached the node yet (else of an object the recovery is about to create). Each
 *    must be refused (never in state), left untouched (same fingerprint), and survive the final destroy;
 *  - orphans: objects phoenix created that a recovered state does not hold and no later run adopts with
 *    their proof, each object counted once, explained when a run's diagnostic names it
 *    (src/bench/kill-audit.ts);
 *  - a final destroy must leave the node as it was plus the standing squatters.
 * Not part of the unit suite: `npm run bench:kill -- [--kills=100] [--workers=2] [--seed=N] [--estate=compact|homelab]
 * [--minutes=M]` (no kill drawn after M minutes: the figures say how many were made).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalBackend } from '../state/local.js';
import type { StateFile } from '../state/model.js';
import { COMPACT, DOWNLOADS, ISO_BODY, type Estate } from './kill-estates.js';
import { Auditor, emptyFigures, type Figures } from './kill-audit.js';
import { heldObjects, pendingKeys, SimNode, type NodeObject } from './kill-node.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const HOMELAB = join(ROOT, 'examples/homelab');
/** Objects made by hand before the first apply, next to phoenix's; they must outlive the campaign untouched. */
const STANDING_SQUATTERS = ['ct:105', 'vm:106', 'ds:tank/handmade', 'file:local:iso/handmade.iso'];
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
  readonly node = new SimNode(join(this.dir, '.phoenix-sim'));
  constructor(estate: Estate) {
    if (estate === 'homelab') cpSync(HOMELAB, this.dir, { recursive: true, filter: (src) => !/\.phoenix-sim|phoenix\.state\.json|\.phoenix$/.test(src) });
    else writeFileSync(join(this.dir, 'main.hcl'), COMPACT);
    writeFileSync(join(this.dir, 'campaign-downloads.hcl'), DOWNLOADS);
    this.node.tool('pvesm', 'status'); // lays out the simulated node
    const remote = join(this.node.simDir, 'var/sim/remote/files.example');
    mkdirSync(remote, { recursive: true });
    writeFileSync(join(remote, 'campaign.iso'), ISO_BODY);
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

  /** The state as the next run reads it: the file with a killed run's journal replayed (src/state/local.ts). */
  async state(): Promise<StateFile | 'missing' | 'unreadable'> {
    try {
      return (await new LocalBackend(join(this.dir, 'phoenix.state.json')).read()) ?? 'missing';
    } catch {
      return 'unreadable';
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Whether a process the killed phoenix started still runs for this workspace: a simulator command (its
 * environment names the node) or a child not yet past exec (a fork of phoenix, in the workspace directory).
 */
function leftoverProcesses(workspace: string, simDir: string): boolean {
  const marker = `PHOENIX_SIM_DIR=${simDir}\0`;
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .some((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === workspace || `${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(marker);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until nothing the killed run started is left (seen quiet twice, so a late fork is not missed). */
async function settle(workspace: string, simDir: string): Promise<void> {
  let quiet = 0;
  while (quiet < 2) {
    quiet = leftoverProcesses(workspace, simDir) ? 0 : quiet + 1;
    if (quiet < 2) await sleep(200);
  }
}

class Worker {
  readonly ws: Workspace;
  private kills = 0;
  private auditor: Auditor | undefined;
  /** Every node object a full apply creates. */
  private declared: string[] = [];

  constructor(
    estate: Estate,
    private readonly figures: Figures,
    private readonly rand: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.ws = new Workspace(estate);
  }

  /** Up to `kills` kills, none drawn after `stopAt` (ms since the epoch); then the final destroy. */
  async run(kills: number, stopAt: number): Promise<void> {
    const { ws } = this;
    const baseline = ws.node.objects();
    for (const key of STANDING_SQUATTERS) if (!ws.node.plant(key)) throw new Error(`could not plant ${key}`);
    const withSquatters = ws.node.objects();
    this.auditor = new Auditor(this.figures, this.log, baseline, new Map(STANDING_SQUATTERS.map((key) => [key, withSquatters.get(key)!])));
    // How long a full apply and destroy take here: kill points are drawn over that span.
    let started = Date.now();
    const first = await ws.run(['apply', '-auto-approve']);
    if (first.code !== 0) throw new Error(`the first apply failed:\n${first.out.slice(-3000)}`);
    const applyMs = Date.now() - started;
    const state = await ws.state();
    if (typeof state === 'string') throw new Error(`state after the first apply is ${state}`);
    this.declared = [...heldObjects(state).keys()];
    started = Date.now();
    const destroyed = await ws.run(['destroy', '-auto-approve']);
    if (destroyed.code !== 0) throw new Error(`the first destroy failed:\n${destroyed.out.slice(-3000)}`);
    const destroyMs = Date.now() - started;
    this.log(`a full apply takes ${applyMs} ms, a destroy ${destroyMs} ms: kill points are drawn over those spans`);
    let done = 0;
    while (done < kills && Date.now() < stopAt) {
      const command = done % 2 === 0 ? 'apply' : 'destroy';
      const delay = 300 + Math.floor(this.rand() * (command === 'apply' ? applyMs : destroyMs));
      const running = ws.start([command, '-auto-approve']);
      const outcome = await Promise.race([running.done.then(() => 'finished' as const), sleep(delay).then(() => 'due' as const)]);
      if (outcome === 'finished') continue; // ran to the end before its kill point: draw again
      process.kill(running.pid, 'SIGKILL');
      const killed = await running.done;
      this.figures.kills++;
      this.kills++;
      done++;
      await settle(ws.dir, ws.node.simDir);
      await this.recover(command, delay, killed.out);
    }
    await this.finalDestroy();
  }

  private async recover(command: string, delay: number, killedOut: string): Promise<void> {
    const { ws, figures } = this;
    const state = await ws.state();
    if (state === 'unreadable') figures.unreadable_states++;
    const squatter = this.rand() < 0.5 ? this.plantSquatter(typeof state === 'string' ? undefined : state) : undefined;
    const outputs: string[] = [];
    let recovery = await ws.run([command, '-auto-approve']);
    outputs.push(recovery.out);
    if (squatter) {
      const after = await ws.state();
      this.auditor!.checkSquatter(squatter.key, squatter.object, ws.node.objects(), typeof after === 'string' ? undefined : after, recovery.out, recovery.code);
      ws.node.remove(squatter.key);
      recovery = await ws.run([command, '-auto-approve']);
      outputs.push(recovery.out);
    }
    if (recovery.code !== 0) {
      figures.recoveries_failed++;
      this.log(`kill ${this.kills}: ${command} after the kill failed:\n${recovery.out.slice(-2000)}`);
      recovery = await ws.run([command, '-auto-approve']);
      outputs.push(recovery.out);
    }
    const out = outputs.join('\n');
    figures.adoptions_with_proof += (out.match(/Adopted an object from an interrupted create/g) ?? []).length;
    figures.not_adopted_warnings += (out.match(/Not adopted: an object phoenix did not create/g) ?? []).length;
    const recovered = await ws.state();
    if (typeof recovered !== 'string') this.auditor!.afterRecovery(this.kills, ws.node.objects(), recovered, out, killedOut);
    const planted = squatter ? `, squatter ${squatter.key}${squatter.interrupted ? ' (at an interrupted create)' : ''}` : '';
    this.log(`kill ${this.kills} during ${command} at ${delay} ms: recovered (exit ${recovery.code})${planted}`);
  }

  /**
   * A hand-made object at the identity of an interrupted create that had not reached the node, or else
   * at one the recovery is about to create (a declared object now absent).
   */
  private plantSquatter(state: StateFile | undefined): { key: string; object: NodeObject; interrupted: boolean } | undefined {
    const onNode = this.ws.node.objects();
    const plantable = (key: string) => !onNode.has(key) && /^(ct|vm|ds|file):/.test(key);
    const interrupted = (state ? pendingKeys(state) : []).map((p) => p.key).filter(plantable);
    // In a random order (interrupted creates first), so every kind of object gets squatted over a campaign.
    const shuffled = (keys: string[]) => keys.map((key) => ({ key, order: this.rand() })).sort((a, b) => a.order - b.order).map((k) => k.key);
    const candidates = [...shuffled(interrupted), ...shuffled(this.declared.filter(plantable))];
    for (const key of candidates) {
      if (!this.ws.node.plant(key)) continue;
      this.figures.squatters_fired++;
      const atInterrupted = interrupted.includes(key);
      if (atInterrupted) this.figures.squatters_at_interrupted_creates++;
      return { key, object: this.ws.node.objects().get(key)!, interrupted: atInterrupted };
    }
    return undefined;
  }

  private async finalDestroy(): Promise<void> {
    const { ws } = this;
    const destroy = await ws.run(['destroy', '-auto-approve']);
    if (destroy.code !== 0) this.log(`final destroy failed:\n${destroy.out.slice(-2000)}`);
    const state = await ws.state();
    this.auditor!.afterFinalDestroy(ws.node.objects(), typeof state === 'string' ? undefined : state);
  }
}

function parseOptions(argv: string[]): { kills: number; workers: number; seed: number; estate: Estate; minutes: number } {
  const text = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const value = (name: string, fallback: number) => Number(text(name) ?? fallback);
  const estate = text('estate') ?? 'compact';
  if (estate !== 'compact' && estate !== 'homelab') throw new Error(`--estate is compact or homelab, not ${estate}`);
  return { kills: value('kills', 100), workers: value('workers', 2), seed: value('seed', Date.now() % 100000), estate, minutes: value('minutes', Infinity) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const figures = emptyFigures();
  const started = Date.now();
  const share = (i: number) => Math.floor(options.kills / options.workers) + (i < options.kills % options.workers ? 1 : 0);
  await Promise.all(
    Array.from({ length: options.workers }, async (_, i) => {
      const worker = new Worker(options.estate, figures, random(options.seed + i), (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} [worker ${i}] ${line}\n`));
      try {
        await worker.run(share(i), started + options.minutes * 60_000);
      } finally {
        worker.ws.remove();
      }
    }),
  );
  figures.wall_s = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`${JSON.stringify({ seed: options.seed, workers: options.workers, estate: options.estate, ...figures }, null, 2)}\n`);
  const harmless =
    figures.unreadable_states === 0 &&
    figures.wrongly_adopted === 0 &&
    figures.squatters_adopted === 0 &&
    figures.squatters_touched === 0 &&
    figures.orphans_unexplained === 0 &&
    figures.final_destroy_left_objects === 0 &&
    figures.preexisting_objects_changed === 0;
  process.exitCode = harmless ? 0 : 1;
}

await main();
