/** What a plan was computed from, so apply can refuse a plan made for other config or variables. */
import { createHash } from 'node:crypto';
import type { Config } from '../config/model.js';
import type { Value } from '../config/values.js';

export function configHash(config: Config): string {
  const hash = createHash('sha256');
  for (const name of [...config.sources.keys()].sort()) {
    hash.update(name).update('\u0000').update(config.sources.get(name)!).update('\u0000');
  }
  return hash.digest('hex');
}

export function variablesHash(variables: Record<string, Value>): string {
  const sorted = Object.keys(variables)
    .sort()
    .map((name) => [name, variables[name]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
