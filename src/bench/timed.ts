/** Timing a child process: wall time, and its CPU time (user + system) from /usr/bin/time when present. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const TIME = '/usr/bin/time';

export interface Timed {
  wallMs: number;
  cpuMs?: number;
}

export function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

/** Runs argv in dir to completion; throws with its stderr when it fails. */
export function timed(argv: string[], dir: string, env: NodeJS.ProcessEnv = process.env): Timed {
  const scratch = mkdtempSync(join(tmpdir(), 'phoenix-bench-time-'));
  const cpuFile = join(scratch, 'cpu');
  try {
    const withTime = existsSync(TIME) ? [TIME, '-f', '%U %S', '-o', cpuFile, ...argv] : argv;
    const began = performance.now();
    const result = spawnSync(withTime[0]!, withTime.slice(1), { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    const wallMs = performance.now() - began;
    if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
    if (!existsSync(cpuFile)) return { wallMs };
    const [user, system] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wallMs, cpuMs: ((user ?? 0) + (system ?? 0)) * 1000 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
