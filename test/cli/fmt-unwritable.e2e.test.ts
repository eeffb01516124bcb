/**
 * `phoenix fmt` on files it may not write: a diagnostic naming the file, never "Internal error". Run as
 * an unprivileged user (nobody) when the tests run as root, for whom permissions would not apply.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from './harness.js';

const UNFORMATTED = 'variable "a" {\ndefault=1\n}\n';
const dirs: string[] = [];

function fmtAsUnprivileged(dir: string, args: string[] = []) {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync(process.execPath, [CLI, 'fmt', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...asNobody });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function directory(files: Record<string, string>): string {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-fmt-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/**
 * `nobody` must reach the program: a checkout inside a private directory (CI clones into `mktemp -d`,
 * mode 0700) gets search permission for others on its ancestors while these tests run, then its mode back.
 */
const opened: { path: string; mode: number }[] = [];
beforeAll(() => {
  if (process.getuid?.() !== 0) return;
  for (let dir = dirname(CLI); dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      opened.push({ path: dir, mode });
      chmodSync(dir, mode | 0o001);
    }
  }
});
afterAll(() => {
  for (const { path, mode } of opened.splice(0)) chmodSync(path, mode);
});

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('fmt on files it cannot write', () => {
  it('a read-only file in a read-only directory: a diagnostic naming the file, the others still formatted', async () => {
    const dir = directory({ 'a.hcl': UNFORMATTED, 'b.hcl': UNFORMATTED });
    chmodSync(join(dir, 'a.hcl'), 0o444);
    chmodSync(join(dir, 'b.hcl'), 0o666);
    chmodSync(dir, 0o555);
    const run = fmtAsUnprivileged(dir);
    expect(run.stderr).toContain('Error: Cannot write a.hcl');
    expect(run.stderr).toContain('The file was left unchanged');
    expect(run.stderr).not.toContain('Internal error');
    expect(run.stderr).not.toContain('This is a bug');
    expect(run.code).toBe(2);
    expect(readFileSync(join(dir, 'a.hcl'), 'utf8')).toBe(UNFORMATTED);
    expect(readFileSync(join(dir, 'b.hcl'), 'utf8')).toBe('variable "a" {\n  default = 1\n}\n');
  });

  it('an unreadable file: a diagnostic naming it', async () => {
    const dir = directory({ 'secret.hcl': UNFORMATTED });
    chmodSync(join(dir, 'secret.hcl'), 0o000);
    chmodSync(dir, 0o755);
    const run = fmtAsUnprivileged(dir);
    expect(run.stderr).toContain('Error: Cannot read secret.hcl');
    expect(run.stderr).not.toContain('Internal error');
    expect(run.code).toBe(2);
  });
});
