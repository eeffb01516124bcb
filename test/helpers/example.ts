/**
 * Copying a shipped example into a test's temp directory: only the configuration an example ships, never
 * what a run left beside it (state, lock, the simulated node, test_resource's store, saved plans). A test
 * must see the same example on a fresh clone and after `npm run demo` ran in the working tree. The
 * simulated node's first-use seed (`.phoenix-sim/sim.json`, which `convert --simulator` writes) is
 * configuration an example may ship: it is copied, the rest of `.phoenix-sim` is not.
 */
import { cpSync, existsSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

/** Names phoenix, the simulator and their crashes write into a working directory. */
const RUN_ARTEFACT = /^(\.|phoenix\.state\.json|.*\.tmp-\d+$|.*\.plan$|plan\.bin$)/;

export function isRunArtefact(name: string): boolean {
  return RUN_ARTEFACT.test(name);
}

const SIM_DIR = '.phoenix-sim';
const SIM_SEED = join(SIM_DIR, 'sim.json');

export function copyExampleConfig(exampleDir: string, targetDir: string): void {
  cpSync(exampleDir, targetDir, {
    recursive: true,
    filter: (source) => {
      const path = relative(exampleDir, source);
      if (path === '' || path === SIM_SEED) return true;
      if (path === SIM_DIR) return existsSync(join(source, 'sim.json'));
      return !isRunArtefact(basename(source)) && !path.startsWith(SIM_DIR + sep);
    },
  });
}
