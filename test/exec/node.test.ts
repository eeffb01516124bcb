import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/config/diagnostics.js';
import { closeNodes, createNode, type NodeSettings } from '../../src/exec/node.js';
import { CommandError } from '../../src/exec/runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'phoenix-node-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counterSeq = 0;

/** A local node whose retry sleeps are recorded instead of waited for. */
function localNode(settings: Partial<NodeSettings> = {}) {
  const delays: number[] = [];
  const node = createNode({ name: 'pve1', connection: 'local', ...settings }, scratch, {
    retry: { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
  });
  return { node, delays };
}

/**
 * A command that fails like Proxmox under lock contention on its first `failures` runs, then succeeds.
 * Returns the argv and a reader for how many times it ran.
 */
function contendedCommand(
  failures: number,
  message = "trying to acquire lock...\ncan't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout",
) {
  const counter = join(scratch, `counter-${++counterSeq}`);
  const script = `n=$(cat "$1" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$1"
    if [ $n -le ${failures} ]; then printf '%s\\n' "$2" >&2; exit 255; fi
    echo "done after $n"`;
  return {
    argv: ['sh', '-c', script, 'contended', counter, message],
    runs: () => Number(readFileSync(counter, 'utf8')),
  };
}

describe('createNode', () => {
  it('applies the documented defaults', () => {
    const { node } = localNode();
    expect(node).toMatchObject({ name: 'pve1', pveRoot: '', maxParallel: 4, storageParallel: 1 });
    expect(node.runner.kind).toBe('local');
  });

  it('takes limits and pveRoot from the settings', () => {
    const { node } = localNode({ maxParallel: 8, storageParallel: 2, pveRoot: '/srv/fake' });
    expect(node).toMatchObject({ maxParallel: 8, storageParallel: 2, pveRoot: '/srv/fake' });
  });

  it('roots a simulator node in its absolute state directory under the base dir', () => {
    const node = createNode({ name: 'sim', connection: 'simulator' }, scratch);
    expect(node.runner.kind).toBe('simulator');
    expect(node.pveRoot).toBe(join(scratch, '.phoenix-sim'));
    const custom = createNode({ name: 'sim', connection: 'simulator', simulatorDir: 'state/sim' }, scratch);
    expect(custom.pveRoot).toBe(join(scratch, 'state/sim'));
  });

  it('describes ssh nodes by URL', async () => {
    const node = createNode({ name: 'pve2', connection: 'ssh://admin@pve2:2222' }, scratch);
    expect(node.runner).toMatchObject({ kind: 'ssh', description: 'ssh://admin@pve2:2222' });
    await closeNodes([node]);
  });

  it('rejects an invalid connection with a diagnostic', () => {
    expect(() => createNode({ name: 'x', connection: 'telnet://x' }, scratch)).toThrow(DiagnosticError);
  });
});

describe('NodeHandle.run', () => {
  it('returns the result of a successful command', async () => {
    const { node } = localNode();
    const result = await node.run(['cat'], { stdin: 'config' });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'config' });
  });

  it('throws CommandError carrying the result on failure', async () => {
    const { node } = localNode();
    const failure = await node.run(['sh', '-c', 'echo "unable to parse value" >&2; exit 2']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as CommandError).result).toMatchObject({ exitCode: 2, stderr: 'unable to parse value\n' });
    expect((failure as CommandError).message).toContain('exited with code 2: unable to parse value');
  });

  it('returns the failed result with allowFailure', async () => {
    const { node } = localNode();
    const result = await node.run(['sh', '-c', 'exit 1'], { allowFailure: true });
    expect(result.exitCode).toBe(1);
  });

  it.each(["can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout", 'CT is locked (backup)', 'VM is locked (clone)'])(
    'retries lock contention (%s) with growing delays until the command succeeds',
    async (message) => {
      const { node, delays } = localNode();
      const command = contendedCommand(2, message);
      const result = await node.run(command.argv);
      expect(result.stdout).toBe('done after 3\n');
      expect(command.runs()).toBe(3);
      expect(delays).toHaveLength(2);
      expect(delays[1]!).toBeGreaterThan(delays[0]!);
    },
  );

  it('gives up after retryAttempts and reports the lock error', async () => {
    const { node, delays } = localNode({ retryAttempts: 3 });
    const command = contendedCommand(10);
    const failure = await node.run(command.argv).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as CommandError).result.stderr).toContain('got timeout');
    expect(command.runs()).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it('does not retry other failures', async () => {
    const { node, delays } = localNode();
    const command = contendedCommand(5, 'unable to create CT 101 - storage full');
    await expect(node.run(command.argv)).rejects.toBeInstanceOf(CommandError);
    expect(command.runs()).toBe(1);
    expect(delays).toEqual([]);
  });

  it('applies the node operation timeout and never retries a timed-out command', async () => {
    const { node, delays } = localNode({ operationTimeoutMs: 300 });
    const counter = join(scratch, 'timeout-counter');
    // Looks like lock contention on stderr, but then hangs: the timeout wins, no retry.
    const script = `echo x >> "$1"; echo 'trying to acquire lock...' >&2; exec sleep 300`;
    const failure = await node.run(['sh', '-c', script, 'hang', counter]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as CommandError).result.timedOut).toBe(true);
    expect((failure as CommandError).message).toContain('timed out');
    expect(readFileSync(counter, 'utf8')).toBe('x\n');
    expect(delays).toEqual([]);
  });

  it('lets a call override the timeout', async () => {
    const { node } = localNode({ operationTimeoutMs: 60_000 });
    const result = await node.run(['sleep', '300'], { timeoutMs: 200, allowFailure: true });
    expect(result.timedOut).toBe(true);
  });
});
