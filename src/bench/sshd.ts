/**
 * Starts a real OpenSSH server for tests and the hostile-input campaign: `/usr/sbin/sshd -D -e -f <config>`
 * on 127.0.0.1 and a free port, as the current user, with freshly generated host and client keys, so ssh
 * checks exercise the genuine client/server pair (BatchMode, host key checking, multiplexing), not a fake.
 * Tests decide what to do without sshd with test/helpers/sshd.ts's `sshdAvailable()`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface TestSshd {
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
  logFile: string;
  /** The directory holding keys, config and log; removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-sshd-'));
  const file = (name: string): string => join(dir, name);
  keygen(file('host_ed25519'));
  keygen(file('client_ed25519'));
  writeFileSync(file('authorized_keys'), readFileSync(file('client_ed25519.pub')), { mode: 0o600 });
  // sshd refuses to start without its privilege separation directory (absent in minimal containers).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  writeFileSync(
    file('sshd_config'),
    [
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${file('host_ed25519')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      `PidFile ${file('sshd.pid')}`,
      // Test files live in a world-readable temp dir owned by whoever runs the tests.
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      // VERBOSE logs one "Accepted publickey" line per authentication: the multiplexing test counts them.
      'LogLevel VERBOSE',
      // Tests open many sessions over one connection.
      'MaxSessions 100',
      'MaxStartups 100',
      '',
    ].join('\n'),
  );
  const hostKey = readFileSync(file('host_ed25519.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);

  const logFile = file('sshd.log');
  const server = spawn(SSHD, ['-D', '-e', '-f', file('sshd_config'), '-E', logFile], { stdio: 'ignore' });
  await waitForListening(server, port, logFile);
  return {
    port,
    user: userInfo().username,
    identityFile: file('client_ed25519'),
    knownHostsFile: file('known_hosts'),
    logFile,
    dir,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Number of successful authentications sshd has logged so far. */
export function authenticationCount(sshd: TestSshd): number {
  return readFileSync(sshd.logFile, 'utf8').match(/Accepted publickey for /g)?.length ?? 0;
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'phoenix-test', '-f', path]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

/** sshd -D logs "Server listening on" once its socket is bound; give up if it exits first. */
async function waitForListening(server: ChildProcess, port: number, logFile: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) return;
    if (server.exitCode !== null) throw new Error(`sshd exited with code ${server.exitCode}:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not start listening on port ${port} within 10 s`);
}
