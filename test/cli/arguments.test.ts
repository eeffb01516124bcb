import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { workspace } from './harness.js';

const ws = workspace({ 'main.hcl': 'resource "test_resource" "a" {\n  name = "a"\n}\n' });
afterAll(() => ws.remove());

const NO_STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** What `phoenix ARGS` prints on stdout, run through the program's own entry point in this process. */
async function helpText(args: string[]): Promise<string> {
  const written: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
  try {
    expect(await main(args, { NO_COLOR: '1' }), args.join(' ')).toBe(0);
  } finally {
    write.mockRestore();
  }
  return written.join('');
}

describe('command-line arguments', () => {
  it.each([
    [['plan', '-parallelism=0'], 'Invalid value for -parallelism: must be a positive integer'],
    [['plan', '-parallelism', 'many'], 'Invalid value for -parallelism: must be a positive integer'],
    [['apply', '-lock-timeout=soon'], 'Invalid value for -lock-timeout: must be a duration'],
    [['plan', '-refresh=maybe'], 'Invalid value for -refresh: must be true or false'],
    [['plan', '-paralelism=2'], 'Did you mean -parallelism?'],
    [['plan', '-var'], 'Missing value for -var'],
    [['-chdir=/does/not/exist', 'plan'], 'Invalid -chdir directory'],
    [['plna'], 'Did you mean "plan"?'],
    [['state', 'lst'], 'Did you mean "list"?'],
    [['import', 'test_resource.a'], 'Exactly two arguments expected'],
  ])('phoenix %j reports a diagnostic, not a stack trace', async (args, message) => {
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: ');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(NO_STACK_TRACE);
  });

  it('accepts -name=value, -name value and --name, with repeated -var in command-line order', async () => {
    ws.write('vars.hcl', 'variable "v" {\n  default = "d"\n}\nresource "test_resource" "b" {\n  name  = "b"\n  value = var.v\n}\n');
    const result = await ws.run(['plan', '--var', 'v=one', '-var=v=two', '-parallelism', '3', '--compact']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\+ value += "two"/);
    ws.write('vars.hcl', '');
  });

  it('runs in the -chdir directory', async () => {
    const elsewhere = workspace();
    try {
      const result = await elsewhere.run([`-chdir=${ws.dir}`, 'plan']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('# test_resource.a will be created');
    } finally {
      elsewhere.remove();
    }
  });

  it('prints help for the program and for every command', async () => {
    const global = await ws.run(['--help']);
    expect(global.code).toBe(0);
    const commands = [...global.stdout.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['validate', 'plan', 'apply', 'destroy', 'show', 'output', 'state', 'import', 'graph', 'check', 'force-unlock', 'fmt', 'version']));
    // The real program for one command and a subcommand; every command through the same entry point
    // in-process (dozens of serial process starts overrun the test limit on a loaded 2-core machine).
    const viaProcess = await ws.run(['plan', '--help']);
    expect(viaProcess.stdout).toBe(await helpText(['plan', '--help']));
    for (const command of commands) {
      const viaFlag = await helpText([command, '--help']);
      expect(viaFlag, command).toContain(`Usage: phoenix [global options] ${command}`);
      expect(await helpText(['help', command]), command).toBe(viaFlag);
    }
    const sub = await ws.run(['state', 'mv', '-help']);
    expect(sub.stdout).toContain('Usage: phoenix [global options] state mv [options] SOURCE DESTINATION');
  });

  it('prints no colour codes when stdout is not a terminal', async () => {
    const result = await ws.run(['plan'], { env: { NO_COLOR: '' } });
    expect(result.stdout).not.toContain('\u001b[');
  });
});
