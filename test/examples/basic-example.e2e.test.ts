/**
 * examples/basic as its README runs it: `phoenix -chdir=examples/basic …` with no environment variable.
 * test_resource keeps its objects in the working directory, so separate CLI runs see the same objects.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, EXAMPLE_BASIC, assertBuilt } from '../cli/harness.js';
import { copyExampleConfig } from '../helpers/example.js';

const run = promisify(execFile);

describe('examples/basic round-trips with no environment variable', () => {
  const parent = mkdtempSync(join(tmpdir(), 'phoenix-basic-'));
  const example = join(parent, 'examples/basic');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  const phoenix = async (...args: string[]) => {
    const env = { ...process.env, NO_COLOR: '1' };
    delete env.PHOENIX_TEST_STORE;
    try {
      const { stdout } = await run(process.execPath, [CLI, `-chdir=examples/basic`, ...args], { cwd: parent, env });
      return { code: 0, stdout };
    } catch (e) {
      const failure = e as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout + failure.stderr };
    }
  };

  it('plans changes, applies them, then plans none; destroy empties the store', async () => {
    assertBuilt();
    mkdirSync(example, { recursive: true });
    copyExampleConfig(EXAMPLE_BASIC, example);

    const first = await phoenix('plan', '-detailed-exitcode');
    expect(first.stdout).toContain('Plan: 7 to add, 0 to change, 0 to destroy.');
    expect(first.code).toBe(2);

    const apply = await phoenix('apply', '-auto-approve');
    expect(apply.stdout).toContain('Apply complete! Resources: 7 added');
    expect(existsSync(join(example, '.phoenix/test-store.json'))).toBe(true);

    const second = await phoenix('plan', '-detailed-exitcode');
    expect(second.stdout).toContain('No changes.');
    expect(second.code).toBe(0);

    const destroy = await phoenix('destroy', '-auto-approve');
    expect(destroy.stdout).toContain('Destroy complete! Resources: 7 destroyed.');
    const after = await phoenix('plan', '-detailed-exitcode');
    expect(after.stdout).toContain('Plan: 7 to add');
  });
});
