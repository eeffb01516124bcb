/**
 * Copying a shipped example into a test's temp directory: only the configuration an example ships, never
 * what a run left beside it (state, lock, the simulated node, test_resource's store, saved plans). A test
 * must see the same example on a fresh clone and after `npm run demo` ran in the working tree.
 */
import { cpSync } from 'node:fs';
import { basename } from 'node:path';

/** Names phoenix, the simulator and their crashes write into a working directory. */
const RUN_ARTEFACT = /^(\.|phoenix\.state\.json|.*\.tmp-\d+$|.*\.plan$|plan\.bin$)/;

export function isRunArtefact(name: string): boolean {
  return RUN_ARTEFACT.test(name);
}

export function copyExampleConfig(exampleDir: string, targetDir: string): void {
  cpSync(exampleDir, targetDir, {
    recursive: true,
    filter: (source) => source === exampleDir || !isRunArtefact(basename(source)),
  });
}
