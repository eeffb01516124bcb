/**
 * Where the legacy tool found the scripts a config names, so convert finds them the same way:
 * - container features: bin/lxc_setup/phoenix_hypervisor_feature_install_NAME.sh (lxc-manager.sh apply_features);
 * - VM features: bin/vm_features/feature_install_NAME.sh (vm-manager.sh apply_vm_features in later versions;
 *   earlier ones shared the container scripts, which are tried next);
 * - application scripts: bin/NAME (lxc-manager.sh run_application_script);
 * - test and health-check scripts: bin/tests/PATH (tests/test_runner.sh: `${SCRIPT_DIR}/${test_path}`).
 * A script that is not there is written as one that fails with the lookup's message (missingScript).
 */

/** The folders scripts live in; each is a variable of the converted estate. */
export type ScriptDir = 'features' | 'vm_features' | 'scripts' | 'tests';

export const SCRIPT_DIR_VARIABLES: Record<ScriptDir, { variable: string; description: string }> = {
  features: { variable: 'features_dir', description: 'Directory of the legacy container feature scripts (bin/lxc_setup in the legacy tree), relative to this directory.' },
  vm_features: { variable: 'vm_features_dir', description: 'Directory of the legacy VM feature scripts (bin/vm_features in the legacy tree), relative to this directory.' },
  scripts: { variable: 'scripts_dir', description: 'Directory of the legacy application scripts (bin in the legacy tree), relative to this directory.' },
  tests: { variable: 'tests_dir', description: 'Directory of the legacy test scripts (bin/tests in the legacy tree), relative to this directory.' },
};

export type ScriptRequest =
  | { kind: 'lxc-feature'; name: string }
  | { kind: 'vm-feature'; name: string }
  | { kind: 'application'; file: string }
  | { kind: 'test'; path: string };

export interface ScriptCandidate {
  dir: ScriptDir;
  file: string;
}

/** The places the legacy tool looked, in its order. */
export function scriptCandidates(request: ScriptRequest): ScriptCandidate[] {
  switch (request.kind) {
    case 'lxc-feature':
      return [{ dir: 'features', file: `phoenix_hypervisor_feature_install_${request.name}.sh` }];
    case 'vm-feature':
      return [
        { dir: 'vm_features', file: `feature_install_${request.name}.sh` },
        { dir: 'features', file: `phoenix_hypervisor_feature_install_${request.name}.sh` },
      ];
    case 'application':
      return [{ dir: 'scripts', file: request.file }];
    case 'test':
      return [{ dir: 'tests', file: request.path }];
  }
}

/** Where a candidate is on this machine, how the estate writes it, and whether it exists. */
export type ScriptLocator = (candidate: ScriptCandidate) => { path: string; written: string; exists: boolean };

export interface ScriptLookup {
  /** The first candidate that exists. */
  found?: ScriptCandidate;
  /** Every path looked at: `path` on this machine (for the warning), `written` relative to the estate (for the estate). */
  tried: { path: string; written: string }[];
}

/** Finds a script with `exists(dir, file)`; without a checker the first candidate is taken as found. */
export function lookUpScript(request: ScriptRequest, locate?: ScriptLocator): ScriptLookup {
  const candidates = scriptCandidates(request);
  if (!locate) return { found: candidates[0], tried: [] };
  const tried: ScriptLookup['tried'] = [];
  for (const candidate of candidates) {
    const { path, written, exists } = locate(candidate);
    if (exists) return { found: candidate, tried };
    tried.push({ path, written });
  }
  return { tried };
}

/** A script that fails with the reason it is missing: the estate validates and plans, apply stops there. */
export function missingScript(what: string, tried: string[]): string {
  const message = `phoenix convert found no ${what}; tried ${tried.join(', ')}. Copy the legacy script there and convert again, or write this script.`;
  return `#!/bin/sh\n# ${message}\necho '${message.replace(/'/g, `'\\''`)}' >&2\nexit 1\n`;
}
