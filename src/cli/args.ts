/**
 * Command-line parsing in Terraform's style: global options (`-chdir=DIR`) before the command, then
 * flags written `-name=value`, `-name value` or `--name...`, repeatable list flags (`-var`, `-target`),
 * and positional arguments. Every mistake becomes a Diagnostic, never an exception trace.
 */
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../config/diagnostics.js';

export type FlagKind = 'bool' | 'string' | 'list' | 'positive-int' | 'duration';

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  description: string;
  /** Shown in help; the parsed value when the flag is absent. */
  default?: string | boolean | number;
  /** Placeholder in help: `-var-file=FILE`. */
  metavar?: string;
}

export interface ParsedFlags {
  bool(name: string): boolean;
  string(name: string): string | undefined;
  list(name: string): string[];
  int(name: string): number;
  /** Duration flags in milliseconds. */
  durationMs(name: string): number;
  /** Whether the user wrote the flag at all. */
  has(name: string): boolean;
}

export interface ParsedArgs {
  flags: ParsedFlags;
  positionals: string[];
  help: boolean;
}

export interface GlobalArgs {
  chdir?: string;
  command?: string;
  rest: string[];
  help: boolean;
  version: boolean;
}

/** Split `phoenix [-chdir=DIR] [--help|--version] COMMAND ARGS...`. */
export function parseGlobalArgs(argv: string[]): GlobalArgs {
  const result: GlobalArgs = { rest: [], help: false, version: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) break;
    const { name, value } = splitFlag(arg);
    if (name === 'chdir') {
      const dir = value ?? argv[++i];
      if (dir === undefined || dir === '') throw flagError('The -chdir option requires a directory path.');
      result.chdir = dir;
    } else if (name === 'help' || name === 'h') {
      result.help = true;
    } else if (name === 'version' || name === 'v') {
      result.version = true;
    } else {
      throw flagError(
        `Unknown global option: ${arg}`,
        'Global options (-chdir, -help, -version) go before the command; command options go after it.',
      );
    }
  }
  result.command = argv[i];
  result.rest = argv.slice(i + 1);
  return result;
}

/**
 * Parse a command's arguments against its flag specs. `-help`/`--help`/`-h` anywhere asks for help.
 * Flags and positionals may be interleaved; `--` ends flag parsing.
 */
export function parseCommandArgs(argv: string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const { name, value } = splitFlag(arg);
    if (name === 'help' || name === 'h') {
      help = true;
      continue;
    }
    const spec = byName.get(name);
    if (!spec) {
      const suggestion = didYouMean(name, byName.keys());
      throw flagError(
        `Unknown option -${name} for "phoenix ${command}"`,
        `${suggestion ? `Did you mean -${suggestion}? ` : ''}Run "phoenix ${command} -help" for the options it accepts.`,
      );
    }
    let raw = value;
    if (raw === undefined) {
      if (spec.kind === 'bool') raw = 'true';
      else if (i + 1 < argv.length) raw = argv[++i]!;
      else throw flagError(`Missing value for -${name}`, `The -${name} option requires a value: -${name}=${spec.metavar ?? 'VALUE'}.`);
    }
    validateFlagValue(spec, raw);
    const list = values.get(name) ?? [];
    if (spec.kind === 'list') list.push(raw);
    else list.splice(0, list.length, raw);
    values.set(name, list);
  }
  return { flags: flagAccessor(byName, values), positionals, help };
}

function flagAccessor(specs: Map<string, FlagSpec>, values: Map<string, string[]>): ParsedFlags {
  const raw = (name: string): string | undefined => {
    if (!specs.has(name)) throw new Error(`internal: flag -${name} is not declared`);
    const given = values.get(name);
    if (given && given.length > 0) return given[given.length - 1];
    const fallback = specs.get(name)!.default;
    return fallback === undefined ? undefined : String(fallback);
  };
  return {
    bool: (name) => raw(name) === 'true',
    string: (name) => raw(name),
    list: (name) => (raw(name), values.get(name) ?? []),
    int: (name) => Number(raw(name) ?? 0),
    durationMs: (name) => parseDuration(raw(name) ?? '0s') ?? 0,
    has: (name) => values.has(name),
  };
}

function validateFlagValue(spec: FlagSpec, raw: string): void {
  const bad = (why: string): never => {
    throw flagError(`Invalid value for -${spec.name}: ${why}`);
  };
  switch (spec.kind) {
    case 'bool':
      if (raw !== 'true' && raw !== 'false') bad('must be true or false');
      break;
    case 'positive-int':
      if (!/^\d+$/.test(raw) || Number(raw) < 1) bad('must be a positive integer');
      break;
    case 'duration':
      if (parseDuration(raw) === undefined) bad('must be a duration such as 0s, 30s, 5m or 1h30m');
      break;
    default:
      break;
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations: `0`, `500ms`, `30s`, `10m`, `1h30m`. Undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((total, p) => total + Number(p[1]) * DURATION_UNITS[p[2]!]!, 0);
}

function splitFlag(arg: string): { name: string; value?: string } {
  const body = arg.replace(/^--?/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? { name: body } : { name: body.slice(0, eq), value: body.slice(eq + 1) };
}

export function flagError(summary: string, detail?: string): DiagnosticError {
  return new DiagnosticError([error(summary, detail)]);
}

/** A usage problem with positional arguments. */
export function usageError(command: string, summary: string): DiagnosticError {
  const d: Diagnostic = error(summary, `Run "phoenix ${command} -help" for usage.`);
  return new DiagnosticError([d]);
}
