/**
 * Where test_resource objects live: a JSON file (PHOENIX_TEST_STORE, or `.phoenix/test-store.json` of the
 * working directory) so CLI runs in separate processes share them, or memory. Reads and writes are synchronous so a read-modify-write never interleaves
 * with another operation of the same process.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Attrs } from '../../config/values.js';

export interface TestStore {
  /** Objects keyed by their `name`. */
  load(): Record<string, Attrs>;
  save(objects: Record<string, Attrs>): void;
}

/**
 * Objects in process memory. `load` hands out the live record (callers modify it and `save` it back),
 * so a 10,000-object benchmark does not copy the store on every operation.
 */
export function memoryStore(initial: Record<string, Attrs> = {}): TestStore {
  let objects = { ...initial };
  return {
    load: () => objects,
    save: (next) => {
      objects = next;
    },
  };
}

export function fileStore(path: string): TestStore {
  return {
    load: () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Attrs>) : {}),
    save: (objects) => {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.tmp-${process.pid}`;
      writeFileSync(temporary, JSON.stringify(objects, null, 2) + '\n');
      renameSync(temporary, path);
    },
  };
}

/** Where the CLI keeps test_resource objects when PHOENIX_TEST_STORE names no file: beside the state. */
export const WORKDIR_STORE_FILE = join('.phoenix', 'test-store.json');

/**
 * The store the registered provider uses: the file named by PHOENIX_TEST_STORE (looked up on every
 * access, so setting it after import works); else `.phoenix/test-store.json` of the working directory
 * when one is given (the CLI), so objects outlive the process like guests outlive it on a node; else
 * process memory (in-process benchmarks).
 */
export function defaultStore(workingDir?: string): TestStore {
  const fallback = workingDir === undefined ? memoryStore() : fileStore(join(workingDir, WORKDIR_STORE_FILE));
  const current = (): TestStore => {
    const path = process.env.PHOENIX_TEST_STORE;
    return path ? fileStore(path) : fallback;
  };
  return { load: () => current().load(), save: (objects) => current().save(objects) };
}
