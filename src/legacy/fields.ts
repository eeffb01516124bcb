/**
 * Typed, tolerant access to one legacy JSON object. Every getter marks its key as understood; a value of
 * the wrong type is a warning (and the key stays "not understood", so it is kept as a comment). What is
 * left at the end is the object's unmodelled fields: comments in the HCL and warnings with JSON paths.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { at, legacyDiagnostic, type JsonLocation } from './json-path.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json-reader.js';
import type { Format } from '../resources/proxmox/formats.js';

export interface UnmodelledField {
  key: string;
  value: JsonValue;
  location: JsonLocation;
}

export class LegacyFields {
  private readonly understood = new Set<string>();
  private readonly mistyped = new Set<string>();

  constructor(
    readonly json: JsonObject,
    readonly location: JsonLocation,
    private readonly diagnostics: Diagnostic[],
  ) {}

  static of(value: JsonValue | undefined, location: JsonLocation, diagnostics: Diagnostic[]): LegacyFields {
    if (value !== undefined && !isJsonObject(value)) {
      diagnostics.push(legacyDiagnostic('warning', location, 'Expected a JSON object', `Found ${describe(value)}; it was ignored.`));
    }
    return new LegacyFields(isJsonObject(value) ? value : {}, location, diagnostics);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.json, key) && this.json[key] !== null;
  }

  at(key: string | number, ...more: (string | number)[]): JsonLocation {
    return at(this.location, key, ...more);
  }

  string(key: string): string | undefined {
    return this.typed(key, 'a string', (v) => (typeof v === 'string' ? v : undefined));
  }

  /**
   * A string Proxmox accepts as `format`; another is a warning quoting Proxmox's rule, and kept as a
   * comment: a value the node would refuse never reaches the estate, which then would not validate.
   */
  formatted(key: string, format: Pick<Format, 'problem' | 'accepts'>): string | undefined {
    const value = this.string(key);
    const problem = value === undefined ? undefined : format.problem(value);
    if (problem === undefined) return value;
    this.understood.delete(key);
    this.mistyped.add(key);
    this.diagnostics.push(legacyDiagnostic('warning', this.at(key), `Invalid "${key}" ${JSON.stringify(value)}`, `Proxmox rejects it (${problem}); it accepts ${format.accepts}. It was kept as a comment.`));
    return undefined;
  }

  /** A guest id (100 to 999999999, qemu-server/pve-container pve-vmid); another is a warning, kept as a comment. */
  vmid(key: string): number | undefined {
    const value = this.number(key);
    if (value === undefined || (Number.isInteger(value) && value >= 100 && value <= 999_999_999)) return value;
    this.understood.delete(key);
    this.mistyped.add(key);
    this.diagnostics.push(legacyDiagnostic('warning', this.at(key), `Invalid guest id ${value} for "${key}"`, 'Proxmox guest ids are whole numbers from 100 to 999999999. It was kept as a comment.'));
    return undefined;
  }

  /** Numbers, and strings holding a number ("900": ids are written both ways). */
  number(key: string): number | undefined {
    return this.typed(key, 'a number', (v) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined));
  }

  /** Booleans, plus the 0/1 and "true"/"false" spellings the legacy files also use. */
  bool(key: string): boolean | undefined {
    return this.typed(key, 'true or false', (v) => {
      if (typeof v === 'boolean') return v;
      if (v === 0 || v === 1) return v === 1;
      if (v === 'true' || v === 'false') return v === 'true';
      return undefined;
    });
  }

  array(key: string): JsonValue[] | undefined {
    return this.typed(key, 'a list', (v) => (Array.isArray(v) ? v : undefined));
  }

  /** A list of strings; other items are warned about and skipped. */
  strings(key: string): { value: string; index: number }[] {
    const list = this.array(key) ?? [];
    const result: { value: string; index: number }[] = [];
    list.forEach((item, index) => {
      if (typeof item === 'string' || typeof item === 'number') result.push({ value: String(item), index });
      else this.diagnostics.push(legacyDiagnostic('warning', this.at(key, index), 'Expected a string', `Found ${describe(item)}; it was ignored.`));
    });
    return result;
  }

  object(key: string): LegacyFields | undefined {
    const value = this.typed(key, 'an object', (v) => (isJsonObject(v) ? v : undefined));
    return value === undefined ? undefined : new LegacyFields(value, this.at(key), this.diagnostics);
  }

  /** Any value, understood as is (e.g. a config slice handed to a feature). */
  raw(key: string): JsonValue | undefined {
    if (!Object.hasOwn(this.json, key)) return undefined;
    this.understood.add(key);
    return this.json[key];
  }

  /** Marks keys as understood without reading them (handled elsewhere, or deliberately dropped). */
  consume(...keys: string[]): void {
    for (const key of keys) this.understood.add(key);
  }

  unmodelled(): UnmodelledField[] {
    return Object.entries(this.json)
      .filter(([key]) => !this.understood.has(key))
      .map(([key, value]) => ({ key, value, location: this.at(key) }));
  }

  /** Unmodelled fields, each reported as a warning (except those already warned about as mistyped). */
  reportUnmodelled(what: string): UnmodelledField[] {
    const fields = this.unmodelled();
    for (const field of fields) {
      if (this.mistyped.has(field.key)) continue;
      this.diagnostics.push(legacyDiagnostic('warning', field.location, `Legacy field "${field.key}" is not modelled by phoenix`, `Kept as a comment next to ${what}.`));
    }
    return fields;
  }

  private typed<T>(key: string, expected: string, convert: (v: JsonValue) => T | undefined): T | undefined {
    if (!Object.hasOwn(this.json, key) || this.json[key] === null) {
      this.understood.add(key);
      return undefined;
    }
    const value = this.json[key]!;
    const converted = convert(value);
    if (converted === undefined) {
      this.mistyped.add(key);
      this.diagnostics.push(legacyDiagnostic('warning', this.at(key), `Expected ${expected} for "${key}"`, `Found ${describe(value)}; it was kept as a comment.`));
      return undefined;
    }
    this.understood.add(key);
    return converted;
  }
}

export function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
