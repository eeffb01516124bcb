/**
 * Go-style format strings for format() and formatlist(): `%s %d %v %q %t %f %e %g %x %X %o %b %%` with
 * flags (`-`, `+`, `0`, space), width and precision, e.g. `%-5s`, `%05d`, `%.2f`.
 */
import { kindOf, numberToString, toBoolValue, toNumberValue, toStringValue } from '../../convert.js';
import { isObject, type Value } from '../../values.js';
import { jsonText } from './json-text.js';

const VERB = /%([-+ 0#]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])/g;

/** Limits that keep a typo like `%99999999d` from allocating gigabytes (and JS's toFixed range). */
const MAX_WIDTH = 4096;
const MAX_PRECISION = 100;

interface Spec {
  flags: string;
  width?: number;
  precision?: number;
  verb: string;
}

/** The formatted string, or an error message. */
export function formatValues(format: string, args: readonly Value[]): { text: string } | { error: string } {
  let argIndex = 0;
  let out = '';
  let last = 0;
  for (const m of format.matchAll(VERB)) {
    out += format.slice(last, m.index);
    last = m.index + m[0].length;
    const spec: Spec = { flags: m[1] ?? '', verb: m[4]!, width: m[2] ? Number(m[2]) : undefined, precision: m[3] !== undefined ? Number(m[3] || '0') : undefined };
    if ((spec.width ?? 0) > MAX_WIDTH || (spec.precision ?? 0) > MAX_PRECISION) {
      return { error: `${m[0]}: width must be at most ${MAX_WIDTH} and precision at most ${MAX_PRECISION}` };
    }
    if (spec.verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) return { error: `not enough arguments for format string: no value for ${m[0]} (verb ${argIndex + 1})` };
    const formatted = formatOne(spec, args[argIndex]!, argIndex);
    argIndex++;
    if (typeof formatted !== 'string') return formatted;
    out += pad(formatted, spec);
  }
  out += format.slice(last);
  if (argIndex < args.length) return { error: `too many arguments; only ${argIndex} used by format string` };
  return { text: out };
}

function formatOne(spec: Spec, value: Value, i: number): string | { error: string } {
  const bad = (what: string) => ({ error: `unsupported value for "%${spec.verb}" at ${i + 1}: ${what} required, but have ${kindOf(value)}` });
  switch (spec.verb) {
    case 'v':
      if (value === null) return 'null';
      if (Array.isArray(value) || isObject(value)) return jsonText(value);
      return toStringValue(value) ?? bad('value');
    case 's': {
      const s = value === null ? undefined : toStringValue(value);
      if (s === undefined) return bad('string');
      return spec.precision !== undefined ? Array.from(s).slice(0, spec.precision).join('') : s;
    }
    case 'q': {
      const s = value === null ? undefined : toStringValue(value);
      return s === undefined ? bad('string') : JSON.stringify(s);
    }
    case 't': {
      const b = value === null ? undefined : toBoolValue(value);
      return b === undefined ? bad('bool') : String(b);
    }
  }
  const n = value === null ? undefined : toNumberValue(value);
  if (n === undefined) return bad('number');
  const sign = n < 0 ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  const abs = Math.abs(n);
  switch (spec.verb) {
    case 'd':
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      if (!Number.isInteger(n)) return { error: `unsupported value for "%${spec.verb}" at ${i + 1}: number must be a whole number, but have ${numberToString(n)}` };
      const radix = { d: 10, x: 16, X: 16, o: 8, b: 2 }[spec.verb];
      const digits = BigInt(abs).toString(radix);
      return sign + (spec.verb === 'X' ? digits.toUpperCase() : digits);
    }
    case 'f':
    case 'F':
      return sign + abs.toFixed(spec.precision ?? 6);
    case 'e':
    case 'E': {
      const text = sign + goExponent(abs.toExponential(spec.precision ?? 6));
      return spec.verb === 'E' ? text.toUpperCase() : text;
    }
    case 'g':
    case 'G':
      return sign + (spec.precision !== undefined ? String(Number(abs.toPrecision(spec.precision || 1))) : numberToString(abs));
    default:
      return { error: `unrecognized format verb "%${spec.verb}"` };
  }
}

/** JS writes `1.5e+2`; Go writes `1.5e+02`. */
function goExponent(text: string): string {
  return text.replace(/e([-+])(\d)$/, 'e$10$2');
}

function pad(text: string, spec: Spec): string {
  const length = Array.from(text).length;
  if (spec.width === undefined || length >= spec.width) return text;
  const fill = spec.width - length;
  if (spec.flags.includes('-')) return text + ' '.repeat(fill);
  const numeric = 'dxXobfFeEgG'.includes(spec.verb);
  if (spec.flags.includes('0') && numeric) {
    const signed = /^[-+ ]/.test(text);
    return signed ? text[0] + '0'.repeat(fill) + text.slice(1) : '0'.repeat(fill) + text;
  }
  return ' '.repeat(fill) + text;
}
