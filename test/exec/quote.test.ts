import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalRunner } from '../../src/exec/local.js';
import { buildRemoteCommand, quoteShellArg } from '../../src/exec/quote.js';
import { hostileArguments, splitNulTerminated } from './hostile-strings.js';

const runner = new LocalRunner();
const scratch = mkdtempSync(join(tmpdir(), 'phoenix-quote-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What a remote login shell does with the command string: parse it with a real POSIX shell. */
async function throughShell(command: string): Promise<string[]> {
  const result = await runner.run({ argv: ['sh', '-c', command], timeoutMs: 30_000 });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return splitNulTerminated(result.stdout);
}

describe('quoteShellArg', () => {
  it('wraps every value in single quotes, even plain words', () => {
    expect(quoteShellArg('pct')).toBe(`'pct'`);
    expect(quoteShellArg('')).toBe(`''`);
    expect(quoteShellArg('a b')).toBe(`'a b'`);
  });

  it("writes an embedded single quote as '\\''", () => {
    expect(quoteShellArg(`it's`)).toBe(`'it'\\''s'`);
    expect(quoteShellArg(`'`)).toBe(`''\\'''`);
  });

  it('refuses NUL bytes, which no argv can carry', () => {
    expect(() => quoteShellArg('a\0b')).toThrow(/NUL/);
  });

  it('round-trips hostile strings byte-for-byte through sh and never executes them', async () => {
    const canary = join(scratch, 'CANARY');
    const args = hostileArguments(canary);
    const received = await throughShell(buildRemoteCommand(['printf', '%s\\0', ...args]));
    expect(received).toEqual(args);
    expect(existsSync(canary)).toBe(false);
  });

  it('round-trips arbitrary strings through sh', async () => {
    const noNul = fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', ''));
    // Many strings per shell invocation keeps the property cheap to check.
    await fc.assert(
      fc.asyncProperty(fc.array(noNul, { minLength: 1, maxLength: 40 }), async (args) => {
        expect(await throughShell(buildRemoteCommand(['printf', '%s\\0', ...args]))).toEqual(args);
      }),
      { numRuns: 40 },
    );
  });
});

describe('buildRemoteCommand', () => {
  it('prefixes quoted env assignments that reach the command unevaluated', async () => {
    const command = buildRemoteCommand(['sh', '-c', 'printf "%s\\0" "$LANG_TEST" "$OTHER"'], {
      LANG_TEST: '$(touch x) `y` \'z\'',
      OTHER: 'a b\nc',
    });
    expect(command.startsWith(`env 'LANG_TEST=`)).toBe(true);
    expect(await throughShell(command)).toEqual(['$(touch x) `y` \'z\'', 'a b\nc']);
  });

  it('has no env prefix without variables', () => {
    expect(buildRemoteCommand(['pct', 'list'])).toBe(`'pct' 'list'`);
  });

  it('refuses variable names env could misread as options or commands', () => {
    for (const name of ['-i', 'A=B', 'a b', '1X', '']) {
      expect(() => buildRemoteCommand(['true'], { [name]: 'v' })).toThrow(/invalid environment variable name/);
    }
  });

  it('refuses an empty command', () => {
    expect(() => buildRemoteCommand([])).toThrow(/empty command/);
  });
});
