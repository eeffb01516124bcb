/**
 * Attribute values as HCL-like text lines for the markdown diff blocks: two-space indentation,
 * heredocs for multi-line strings, `(sensitive value)` and `(known after apply)` in place of values
 * that must not or cannot be shown.
 */
import { isObject, isUnknown, type Value } from '../../config/values.js';
import { isSensitivePath } from '../value-marks.js';

export const SENSITIVE_TEXT = '(sensitive value)';
export const UNKNOWN_TEXT = '(known after apply)';

/** `key = value` as lines, nested members indented by two spaces per level. */
export function memberLines(
  key: string,
  value: Value,
  sensitivePaths: readonly string[][],
  path: string[],
  keyWidth = 0,
  options: RenderOptions = {},
): string[] {
  const [first, ...rest] = valueLines(value, sensitivePaths, path, options);
  return [`${displayKey(key).padEnd(keyWidth)} = ${first}`, ...rest];
}

export interface RenderOptions {
  /**
   * Append an invisible fingerprint to redacted values so that a line diff can tell a changed secret
   * from an unchanged one; `withoutFingerprints` must strip it before anything is printed.
   */
  fingerprintSecrets?: boolean;
}

// JSON text never contains raw control characters, so these delimit the fingerprint unambiguously.
const FINGERPRINT_START = '\u0000';
const FINGERPRINT_END = '\u0001';
const FINGERPRINT_PATTERN = /\u0000[^\u0001]*\u0001/g;

export function valueLines(value: Value, sensitivePaths: readonly string[][], path: string[], options: RenderOptions = {}): string[] {
  if (value !== null && isSensitivePath(sensitivePaths, path)) {
    return [options.fingerprintSecrets ? `${SENSITIVE_TEXT}${FINGERPRINT_START}${JSON.stringify(value)}${FINGERPRINT_END}` : SENSITIVE_TEXT];
  }
  if (isUnknown(value)) return [UNKNOWN_TEXT];
  if (Array.isArray(value)) {
    if (value.length === 0) return ['[]'];
    const items = value.flatMap((item, i) => withLastSuffix(valueLines(item, sensitivePaths, [...path, String(i)], options), ','));
    return ['[', ...items.map(indent), ']'];
  }
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return ['{}'];
    const width = Math.max(...keys.map((k) => displayKey(k).length));
    return ['{', ...keys.flatMap((k) => memberLines(k, value[k]!, sensitivePaths, [...path, k], width, options)).map(indent), '}'];
  }
  if (typeof value === 'string' && value.includes('\n')) return ['<<EOT', ...textLines(value), 'EOT'];
  return [typeof value === 'string' ? JSON.stringify(value) : String(value)];
}

/** A rendered line with the secret fingerprints (see RenderOptions) removed. */
export function withoutFingerprint(line: string): string {
  return line.replace(FINGERPRINT_PATTERN, '');
}

/** The lines of a multi-line text; a final newline does not make an extra empty line. */
export function textLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function indent(line: string): string {
  return `  ${line}`;
}

function withLastSuffix(lines: string[], suffix: string): string[] {
  return lines.map((line, i) => (i === lines.length - 1 ? `${line}${suffix}` : line));
}

export function displayKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
}
