import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalRunner, SPAWN_FAILED_EXIT_CODE } from '../../src/exec/local.js';
import { isRunning } from './process-state.js';

const runner = new LocalRunner({ killGraceMs: 200 });
const scratch = mkdtempSync(join(tmpdir(), 'phoenix-local-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('LocalRunner', () => {
  it('returns exit code, stdout and stderr without throwing on failure', async () => {
    const result = await runner.run({ argv: ['sh', '-c', 'printf out; printf err >&2; exit 3'] });
    expect(result).toMatchObject({ argv: ['sh', '-c', 'printf out; printf err >&2; exit 3'], exitCode: 3 });
    expect(result).toMatchObject({ stdout: 'out', stderr: 'err', timedOut: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps output byte-for-byte, trailing newlines included', async () => {
    const result = await runner.run({ argv: ['printf', 'a\\n\\nb\\n\\n'] });
    expect(result.stdout).toBe('a\n\nb\n\n');
  });

  it('passes arguments verbatim: no shell ever sees them', async () => {
    const args = ['$(touch nope)', '*', "it's", 'a b', ''];
    const result = await runner.run({ argv: ['printf', '%s\\0', ...args] });
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(args);
  });

  it('feeds stdin', async () => {
    const result = await runner.run({ argv: ['cat'], stdin: 'line 1\nline 2\n' });
    expect(result.stdout).toBe('line 1\nline 2\n');
  });

  it('gives commands an empty stdin when none is supplied, so readers do not hang', async () => {
    const result = await runner.run({ argv: ['cat'], timeoutMs: 20_000 });
    expect(result).toMatchObject({ exitCode: 0, stdout: '', timedOut: false });
  });

  it('reports a missing program as exit 127 with the reason in stderr', async () => {
    const result = await runner.run({ argv: ['phoenix-no-such-program'] });
    expect(result.exitCode).toBe(SPAWN_FAILED_EXIT_CODE);
    expect(result.stderr).toContain('ENOENT');
  });

  it('on timeout kills the whole process group, including a grandchild that ignores SIGTERM', async () => {
    const pidFile = join(scratch, 'grandchild.pid');
    // The grandchild ignores SIGTERM (ignored signals survive exec) and keeps our stdout open: a plain kill
    // of `sh` would leave it running and the run would not return until it ended on its own.
    const script = `(trap '' TERM; exec sleep 300) & echo $! > '${pidFile}'; wait`;
    const result = await runner.run({ argv: ['sh', '-c', script], timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(await eventually(() => !isRunning(grandchild))).toBe(true);
  });

  it('returns after a timeout even when a descendant escaped the group and holds stdout', async () => {
    const pidFile = join(scratch, 'escaped.pid');
    const script = `setsid sh -c 'echo $$ > "$1"; exec sleep 300' escaped '${pidFile}' & echo started; wait`;
    const result = await runner.run({ argv: ['sh', '-c', script], timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, stdout: 'started\n' });
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  });

  it('aborts via an AbortSignal, killing the group', async () => {
    const controller = new AbortController();
    const pidFile = join(scratch, 'aborted.pid');
    const running = runner.run({
      argv: ['sh', '-c', `sleep 300 & echo $! > '${pidFile}'; echo ready; wait`],
      signal: controller.signal,
    });
    await waitFor(() => readFileOrEmpty(pidFile) !== '');
    controller.abort();
    const result = await running;
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(128 + 15);
    const grandchild = Number(readFileOrEmpty(pidFile));
    expect(await eventually(() => !isRunning(grandchild))).toBe(true);
  });

  it('kills a command whose signal is already aborted', async () => {
    const result = await runner.run({ argv: ['sleep', '300'], signal: AbortSignal.abort() });
    expect(result).toMatchObject({ exitCode: 128 + 15, timedOut: false });
  });
});

function readFileOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Whether `condition` holds within 10 s: a killed process needs a moment to die on a busy machine. */
async function eventually(condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}
