/**
 * `npm run bench:hostile`: the hostile-input campaign, kept as a script (minutes long, not in the unit
 * suite). Prints its figures and exits 1 when a claim fails.
 *  1. Concurrent applies: N `phoenix apply -lock-timeout=0s` started at once against one state (the
 *     simulated node slowed down so the runs overlap): exactly one wins, every other one fails naming the
 *     winner as the lock holder, and the node ends with exactly one object.
 *  2. Hostile strings (src/bench/hostile-strings.ts, alone, inside a word and as `--opt=VALUE`) over every
 *     connection — local, simulator, and ssh to a real sshd on 127.0.0.1 — as arguments of `printf '%s\0'`:
 *     each must come back byte for byte and the canary file they try to create must never appear. Then,
 *     end to end over the simulator and ssh, a container whose description holds them all is applied, read
 *     back from the node exactly, and the next plan shows no changes.
 * Build first (the npm script does): it drives dist/cli/main.js and dist/sim/bin.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalRunner } from '../exec/local.js';
import type { Runner } from '../exec/runner.js';
import { SimulatorRunner } from '../exec/simulator.js';
import { SshRunner } from '../exec/ssh.js';
import { hclString, hostileArguments, splitNulTerminated } from './hostile-strings.js';
import { SSHD, startSshd, type TestSshd } from './sshd.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const SIM_BIN = join(ROOT, 'dist/sim/bin');
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

interface Claim {
  name: string;
  ok: boolean;
  figures: Record<string, string | number>;
}

interface CliRun {
  pid: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(dir: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ pid: child.pid!, code, stdout, stderr }));
  });
}

function containerHcl(vmid: number, description: string, node = ''): string {
  return `${node}
resource "lxc" "ct" {
  vmid        = ${vmid}
  hostname    = "ct${vmid}"
  ostemplate  = "${TEMPLATE}"
  description = ${hclString(description)}
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
}
`;
}

async function concurrentApplies(count: number): Promise<Claim> {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-campaign-lock-'));
  try {
    writeFileSync(join(dir, 'main.hcl'), containerHcl(150, 'contended'));
    // Every simulator command takes 1.5 s: the winner holds the lock for many seconds while the others start.
    mkdirSync(join(dir, '.phoenix-sim'));
    writeFileSync(join(dir, '.phoenix-sim', 'sim.json'), JSON.stringify({ latency_ms: 1500 }));
    const started = Date.now();
    const runs = await Promise.all(Array.from({ length: count }, () => runCli(dir, ['apply', '-auto-approve', '-lock-timeout=0s'])));
    const seconds = (Date.now() - started) / 1000;
    const winners = runs.filter((r) => r.code === 0);
    const winner = winners[0];
    const namingHolder = runs.filter(
      (r) => r.code === 1 && r.stderr.includes('Error acquiring the state lock') && winner !== undefined && r.stderr.includes(`PID:       ${winner.pid}`),
    );
    const containers = spawnSync(process.execPath, [join(SIM_BIN, 'pct'), 'list'], { env: { ...process.env, PHOENIX_SIM_DIR: join(dir, '.phoenix-sim') }, encoding: 'utf8' })
      .stdout.split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '').length;
    return {
      name: `${count} concurrent applies against one state`,
      ok: winners.length === 1 && namingHolder.length === count - 1 && containers === 1,
      figures: { applies: count, winners: winners.length, losers_naming_holder: namingHolder.length, containers_on_node: containers, seconds: seconds.toFixed(1) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every hostile string alone, inside a word, and as the value of an option. */
function variants(canary: string): string[] {
  return hostileArguments(canary).flatMap((s) => [s, `x${s}y`, `--opt=${s}`]);
}

async function argumentsRoundTrip(name: string, runner: Runner, canary: string): Promise<Claim> {
  const strings = variants(canary);
  let exact = 0;
  const mismatches: string[] = [];
  for (const s of strings) {
    const result = await runner.run({ argv: ['printf', '%s\\0', s], timeoutMs: 30_000 });
    const back = splitNulTerminated(result.stdout);
    if (result.exitCode === 0 && back.length === 1 && back[0] === s) exact++;
    else mismatches.push(JSON.stringify(s));
  }
  const canaryCreated = existsSync(canary);
  return {
    name: `hostile arguments over ${name}`,
    ok: exact === strings.length && !canaryCreated,
    figures: { strings: strings.length, exact_round_trips: exact, reached_a_shell: canaryCreated ? 'YES' : 0, ...(mismatches.length ? { first_mismatch: mismatches[0]! } : {}) },
  };
}

