/**
 * A small subset of PVE's JSONSchema: parameter types, property strings (`key=value,...`) and the
 * verification messages Proxmox prints (`memory: value must have a minimum value of 16`).
 */

export interface ParamSpec {
  type: 'integer' | 'number' | 'boolean' | 'string';
  min?: number;
  max?: number;
  enum?: readonly string[];
  pattern?: RegExp;
  maxLength?: number;
  minLength?: number;
  /** A property string (`key=value,...`) with these keys. */
  format?: PropFormat;
  /** Extra format check; returns the message after `invalid format - `, or undefined when valid. */
  check?: (value: string) => string | undefined;
  /** A property-string key that must be present. */
  required?: boolean;
  /**
   * The value may be left out (Getopt `:s`): pve-common CLIHandler.pm's interactive `pve-password`
   * mapping. A next word that looks like an option is then parsed as an option, not taken as the value.
   */
  optionalValue?: boolean;
}

export interface PropFormat {
  /** Key a bare value (no `=`) belongs to, printed first without `key=`. */
  defaultKey?: string;
  keys: Record<string, ParamSpec>;
}

const BOOLEAN_WORDS: Record<string, string> = { 1: '1', 0: '0', yes: '1', no: '0', true: '1', false: '0', on: '1', off: '0' };

/** Verify one value; returns [normalised value, error message or undefined]. */
export function verifyValue(spec: ParamSpec, raw: string): [string, string | undefined] {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const ok = spec.type === 'integer' ? /^[+-]?\d+$/.test(raw) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw);
      if (!ok) return [raw, `type check ('${spec.type}') failed - got '${raw}'`];
      const n = Number(raw);
      if (spec.min !== undefined && n < spec.min) return [raw, `value must have a minimum value of ${spec.min}`];
      if (spec.max !== undefined && n > spec.max) return [raw, `value must have a maximum value of ${spec.max}`];
      return [String(n), undefined];
    }
    case 'boolean': {
      const normalised = BOOLEAN_WORDS[raw.toLowerCase()];
      if (normalised === undefined) return [raw, `type check ('boolean') failed - got '${raw}'`];
      return [normalised, undefined];
    }
    case 'string': {
      if (spec.enum && !spec.enum.includes(raw)) {
        return [raw, `value '${raw}' does not have a value in the enumeration '${spec.enum.join(', ')}'`];
      }
      if (spec.maxLength !== undefined && raw.length > spec.maxLength) {
        return [raw, `value may only be ${spec.maxLength} characters long`];
      }
      if (spec.minLength !== undefined && raw.length < spec.minLength) return [raw, `value must be at least ${spec.minLength} characters long`];
      if (spec.pattern && !spec.pattern.test(raw)) return [raw, 'value does not match the regex pattern'];
      if (spec.check) {
        const problem = spec.check(raw);
        if (problem) return [raw, `invalid format - ${problem}`];
      }
      return [raw, undefined];
    }
  }
}

/** Parsed property string, keys in the order given. */
export type PropValues = Record<string, string>;

/** Parse and verify a property string; errors are keyed `param.key` as Proxmox prints them. */
export function parsePropString(param: string, text: string, format: PropFormat, errors: Record<string, string>): PropValues {
  const values: PropValues = {};
  for (const part of text.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    if (eq < 0) {
      if (!format.defaultKey || values[format.defaultKey] !== undefined) {
        errors[param] = `invalid format - missing key in comma-separated list property`;
        continue;
      }
      key = format.defaultKey;
      value = part;
    } else {
      key = part.slice(0, eq);
      value = part.slice(eq + 1);
    }
    const keySpec = format.keys[key];
    if (!keySpec) {
      errors[`${param}.${key}`] = 'property is not defined in schema and the schema does not allow additional properties';
      continue;
    }
    if (values[key] !== undefined) {
      errors[param] = `invalid format - duplicate key in comma-separated list property: ${key}`;
      continue;
    }
    const [normalised, problem] = verifyValue(keySpec, value);
    if (problem) errors[`${param}.${key}`] = problem;
    values[key] = normalised;
  }
  for (const [key, keySpec] of Object.entries(format.keys)) {
    if (keySpec.required && values[key] === undefined) {
      errors[`${param}.${key}`] = 'property is missing and it is not optional';
    }
  }
  return values;
}

/**
 * PVE's print_property_string: the default key bare and first, then the required keys (`name=` of a
 * CT nic, `mp=` of a mount point), then the rest sorted. `firstKeys` go right after the required ones.
 */
export function printPropString(values: PropValues, format: PropFormat, firstKeys: string[] = []): string {
  const parts: string[] = [];
  const done = new Set<string>();
  if (format.defaultKey && values[format.defaultKey] !== undefined) {
    parts.push(values[format.defaultKey]!);
    done.add(format.defaultKey);
  }
  const required = Object.keys(format.keys).filter((key) => format.keys[key]!.required).sort();
  for (const key of [...required, ...firstKeys]) {
    if (values[key] !== undefined && !done.has(key)) {
      parts.push(`${key}=${values[key]}`);
      done.add(key);
    }
  }
  for (const key of Object.keys(values).sort()) {
    if (!done.has(key)) parts.push(`${key}=${values[key]}`);
  }
  return parts.join(',');
}

/** Option names `net0`..`net31` style, all sharing one spec. */
export function numbered(prefix: string, count: number, spec: ParamSpec): Record<string, ParamSpec> {
  const result: Record<string, ParamSpec> = {};
  for (let i = 0; i < count; i++) result[`${prefix}${i}`] = spec;
  return result;
}

export const VMID: ParamSpec = { type: 'integer', min: 100, max: 999999999 };

/** pve-configid (snapshot names): letter first, 2..40 characters. */
export const SNAPNAME: ParamSpec = {
  type: 'string',
  maxLength: 40,
  check: (v) => (/^[a-z][a-z0-9_-]+$/i.test(v) ? undefined : `invalid configuration ID '${v}'`),
};
