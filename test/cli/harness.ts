/**
 * End-to-end harness: a temporary working directory with HCL files and its own test_resource store,
 * and `phoenix` run as a real child process (`node dist/cli/main.js`). Build first: `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyExampleConfig } from '../helpers/example.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist/cli/main.js');
export const EXAMPLE_BASIC = join(ROOT, 'examples/basic');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  result: Promise<RunResult>;
  /** stdout so far. */
  output(): string;
  /** Resolves when stdout contains `text`; rejects (with the run's output) if phoenix exits first. */
  waitFor(text: string): Promise<void>;
}

export interface Workspace {
  dir: string;
  storePath: string;
  statePath: string;
  write(name: string, content: string): void;
  read(name: string): string;
  exists(name: string): boolean;
  /** Run phoenix to completion. */
  run(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<RunResult>;
  /** Start phoenix and return the child, for tests that interact with it while it runs. */
  start(args: string[]): Running;
  /** The addresses recorded in the state file. */
  stateAddresses(): string[];
  remove(): void;
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before the CLI tests`);
}

export function workspace(files: Record<string, string> = {}, options: { copyFrom?: string } = {}): Workspace {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-cli-'));
  if (options.copyFrom) copyExampleConfig(options.copyFrom, dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const storePath = join(dir, 'test-store.json');
  const env = { ...process.env, PHOENIX_TEST_STORE: storePath, NO_COLOR: '1' };

  const start = (args: string[], extraEnv: Record<string, string> = {}, stdin?: string) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...env, ...extraEnv }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (stdin !== undefined) child.stdin!.end(stdin);
    let exited = false;
    const result = new Promise<RunResult>((resolve) =>
      child.on('close', (code, signal) => {
        exited = true;
        resolve({ code, signal, stdout, stderr });
      }),
    );
    const waitFor = async (text: string): Promise<void> => {
      await until(() => stdout.includes(text) || exited);
      if (!stdout.includes(text)) throw new Error(`phoenix exited before printing "${text}":\n${stdout}\n${stderr}`);
    };
    return { child, result, output: () => stdout, waitFor };
  };

  return {
    dir,
    storePath,
    statePath: join(dir, 'phoenix.state.json'),
    write: (name, content) => writeFileSync(join(dir, name), content),
    read: (name) => readFileSync(join(dir, name), 'utf8'),
    exists: (name) => existsSync(join(dir, name)),
    run: (args, runOptions = {}) => start(args, runOptions.env, runOptions.stdin ?? '').result,
    start: (args) => start(args),
    stateAddresses: () =>
      (JSON.parse(readFileSync(join(dir, 'phoenix.state.json'), 'utf8')) as { resources: { address: string }[] }).resources
        .map((r) => r.address)
        .sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Resolves once `predicate` holds, checking every 50 ms (no deadline: the test timeout is the bound). */
export async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 50));
}

/** The diagnostic block (between ╷ and ╵) whose summary matches and which quotes `source` with a caret under it. */
export function diagnostic(output: string, summary: RegExp, source: string): string | undefined {
  return output
    .split('╷')
    .find((block) => summary.test(block) && block.split('\n').some((line, i, lines) => line.includes(source) && /\^+/.test(lines[i + 1] ?? '')));
}