/** phoenix apply of a container whose description holds every hostile string, then read back and re-planned. */
async function endToEnd(name: string, dir: string, simDir: string, nodeBlock: string, canary: string): Promise<Claim> {
  const description = hostileArguments(canary).join('\n');
  writeFileSync(join(dir, 'main.hcl'), containerHcl(160, description, nodeBlock));
  const apply = await runCli(dir, ['apply', '-auto-approve']);
  const config = spawnSync(process.execPath, [join(SIM_BIN, 'pct'), 'config', '160'], { env: { ...process.env, PHOENIX_SIM_DIR: simDir }, encoding: 'utf8' }).stdout;
  const printed = /^description: (.*)$/m.exec(config)?.[1];
  const stored = printed === undefined ? undefined : decodeURIComponent(printed);
  // The node keeps a description's text with its trailing newlines folded into one (as Proxmox does).
  const expected = `${description.replace(/\n+$/, '')}\n`;
  const plan = await runCli(dir, ['plan', '-detailed-exitcode']);
  const canaryCreated = existsSync(canary);
  return {
    name: `phoenix apply of every hostile string over ${name}`,
    ok: apply.code === 0 && stored === expected && plan.code === 0 && !canaryCreated,
    figures: {
      strings: hostileArguments(canary).length,
      apply_exit: apply.code ?? 'signal',
      stored_exactly: stored === expected ? 'yes' : 'NO',
      replan_exit: plan.code ?? 'signal',
      reached_a_shell: canaryCreated ? 'YES' : 0,
      ...(apply.code !== 0 ? { apply_error: apply.stderr.split('\n').slice(0, 3).join(' ') } : {}),
    },
  };
}

function sshNodeBlock(sshd: TestSshd, simDir: string): string {
  const remotePath = [SIM_BIN, dirname(process.execPath), '/usr/bin', '/bin'].join(':');
  return `node "pve" {
  connection           = "ssh://${sshd.user}@127.0.0.1:${sshd.port}"
  ssh_identity_file    = ${hclString(sshd.identityFile)}
  ssh_known_hosts_file = ${hclString(sshd.knownHostsFile)}
  pve_root             = ${hclString(simDir)}
  ssh_env = {
    PATH            = ${hclString(remotePath)}
    PHOENIX_SIM_DIR = ${hclString(simDir)}
    LC_ALL          = "C"
  }
}`;
}

async function hostileStrings(): Promise<Claim[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-campaign-hostile-'));
  const canary = join(dir, 'CANARY');
  const claims: Claim[] = [];
  let sshd: TestSshd | undefined;
  try {
    const simDir = join(dir, '.phoenix-sim');
    claims.push(await argumentsRoundTrip('local', new LocalRunner(), canary));
    claims.push(await argumentsRoundTrip('simulator', new SimulatorRunner({ stateDir: simDir, nodeName: 'pve' }), canary));
    claims.push(await endToEnd('simulator', dir, simDir, '', canary));
    if (!existsSync(SSHD)) {
      claims.push({ name: 'hostile strings over ssh', ok: false, figures: { skipped: `${SSHD} is not installed` } });
      return claims;
    }
    sshd = await startSshd();
    const ssh = new SshRunner({ user: sshd.user, host: '127.0.0.1', port: sshd.port }, { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });
    try {
      claims.push(await argumentsRoundTrip('ssh (real sshd on 127.0.0.1)', ssh, canary));
    } finally {
      await ssh.close();
    }
    const remoteDir = join(dir, 'over-ssh');
    mkdirSync(remoteDir);
    const remoteSim = join(remoteDir, 'remote-node');
    claims.push(await endToEnd('ssh (real sshd on 127.0.0.1)', remoteDir, remoteSim, sshNodeBlock(sshd, remoteSim), canary));
    return claims;
  } finally {
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
const count = Number(process.env.PHOENIX_CAMPAIGN_APPLIES ?? 20);
const claims = [await concurrentApplies(count), ...(await hostileStrings())];
let failed = 0;
for (const claim of claims) {
  if (!claim.ok) failed++;
  const figures = Object.entries(claim.figures)
    .map(([k, v]) => `${k}=${v}`)
    .join('  ');
  console.log(`${claim.ok ? 'ok  ' : 'FAIL'} ${claim.name}\n       ${figures}`);
}
console.log(failed === 0 ? 'every claim held' : `${failed} claim(s) failed`);
process.exitCode = failed === 0 ? 0 : 1;
