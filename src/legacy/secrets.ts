/**
 * Secrets in the legacy files (the Portainer admin password, password hashes...) never reach the HCL as
 * literals: each becomes a sensitive variable without a default value, and comments show the variable.
 */
import { formatJsonPath, type JsonLocation } from './json-path.js';
import type { JsonValue } from './json-reader.js';
import { sanitiseName } from './names.js';

const SECRET_KEY = /(password|passwd|secret|token|private_key|api_key|hash)/i;
/** Keys that name where a secret lives rather than holding it. */
const NOT_A_SECRET = /(_file|_path|_dir|_url)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_A_SECRET.test(key);
}

export interface SecretVariable {
  name: string;
  location: JsonLocation;
}

export class SecretRegistry {
  readonly variables: SecretVariable[] = [];
  private readonly byPath = new Map<string, string>();

  /** The sensitive variable standing for the secret at `location`; `wanted` suggests its name. */
  variableFor(location: JsonLocation, wanted: string): string {
    const key = `${location.file} ${formatJsonPath(location.path)}`;
    const known = this.byPath.get(key);
    if (known) return known;
    const base = sanitiseName(wanted, 'secret');
    let name = base;
    for (let n = 2; this.variables.some((v) => v.name === name); n++) name = `${base}_${n}`;
    this.variables.push({ name, location });
    this.byPath.set(key, name);
    return name;
  }

  /** A copy of `value` (found at `location`) with every secret replaced by its variable's name. */
  redact(value: JsonValue, location: JsonLocation, key: string): JsonValue {
    if (isSecretKey(key) && (typeof value === 'string' || typeof value === 'number')) {
      const name = this.variableFor(location, location.path.filter((p) => typeof p === 'string').join('_'));
      return `(sensitive: var.${name})`;
    }
    if (Array.isArray(value)) return value.map((item, i) => this.redact(item, { ...location, path: [...location.path, i] }, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redact(v, { ...location, path: [...location.path, k] }, k)]));
    }
    return value;
  }
}
