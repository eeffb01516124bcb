/**
 * The simulated Proxmox node: a local runner on which the Proxmox tools (`pct`, `qm`, `zfs`, `pvesh`,
 * `pvesm`) are the simulator's executables in dist/sim/bin, told where the node's on-disk state lives
 * through PHOENIX_SIM_DIR / PHOENIX_SIM_NODE. Everything else (cat, flock, perl, mktemp...) runs as on a real
 * host, against paths under the node's pveRoot (the same state directory).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalRunner } from './local.js';
import type { RunRequest, RunResult, Runner } from './runner.js';

/**
 * `sh` is the simulator's sandboxed host shell: scripts run "on the host" (host features) are recorded in
 * var/sim/host-exec.log, never executed on this machine. `chown` and `stat` work on the simulated host's
 * file ownership (src/sim/hostfs.ts), so no test needs root to chown a directory to 101000.
 */
export const SIMULATED_TOOLS: ReadonlySet<string> = new Set(['pct', 'qm', 'zfs', 'zpool', 'pvesh', 'pvesm', 'pveam', 'sh', 'chown', 'stat']);

export interface SimulatorRunnerOptions {
  /** Absolute path of the simulated node's state directory. */
  stateDir: string;
  nodeName: string;
  /** Where the tool executables live; default: located from this module (see simulatorBinDir). */
  binDir?: string;
  killGraceMs?: number;
}

export class SimulatorRunner extends LocalRunner {
  override readonly kind: Runner['kind'] = 'simulator';
  override readonly description: string;
  private readonly binDir: string;
  private readonly stateDir: string;
  private hostReady: Promise<unknown> | undefined;

  constructor(options: SimulatorRunnerOptions) {
    super({
      killGraceMs: options.killGraceMs,
      env: { PHOENIX_SIM_DIR: resolve(options.stateDir), PHOENIX_SIM_NODE: options.nodeName },
    });
    this.binDir = options.binDir ?? simulatorBinDir();
    this.stateDir = resolve(options.stateDir);
    this.description = `simulator (${options.stateDir})`;
  }

  override async run(request: RunRequest): Promise<RunResult> {
    // `env K=V... TOOL args`: the variables are set by the real env(1), the tool is still the simulator's.
    const { argv } = request;
    const assignments: string[] = [];
    let start = 0;
    if (argv[0] === 'env') for (start = 1; start < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[start]!); start++) assignments.push(argv[start]!);
    const [program, ...args] = argv.slice(start);
    if (program === undefined || !SIMULATED_TOOLS.has(program)) {
      await this.ensureHost();
      return super.run(request);
    }
    // Run the executable with this very node binary rather than through its `#!/usr/bin/env node` line,
    // so it works even when `node` is not on PATH (nvm, absolute-path invocations).
    const tool = [process.execPath, join(this.binDir, program), ...args];
    return this.spawn(start > 0 ? ['env', ...assignments, ...tool] : tool, request);
  }

  /**
   * A real host's files (cloud images, templates) exist before phoenix runs; the simulated node lays
   * them out on the first use of any of its tools. So before a plain command (stat, cat, flock) reads
   * the node's files, one cheap tool call makes sure the node exists.
   */
  private ensureHost(): Promise<unknown> {
    if (existsSync(join(this.stateDir, 'var/sim/initialised'))) return Promise.resolve();
    this.hostReady ??= this.spawn([process.execPath, join(this.binDir, 'pvesm'), 'status'], { argv: ['pvesm', 'status'] });
    return this.hostReady;
  }
}

/**
 * dist/sim/bin, found from this module's own location so it works from any working directory and from an
 * installed package: compiled, this file is dist/exec/simulator.js next to dist/sim/. Run from the
 * TypeScript sources (tests, tsx), it is src/exec/simulator.ts and the built tools are in ../../dist.
 */
export function simulatorBinDir(moduleUrl: string = import.meta.url): string {
  const moduleDir = dirname(fileURLToPath(moduleUrl));
  const besideModule = resolve(moduleDir, '../sim/bin');
  const fromSources = resolve(moduleDir, '../../dist/sim/bin');
  return !existsSync(besideModule) && existsSync(fromSources) ? fromSources : besideModule;
}
