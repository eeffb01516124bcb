/**
 * The ssh runner against a real OpenSSH server (test/helpers/sshd.ts) on 127.0.0.1, so "remote" files
 * and processes can be inspected locally. (The remote login shell may print its own rc-file noise on
 * stderr, hence `toContain` for stderr.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNodes, createNode } from '../../src/exec/node.js';
import { CommandError } from '../../src/exec/runner.js';
import { SshRunner, type SshRunnerOptions } from '../../src/exec/ssh.js';
import { authenticationCount, sshdAvailable, startSshd, type TestSshd } from '../helpers/sshd.js';
import { hostileArguments, splitNulTerminated } from './hostile-strings.js';
import { isRunning } from './process-state.js';

describe.skipIf(!sshdAvailable())('SshRunner over a real sshd', () => {
  let sshd: TestSshd;
  let runner: SshRunner;
  const extraRunners: SshRunner[] = [];

  function newRunner(options: SshRunnerOptions = {}): SshRunner {
    const created = new SshRunner(
      { user: sshd.user, host: '127.0.0.1', port: sshd.port },
      { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile, killGraceMs: 500, ...options },
    );
    extraRunners.push(created);
    return created;
  }

  beforeAll(async () => {
    sshd = await startSshd();
    runner = newRunner();
  });
  afterAll(async () => {
    await Promise.all(extraRunners.map((r) => r.close()));
    await sshd?.stop();
  });

  it('describes itself by URL', () => {
    expect(runner.description).toBe(`ssh://${sshd.user}@127.0.0.1:${sshd.port}`);
  });

  it('returns the remote exit code, stdout and stderr', async () => {
    const result = await runner.run({ argv: ['sh', '-c', 'printf "out\\n"; printf "err\\n" >&2; exit 7'] });
    expect(result).toMatchObject({ exitCode: 7, stdout: 'out\n', timedOut: false });
    expect(result.stderr).toContain('err\n');
    expect(result.argv).toEqual(['sh', '-c', 'printf "out\\n"; printf "err\\n" >&2; exit 7']);
  });

  it('feeds stdin to the remote command', async () => {
    const result = await runner.run({ argv: ['cat'], stdin: 'arch: amd64\ncores: 2\n' });
    expect(result.stdout).toBe('arch: amd64\ncores: 2\n');
  });

  it('authenticates once for 20 concurrent commands (connection multiplexing)', async () => {
    const fresh = newRunner();
    const before = authenticationCount(sshd);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fresh.run({ argv: ['sh', '-c', `echo ${i}; exit ${i % 3}`] })),
    );
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
    expect(results.map((r) => r.exitCode)).toEqual(Array.from({ length: 20 }, (_, i) => i % 3));
    expect(authenticationCount(sshd) - before).toBe(1);
  });

  it('delivers hostile arguments byte-for-byte and never runs them', async () => {
    const canary = join(sshd.dir, 'CANARY');
    const args = hostileArguments(canary);
    const result = await runner.run({ argv: ['printf', '%s\\0', ...args] });
    expect(result.exitCode).toBe(0);
    expect(splitNulTerminated(result.stdout)).toEqual(args);
    expect(existsSync(canary)).toBe(false);
  });

  it('passes sshEnv values through unevaluated', async () => {
    const canary = join(sshd.dir, 'ENV-CANARY');
    const value = `$(touch ${canary}); \`touch ${canary}\` 'q' "d"\nline`;
    const withEnv = newRunner({ env: { LC_ALL: 'C', PHOENIX_TEST: value } });
    const result = await withEnv.run({ argv: ['sh', '-c', 'printf "%s\\0" "$LC_ALL" "$PHOENIX_TEST"'] });
    expect(splitNulTerminated(result.stdout)).toEqual(['C', value]);
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses a host whose key does not match known_hosts, with a clear error', async () => {
    const wrongKnownHosts = join(sshd.dir, 'known_hosts.wrong');
    // A syntactically valid ed25519 key that is not the server's.
    const otherKey = readFileSync(`${sshd.identityFile}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(wrongKnownHosts, `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    const result = await newRunner({ knownHostsFile: wrongKnownHosts }).run({ argv: ['true'] });
    expect(result.exitCode).toBe(255);
    expect(result.stderr).toContain(`ssh://${sshd.user}@127.0.0.1:${sshd.port}: host key verification failed`);
    expect(result.stderr).toContain(wrongKnownHosts);
  });

  it('refuses a host that is not in known_hosts at all', async () => {
    const emptyKnownHosts = join(sshd.dir, 'known_hosts.empty');
    writeFileSync(emptyKnownHosts, '');
    const result = await newRunner({ knownHostsFile: emptyKnownHosts }).run({ argv: ['true'] });
    expect(result.exitCode).toBe(255);
    expect(result.stderr).toContain('host key verification failed');
  });

  it('times out, and the remote command does not outlive the timeout', async () => {
    const pidFile = join(sshd.dir, 'remote.pid');
    const result = await runner.run({
      argv: ['sh', '-c', `echo $$ > '${pidFile}'; exec sleep 300`],
      timeoutMs: 500,
    });
    expect(result.timedOut).toBe(true);
    const remotePid = Number(readFileSync(pidFile, 'utf8'));
    await waitUntil(() => !isRunning(remotePid));
    // The runner is still usable afterwards.
    expect((await runner.run({ argv: ['echo', 'alive'] })).stdout).toBe('alive\n');
  });

  it('close() stops the control master', async () => {
    const closing = newRunner();
    await closing.run({ argv: ['true'] });
    const disconnects = (): number => readFileSync(sshd.logFile, 'utf8').match(/Disconnected from user /g)?.length ?? 0;
    const before = disconnects();
    await closing.close();
    await waitUntil(() => disconnects() > before);
    await closing.close(); // idempotent
    await expect(closing.run({ argv: ['true'] })).rejects.toThrow(/closed/);
  });

  it('backs ssh nodes: sshEnv reaches commands, failures throw CommandError', async () => {
    const node = createNode(
      {
        name: 'pve-test',
        connection: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`,
        sshIdentityFile: sshd.identityFile,
        sshKnownHostsFile: sshd.knownHostsFile,
        sshEnv: { PHOENIX_NODE_TEST: 'it works' },
      },
      sshd.dir,
    );
    try {
      expect(node.pveRoot).toBe('');
      expect((await node.run(['sh', '-c', 'echo "$PHOENIX_NODE_TEST"'])).stdout).toBe('it works\n');
      const failure = await node.run(['sh', '-c', 'echo nope >&2; exit 3']).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(CommandError);
      expect((failure as CommandError).result.exitCode).toBe(3);
    } finally {
      await closeNodes([node]);
    }
  });
});

/** Poll for an eventual effect (remote processes end asynchronously); bounded by the test timeout. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}
