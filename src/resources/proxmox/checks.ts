/**
 * Collects validation diagnostics for one resource: each names the attribute path (the engine puts the
 * caret on it), quotes the value, what Proxmox says about it and what it accepts.
 */
import { isObject, type Attrs, type Value } from '../../config/values.js';
import type { AttributeDiagnostic } from '../provider.js';
import { controlCharacter, type Format } from './formats.js';

/** `network[0].ip` for ["network", "0", "ip"]. */
export function attributeLabel(path: readonly string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export class Checks {
  readonly diagnostics: AttributeDiagnostic[] = [];

  error(path: string[], summary: string, detail: string, value?: string): void {
    this.diagnostics.push({ severity: 'error', summary, detail, attribute: path, ...(value === undefined ? {} : { value }) });
  }

  /** A string in `format`; anything else (unset, unknown, another type) is not judged. */
  string(path: string[], value: Value | undefined, fmt: Format): void {
    if (typeof value !== 'string') return;
    const problem = fmt.problem(value);
    if (problem !== undefined) this.reject(path, value, problem, fmt.accepts);
  }

  /** An integer within [min, max] (JSONSchema.pm check_type/minimum/maximum texts). */
  integer(path: string[], value: Value | undefined, min: number | undefined, max?: number): void {
    if (typeof value !== 'number') return;
    const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of at least ${min}` : `of at most ${max}`;
    const accepts = `a whole number ${range}`;
    if (!Number.isInteger(value)) this.reject(path, String(value), `type check ('integer') failed - got '${value}'`, accepts);
    else if (min !== undefined && value < min) this.reject(path, String(value), `value must have a minimum value of ${min}`, accepts);
    else if (max !== undefined && value > max) this.reject(path, String(value), `value must have a maximum value of ${max}`, accepts);
  }

  /** One of an enumeration (JSONSchema.pm: "value 'x' does not have a value in the enumeration 'a, b'"). */
  oneOf(path: string[], value: Value | undefined, allowed: readonly string[]): void {
    if (typeof value !== 'string' || allowed.includes(value)) return;
    this.reject(path, value, `value '${value}' does not have a value in the enumeration '${allowed.join(', ')}'`);
  }

  /** `accepts` is left out when Proxmox's message already lists what it takes. */
  reject(path: string[], value: string, problem: string, accepts?: string): void {
    const tail = accepts === undefined ? '' : ` It accepts ${accepts}.`;
    this.error(path, `Invalid value for ${attributeLabel(path)}`, `Proxmox rejects "${value}": ${problem}.${tail}`, value);
  }

  /**
   * No string value may carry NUL or other control characters (they would end or corrupt a config line
   * or an argument). The decoder already refuses NUL and most controls in every node-bound string; this
   * adds line breaks and tabs outside `multiLine` attributes (and everything below them), where a line
   * break would start a new config line (`lxc_raw`, `hostname`...).
   */
  controlCharacters(attrs: Attrs, multiLine: readonly string[]): void {
    const visit = (value: Value | undefined, path: string[]): void => {
      if (typeof value === 'string') {
        const found = controlCharacter(value, multiLine.includes(path[0]!));
        if (found) {
          this.error(path, `Control character in ${attributeLabel(path)}`, `The value contains the control character ${found}; Proxmox config lines and command arguments cannot carry it.`);
        }
      } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, String(i)]));
      else if (isObject(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    };
    for (const [name, value] of Object.entries(attrs)) visit(value, [name]);
  }
}
