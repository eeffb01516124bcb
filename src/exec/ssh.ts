/**
 * Runs commands on a remote Proxmox host through the system OpenSSH client, so the operator's keys,
 * agent and ~/.ssh/config (ProxyJump...) just work.
 *
 * - BatchMode: never prompt (a prompt would hang an unattended apply).
 * - StrictHostKeyChecking=yes: an unknown or changed host key is refused, never silently trusted.
 * - Multiplexing: one control master per runner, so hundreds of commands pay a single handshake.
 * - The remote command is a single string parsed by the remote shell, so it is built by quoting every
 *   argv element (quote.ts): no value can ever be interpreted remotely.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KILL_GRACE_MS, LocalRunner } from './local.js';
import { buildRemoteCommand } from './quote.js';
import type { RunRequest, RunResult, Runner } from './runner.js';

export interface SshTarget {
  user: string;
  host: string;
  port: number;
}

export interface SshRunnerOptions {
  identityFile?: string;
  /** Default: the user's ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Variables exported to every remote command via `env`. */
  env?: Record<string, string>;
  connectTimeoutSeconds?: number;
  /** How long the idle control master lingers after the last command. */
  controlPersistSeconds?: number;
  killGraceMs?: number;
}

/** ssh's own exit code for connection-level failures (as opposed to the remote command's code). */
const SSH_CONNECTION_FAILURE = 255;

export class SshRunner implements Runner {
  readonly kind: Runner['kind'] = 'ssh';
  readonly description: string;
  private readonly local: LocalRunner;
  private readonly knownHostsFile: string;
  /**
   * Unix socket paths are limited to ~104 bytes, and ssh appends a random suffix while creating the
   * socket; a fresh mkdtemp dir (private: mode 0700) with a one-letter name stays far below that no matter
   * how long host or user names are, and nobody else can connect through our master.
   */
  private controlDir?: string;
  private master?: Promise<RunResult>;
  private closed = false;

  constructor(
    private readonly target: SshTarget,
    private readonly options: SshRunnerOptions = {},
  ) {
    this.description = `ssh://${target.user}@${target.host}:${target.port}`;
    this.knownHostsFile = options.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
    this.local = new LocalRunner({ killGraceMs: options.killGraceMs });
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (this.closed) throw new Error(`${this.description}: runner is closed`);
    const master = await this.ensureMaster();
    if (master.exitCode !== 0) return { ...master, argv: [...request.argv] };
    const remoteCommand = buildRemoteCommand(this.withRemoteTimeout(request), this.options.env);
    // ControlMaster=auto: should the master have gone away (ControlPersist expiry), this command becomes one.
    const result = await this.local.run({
      ...request,
      argv: ['ssh', ...this.commonOptions(), '-o', 'ControlMaster=auto', '-T', '--', this.target.host, remoteCommand],
    });
    // Exit code 255 here may well be the remote command's own: only the master's failures are explained.
    return { ...result, argv: [...request.argv] };
  }

  /**
   * Killing the local ssh client does not stop the remote command (no pty, so no SIGHUP): a hung `pct`
   * would keep running and holding its lock. So the remote side enforces the timeout too, with GNU
   * `timeout` (present on every Proxmox host), kept 1 s behind the local timer so the local timer still
   * decides that the run timed out.
   */
  private withRemoteTimeout(request: RunRequest): string[] {
    if (request.timeoutMs === undefined) return request.argv;
    const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)}s`;
    const graceMs = this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    return ['timeout', `--kill-after=${seconds(graceMs)}`, seconds(request.timeoutMs + 1000), ...request.argv];
  }

  /** Stops the control master (`ssh -O exit`). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.master !== undefined && (await this.master).exitCode === 0) {
      await this.local.run({ argv: ['ssh', ...this.commonOptions(), '-O', 'exit', '--', this.target.host], timeoutMs: 10_000 });
    }
    if (this.controlDir !== undefined) rmSync(this.controlDir, { recursive: true, force: true });
  }

  /**
   * Start the control master once, before any command: with ControlMaster=auto alone, several commands
   * started at the same moment would each find no socket and each authenticate. `-f -N` returns as
   * soon as the master is authenticated and has gone to the background. A failure (e.g. a refused host
   * key) is returned to every waiting command and retried by the next one.
   */
  private ensureMaster(): Promise<RunResult> {
    this.master ??= this.local
      .run({
        argv: ['ssh', ...this.commonOptions(), '-o', 'ControlMaster=yes', '-f', '-N', '--', this.target.host],
        timeoutMs: ((this.options.connectTimeoutSeconds ?? 10) + 5) * 1000,
      })
      .then((result) => {
        if (result.exitCode !== 0) this.master = undefined;
        return explainConnectionFailure(result, this.description, this.knownHostsFile);
      });
    return this.master;
  }

  /** Created on first use, so a node that is never contacted leaves nothing behind. */
  private controlPath(): string {
    this.controlDir ??= mkdtempSync(join(tmpdir(), 'phx-'));
    return join(this.controlDir, 'm');
  }

  private commonOptions(): string[] {
    const option = (setting: string): string[] => ['-o', setting];
    return [
      ...option('BatchMode=yes'),
      ...option('StrictHostKeyChecking=yes'),
      ...option(`UserKnownHostsFile=${this.knownHostsFile}`),
      ...option(`ConnectTimeout=${this.options.connectTimeoutSeconds ?? 10}`),
      ...option(`ControlPath=${this.controlPath()}`),
      ...option(`ControlPersist=${this.options.controlPersistSeconds ?? 60}`),
      // Keep ssh's own chatter out of stderr, which providers parse; real errors are still printed.
      ...option('LogLevel=ERROR'),
      // Notice a dead connection within ~45 s instead of waiting on it forever.
      ...option('ServerAliveInterval=15'),
      ...option('ServerAliveCountMax=3'),
      ...(this.options.identityFile ? ['-i', this.options.identityFile, ...option('IdentitiesOnly=yes')] : []),
      '-p',
      String(this.target.port),
      '-l',
      this.target.user,
    ];
  }
}

/** Turn ssh's terse connection errors (exit 255 while connecting) into a message that says what to do. */
function explainConnectionFailure(result: RunResult, description: string, knownHostsFile: string): RunResult {
  if (result.exitCode !== SSH_CONNECTION_FAILURE || result.timedOut) return result;
  const hostKey = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No .* host key is known/.test(result.stderr);
  const explanation = hostKey
    ? `${description}: host key verification failed: the host's key is missing from or does not match ${knownHostsFile}. ` +
      'Verify the key and add it (ssh-keyscan is not a verification); phoenix never trusts an unknown host key.'
    : `${description}: ssh could not connect or authenticate (exit 255).`;
  return { ...result, stderr: `${explanation}\n${result.stderr}` };
}
