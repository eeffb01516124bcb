/** Spawn the simulated node's real executables (dist/sim/bin/*) against a fresh state directory. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

export const BIN_DIR = resolve(import.meta.dirname, '../../dist/sim/bin');

export type Tool = 'pct' | 'qm' | 'zfs' | 'zpool' | 'pvesh' | 'pvesm' | 'pveam' | 'sh' | 'chown' | 'stat';

export interface SimResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Sim {
  dir: string;
  run(tool: Tool, args: string[], options?: { input?: string; env?: Record<string, string>; timeout?: number }): Promise<SimResult>;
  /** Run and require exit 0; returns stdout. */
  ok(tool: Tool, args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<string>;
  file(relative: string): string;
  cleanup(): void;
}

export const DEBIAN = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

export function createSim(): Sim {
  if (!existsSync(join(BIN_DIR, 'pct'))) {
    throw new Error('dist/sim/bin is missing: run `npx tsc -p tsconfig.json; node scripts/postbuild.mjs` first');
  }
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-sim-test-'));
  const sim: Sim = {
    dir,
    async run(tool, args, options = {}) {
      const result = await execa(join(BIN_DIR, tool), args, {
        env: { PHOENIX_SIM_DIR: dir, TZ: 'UTC', ...options.env },
        input: options.input ?? '',
        reject: false,
        stripFinalNewline: false,
        timeout: options.timeout,
      });
      return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
    },
    async ok(tool, args, options) {
      const result = await sim.run(tool, args, options);
      if (result.exitCode !== 0) {
        throw new Error(`${tool} ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
      }
      return result.stdout;
    },
    file(relative) {
      return readFileSync(join(dir, relative), 'utf8');
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sim;
}

/** Replace generated MACs and UUIDs so whole outputs can be compared exactly. */
export function masked(text: string): string {
  return text
    .replace(/BC:24:11(:[0-9A-F]{2}){3}/g, 'BC:24:11:XX:XX:XX')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/ctime=\d+/g, 'ctime=T');
}
