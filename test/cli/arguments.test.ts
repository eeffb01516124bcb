import { afterAll, describe, expect, it } from 'vitest';
import { workspace } from './harness.js';

const ws = workspace({ 'main.hcl': 'resource "test_resource" "a" {\n  name = "a"\n}\n' });
afterAll(() => ws.remove());

const NO_STACK_TRACE = /\n\s+at .+:\d+:\d+/;

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
    for (const command of commands) {
      const viaFlag = await ws.run([command, '--help']);
      expect(viaFlag.code, command).toBe(0);
      expect(viaFlag.stdout).toContain(`Usage: phoenix [global options] ${command}`);
      const viaHelp = await ws.run(['help', command]);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    }
    const sub = await ws.run(['state', 'mv', '-help']);
    expect(sub.stdout).toContain('Usage: phoenix [global options] state mv [options] SOURCE DESTINATION');
  });

  it('prints no colour codes when stdout is not a terminal', async () => {
    const result = await ws.run(['plan'], { env: { NO_COLOR: '' } });
    expect(result.stdout).not.toContain('\u001b[');
  });
});
