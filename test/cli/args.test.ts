import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/config/diagnostics.js';
import { parseCommandArgs, parseDuration, parseGlobalArgs, type FlagSpec } from '../../src/cli/args.js';

const SPECS: FlagSpec[] = [
  { name: 'var', kind: 'list', description: '' },
  { name: 'parallelism', kind: 'positive-int', default: 10, description: '' },
  { name: 'refresh', kind: 'bool', default: true, description: '' },
  { name: 'auto-approve', kind: 'bool', description: '' },
  { name: 'lock-timeout', kind: 'duration', default: '0s', description: '' },
];

function summaryOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!.summary;
    throw e;
  }
  throw new Error('expected a DiagnosticError');
}

describe('parseGlobalArgs', () => {
  it('takes -chdir and help/version options before the command only', () => {
    expect(parseGlobalArgs(['-chdir=infra', 'plan', '-help'])).toMatchObject({ chdir: 'infra', command: 'plan', rest: ['-help'], help: false });
    expect(parseGlobalArgs(['-chdir', 'infra', '--help'])).toMatchObject({ chdir: 'infra', help: true, command: undefined });
    expect(summaryOf(() => parseGlobalArgs(['-var=x', 'plan']))).toBe('Unknown global option: -var=x');
  });
});

describe('parseCommandArgs', () => {
  it('accepts -name=value, -name value and --name, keeping repeated lists in order', () => {
    const { flags, positionals } = parseCommandArgs(
      ['-var=a=1', '--var', 'b=2', 'ADDR', '-parallelism', '3', '--auto-approve', '-refresh=false', '--', '-not-a-flag'],
      SPECS,
      'apply',
    );
    expect(flags.list('var')).toEqual(['a=1', 'b=2']);
    expect(flags.int('parallelism')).toBe(3);
    expect(flags.bool('auto-approve')).toBe(true);
    expect(flags.bool('refresh')).toBe(false);
    expect(positionals).toEqual(['ADDR', '-not-a-flag']);
  });

  it('applies defaults for absent flags', () => {
    const { flags } = parseCommandArgs([], SPECS, 'plan');
    expect(flags.int('parallelism')).toBe(10);
    expect(flags.bool('refresh')).toBe(true);
    expect(flags.durationMs('lock-timeout')).toBe(0);
    expect(flags.has('parallelism')).toBe(false);
  });

  it('turns every mistake into a diagnostic', () => {
    expect(summaryOf(() => parseCommandArgs(['-parallelism=-2'], SPECS, 'plan'))).toBe(
      'Invalid value for -parallelism: must be a positive integer',
    );
    expect(summaryOf(() => parseCommandArgs(['-lock-timeout=5 minutes'], SPECS, 'plan'))).toMatch(/^Invalid value for -lock-timeout/);
    expect(summaryOf(() => parseCommandArgs(['-colour'], SPECS, 'plan'))).toBe('Unknown option -colour for "phoenix plan"');
    expect(summaryOf(() => parseCommandArgs(['-var'], SPECS, 'plan'))).toBe('Missing value for -var');
  });

  it('recognises -help, --help and -h anywhere', () => {
    expect(parseCommandArgs(['ADDR', '--help'], SPECS, 'plan').help).toBe(true);
    expect(parseCommandArgs(['-h'], SPECS, 'plan').help).toBe(true);
  });
});

describe('parseDuration', () => {
  it('reads Go-style durations', () => {
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('ten minutes')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
