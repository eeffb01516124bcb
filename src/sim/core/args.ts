/**
 * Command-line parsing as PVE's CLIHandler does it with Getopt::Long: `--opt v` or `-opt v`, `--opt=v`,
 * unique-prefix abbreviations, booleans that take the next non-option word as their value (or mean 1),
 * options anywhere among positionals, and `--` ending options (the rest are extra arguments).
 */
import { optionParseError, SimError, verificationError } from './errors.js';
import { verifyValue, parsePropString, type ParamSpec } from './schema.js';

export interface CommandSpec {
  /** The usage line printed after parse errors, e.g. `pct set <vmid> [OPTIONS]`. */
  usage: string;
  positionals: { name: string; spec: ParamSpec }[];
  options: Record<string, ParamSpec>;
  /** Accepts trailing arguments (after `--`), as `pct exec` does. */
  extraArgs?: boolean;
}

export interface ParsedArgs {
  positionals: Record<string, string>;
  /** Verified, normalised option values (booleans as 1/0; property strings verified but kept as given). */
  options: Record<string, string>;
  extra: string[];
}

function resolveOptionName(given: string, names: string[], usage: string): string {
  if (names.includes(given)) return given;
  const matches = names.filter((n) => n.startsWith(given));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw optionParseError([`Option ${given} is ambiguous (${matches.join(', ')})`], usage);
  }
  throw optionParseError([`Unknown option: ${given}`], usage);
}

const looksLikeOption = (token: string) => /^--?[A-Za-z]/.test(token);

export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const names = Object.keys(spec.options);
  const rawOptions: Record<string, string> = {};
  const words: string[] = [];
  let extra: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      extra = argv.slice(i + 1);
      break;
    }
    if (!looksLikeOption(token)) {
      words.push(token);
      continue;
    }
    const body = token.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = resolveOptionName(eq >= 0 ? body.slice(0, eq) : body, names, spec.usage);
    const optionSpec = spec.options[name]!;
    if (eq >= 0) {
      rawOptions[name] = body.slice(eq + 1);
    } else if (optionSpec.type === 'boolean') {
      const next = argv[i + 1];
      if (next !== undefined && next !== '--' && !looksLikeOption(next)) {
        rawOptions[name] = next;
        i++;
      } else {
        rawOptions[name] = '1';
      }
    } else if (optionSpec.optionalValue) {
      // JSONSchema.pm get_options: `password:s`, so `--password -x` leaves the value empty and `-x` is an option.
      const next = argv[i + 1];
      if (next !== undefined && next !== '--' && !looksLikeOption(next)) {
        rawOptions[name] = next;
        i++;
      } else {
        rawOptions[name] = '';
      }
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw optionParseError([`Option ${name} requires an argument`], spec.usage);
      rawOptions[name] = next;
      i++;
    }
  }
  if (!spec.extraArgs || extra.length === 0) {
    if (words.length < spec.positionals.length) throw new SimError(`400 not enough arguments\n${spec.usage}`);
    if (words.length > spec.positionals.length) {
      if (!spec.extraArgs) throw new SimError(`400 too many arguments\n${spec.usage}`);
      extra = words.splice(spec.positionals.length);
    }
  } else if (words.length !== spec.positionals.length) {
    throw new SimError(`400 ${words.length < spec.positionals.length ? 'not enough' : 'too many'} arguments\n${spec.usage}`);
  }

  const errors: Record<string, string> = {};
  const positionals: Record<string, string> = {};
  spec.positionals.forEach(({ name, spec: paramSpec }, index) => {
    positionals[name] = verify(name, paramSpec, words[index]!, errors);
  });
  const options: Record<string, string> = {};
  for (const [name, raw] of Object.entries(rawOptions)) {
    options[name] = verify(name, spec.options[name]!, raw, errors);
  }
  if (Object.keys(errors).length > 0) throw verificationError(errors, spec.usage);
  return { positionals, options, extra };
}

function verify(name: string, spec: ParamSpec, raw: string, errors: Record<string, string>): string {
  if (spec.format) {
    parsePropString(name, raw, spec.format, errors);
    return raw;
  }
  const [value, problem] = verifyValue(spec, raw);
  if (problem) errors[name] = problem;
  return value;
}

/** Parse an already verified property string (drops nothing; verification errors are impossible here). */
export function propValues(name: string, text: string, spec: ParamSpec): Record<string, string> {
  return parsePropString(name, text, spec.format!, {});
}

