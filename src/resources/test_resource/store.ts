/**
 * Where test_resource objects live: a JSON file (PHOENIX_TEST_STORE) so CLI runs in separate processes
 * share them, or memory. Reads and writes are synchronous so a read-modify-write never interleaves
 * with another operation of the same process.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Attrs } from '../../config/values.js';

export interface TestStore {
  /** Objects keyed by their `id`. */
  load(): Record<string, Attrs>;
  save(objects: Record<string, Attrs>): void;
}

export function memoryStore(initial: Record<string, Attrs> = {}): TestStore {
  let objects = structuredClone(initial);
  return {
    load: () => structuredClone(objects),
    save: (next) => {
      objects = structuredClone(next);
    },
  };
}

export function fileStore(path: string): TestStore {
  return {
    load: () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Attrs>) : {}),
    save: (objects) => {
      const temporary = `${path}.tmp-${process.pid}`;
      writeFileSync(temporary, JSON.stringify(objects, null, 2) + '\n');
      renameSync(temporary, path);
    },
  };
}

/**
 * The store the registered provider uses: the file named by PHOENIX_TEST_STORE (looked up on every
 * access, so setting it after import works), else process memory.
 */
export function defaultStore(): TestStore {
  const memory = memoryStore();
  const current = (): TestStore => {
    const path = process.env.PHOENIX_TEST_STORE;
    return path ? fileStore(path) : memory;
  };
  return { load: () => current().load(), save: (objects) => current().save(objects) };
}
