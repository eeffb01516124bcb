/**
 * Commands "run inside" a simulated guest (`pct exec`, `qm guest exec`). Nothing runs on the real
 * machine: file commands act on the guest's directory (`var/sim/guests/ID/rootfs`), scripts are only
 * recorded, and every call is appended to `var/sim/exec.log` (one JSON object per line) so tests and
 * providers' authors can see exactly what a guest was asked to do.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { SimEnv } from '../core/env.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecLogEntry {
  time: string;
  tool: 'pct' | 'qm';
  vmid: number;
  argv: string[];
  /** `KEY=value` words in argv (as passed to `env` or a shell). */
  env: Record<string, string>;
  /** `pct exec`: the environment the command starts with inside the guest, before argv's own `KEY=value` words. */
  environment?: Record<string, string>;
  stdin?: string;
  /** The command's exit code; -1 when qm guest exec stopped waiting and the command is still running. */
  exitCode: number;
}

/** A path inside the guest, resolved under its rootfs (never escaping it). */
export function guestPath(rootfs: string, path: string): string {
  return join(rootfs, posix.normalize('/' + path));
}

export function envLikeArgs(argv: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const word of argv) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

export function appendExecLog(env: SimEnv, entry: ExecLogEntry): void {
  mkdirSync(env.simDir, { recursive: true });
  appendFileSync(env.execLogPath, JSON.stringify(entry) + '\n');
}

/** What lxc-attach --clear-env leaves: its default PATH and `container=lxc`. */
const CLEAR_ENV_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment `pct exec` gives the command: pct.pm's clean_environment() drops SSL_CERT_FILE and
 * SSL_CERT_DIR, then lxc-attach either keeps the caller's environment (`--keep-env 1`, pct's default up to
 * PVE 8) or clears it (`--keep-env 0` → --clear-env). Either way lxc-attach sets `container=lxc`.
 */
export function attachEnvironment(caller: NodeJS.ProcessEnv, keepEnv: boolean): Record<string, string> {
  if (!keepEnv) return { PATH: CLEAR_ENV_PATH, container: 'lxc' };
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(caller)) {
    if (value !== undefined && key !== 'SSL_CERT_FILE' && key !== 'SSL_CERT_DIR') kept[key] = value;
  }
  return { ...kept, container: 'lxc' };
}

function printEnvironment(environment: Record<string, string>): string {
  return Object.entries(environment).map(([key, value]) => `${key}=${value}\n`).join('');
}

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });
const fail = (stderr: string, exitCode = 1): ExecResult => ({ exitCode, stdout: '', stderr });

/** Which commands read standard input (only those make the simulator wait for it). */
export function readsStdin(argv: string[]): boolean {
  const [command, ...args] = stripEnv(argv);
  if (command === 'tee') return true;
  if (command === 'cat') return args.filter((a) => !a.startsWith('-')).length === 0;
  if (command === 'sh' || command === 'bash') return args.length === 0 || args[0] === '-s';
  return false;
}

/** A shell running a script: the command that takes time in a guest (scripts are only recorded here). */
export function isScript(argv: string[]): boolean {
  const command = stripEnv(argv)[0];
  return command === 'sh' || command === 'bash';
}

function stripEnv(argv: string[]): string[] {
  let rest = argv;
  if (rest[0] === 'env') rest = rest.slice(1);
  while (rest[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0])) rest = rest.slice(1);
  return rest;
}

/** `environment`: what the command inherits (argv's `env KEY=value` words are added to it). */
export function runInGuest(rootfs: string, argv: string[], stdin: string, environment: Record<string, string> = {}): ExecResult {
  const rest = stripEnv(argv);
  const seen = { ...environment, ...envLikeArgs(argv.slice(0, argv.length - rest.length)) };
  const [command, ...args] = rest;
  if (command === undefined && argv[0] === 'env') return ok(printEnvironment(seen));
  const at = (path: string) => guestPath(rootfs, path);
  switch (command) {
    case undefined:
      return fail('missing command\n', 255);
    case 'true':
    case 'sh':
    case 'bash':
      // Scripts are recorded, never executed on this machine; a scripted outcome comes from faults.json.
      return ok();
    case 'false':
      return fail('');
    case 'printenv': {
      if (args.length === 0) return ok(printEnvironment(seen));
      const values = args.map((name) => seen[name]).filter((v): v is string => v !== undefined);
      return { exitCode: values.length === args.length ? 0 : 1, stdout: values.map((v) => `${v}\n`).join(''), stderr: '' };
    }
    case 'echo': {
      const noNewline = args[0] === '-n';
      const words = noNewline ? args.slice(1) : args;
      return ok(words.join(' ') + (noNewline ? '' : '\n'));
    }
    case 'cat': {
      const files = args.filter((a) => !a.startsWith('-'));
      if (files.length === 0) return ok(stdin);
      let stdout = '';
      for (const file of files) {
        const path = at(file);
        if (!existsSync(path)) return { exitCode: 1, stdout, stderr: `cat: ${file}: No such file or directory\n` };
        if (statSync(path).isDirectory()) return { exitCode: 1, stdout, stderr: `cat: ${file}: Is a directory\n` };
        stdout += readFileSync(path, 'utf8');
      }
      return ok(stdout);
    }
    case 'test':
    case '[': {
      const [flag, file] = args;
      if (!file) return fail('');
      const path = at(file);
      const exists = existsSync(path);
      const holds =
        flag === '-e' ? exists : flag === '-f' ? exists && statSync(path).isFile() : flag === '-d' ? exists && statSync(path).isDirectory() : false;
      return holds ? ok() : fail('');
    }
    case 'mkdir': {
      const parents = args.includes('-p');
      for (const dir of args.filter((a) => !a.startsWith('-'))) {
        const path = at(dir);
        if (existsSync(path)) {
          if (!parents) return fail(`mkdir: cannot create directory '${dir}': File exists\n`);
          continue;
        }
        if (!parents && !existsSync(dirname(path))) return fail(`mkdir: cannot create directory '${dir}': No such file or directory\n`);
        mkdirSync(path, { recursive: true });
      }
      return ok();
    }
    case 'tee': {
      const append = args.includes('-a');
      for (const file of args.filter((a) => !a.startsWith('-'))) {
        const path = at(file);
        if (!existsSync(dirname(path))) return { exitCode: 1, stdout: stdin, stderr: `tee: ${file}: No such file or directory\n` };
        writeFileSync(path, stdin, { flag: append ? 'a' : 'w' });
      }
      return ok(stdin);
    }
    case 'rm': {
      const force = args.some((a) => /^-[a-zA-Z]*f/.test(a));
      const recursive = args.some((a) => /^-[a-zA-Z]*r/i.test(a));
      for (const file of args.filter((a) => !a.startsWith('-'))) {
        const path = at(file);
        if (!existsSync(path)) {
          if (!force) return fail(`rm: cannot remove '${file}': No such file or directory\n`);
          continue;
        }
        if (statSync(path).isDirectory() && !recursive) return fail(`rm: cannot remove '${file}': Is a directory\n`);
        rmSync(path, { recursive: true, force: true });
      }
      return ok();
    }
    default:
      return fail(`lxc-attach: ${command}: No such file or directory - Failed to exec "${command}"\n`, 127);
  }
}
