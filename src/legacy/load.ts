/**
 * The I/O around convertLegacy: reading the legacy directory, checking the scripts exist, writing the
 * output directory. The script directories default to the legacy tree's layout: configs in etc/,
 * feature scripts in bin/lxc_setup/, application scripts in bin/.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { error, warning, type Diagnostic } from '../config/diagnostics.js';
import { convertLegacy, SIMULATOR_SEED_FILE, type ConvertResult } from './convert.js';
import { LEGACY_FILES, type LegacySources } from './estate.js';
import type { ScriptDir } from './scripts.js';

export interface ConvertDirectoryOptions {
  legacyDir: string;
  outDir: string;
  featuresDir?: string;
  scriptsDir?: string;
  /** The legacy host setup scripts; default DIR/../bin/hypervisor_setup (none converted when missing). */
  hypervisorSetupDir?: string;
  nodeName?: string;
  connection?: string;
  simulator?: boolean;
}

export function readLegacySources(dir: string): LegacySources {
  const sources: LegacySources = {};
  for (const file of LEGACY_FILES) {
    const path = join(dir, file);
    if (existsSync(path) && statSync(path).isFile()) sources[file] = readFileSync(path, 'utf8');
  }
  return sources;
}

/** A directory as written into the HCL: relative to the output directory, so the estate can move. */
function asWritten(dir: string, outDir: string): string {
  const rel = relative(outDir, dir);
  return rel === '' ? '.' : isAbsolute(rel) ? rel : rel.split('\\').join('/');
}

/**
 * A folder of the legacy tree's bin/: installed, the configs are in etc/ next to bin/ (DIR/../bin); in the
 * repository layout they sit at the top, next to bin/ (DIR/bin).
 */
function legacyBin(legacyDir: string, sub: string): string {
  const beside = join(legacyDir, 'bin', sub);
  return existsSync(beside) && !existsSync(join(legacyDir, '../bin', sub)) ? beside : join(legacyDir, '../bin', sub);
}

/**
 * The legacy bin/ (`scriptsDir`, default DIR/../bin) and its script folders. `featuresDir` replaces both
 * feature folders: VM feature scripts are then looked for there too, under either name.
 */
function scriptDirectories(legacyDir: string, options: ConvertDirectoryOptions): Record<ScriptDir, string> {
  const bin = resolve(options.scriptsDir ?? legacyBin(legacyDir, ''));
  const features = options.featuresDir === undefined ? undefined : resolve(options.featuresDir);
  return {
    scripts: bin,
    features: features ?? join(bin, 'lxc_setup'),
    vm_features: features ?? join(bin, 'vm_features'),
    tests: join(bin, 'tests'),
  };
}

/**
 * The seed merged into a sim.json that is already there (its other settings kept, lists united). A
 * simulated node reads its seed on first use only: one already used is named in a warning.
 */
function mergedSeed(path: string, generated: string, diagnostics: Diagnostic[]): string {
  if (existsSync(join(dirname(path), 'initialised'))) {
    diagnostics.push(warning('The simulated node in the output directory was already used', `${dirname(path)} keeps its pools and storages: delete it to rehearse with the generated seed.`));
  }
  if (!existsSync(path)) return generated;
  let existing: Record<string, unknown>;
  try {
    existing = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    diagnostics.push(warning(`${path} is not JSON`, 'It was replaced by the generated seed.'));
    return generated;
  }
  const seed = JSON.parse(generated) as Record<string, unknown[]>;
  const merged: Record<string, unknown> = { ...existing };
  for (const [key, list] of Object.entries(seed)) {
    const before = Array.isArray(existing[key]) ? (existing[key] as unknown[]) : [];
    const seen = new Set(before.map((v) => JSON.stringify(v)));
    merged[key] = [...before, ...list.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  return `${JSON.stringify(merged, null, 2)}\n`;
}

export function convertDirectory(options: ConvertDirectoryOptions): ConvertResult & { written: string[] } {
  const legacyDir = resolve(options.legacyDir);
  const outDir = resolve(options.outDir);
  if (!existsSync(legacyDir) || !statSync(legacyDir).isDirectory()) {
    const diagnostics: Diagnostic[] = [error('Legacy directory not found', `${options.legacyDir} is not a directory.`)];
    return { files: [], diagnostics, written: [], summary: { containers: 0, vms: 0, datasets: 0, features: 0, snapshots: 0, pools: 0 } };
  }
  const dirs = scriptDirectories(legacyDir, options);
  const hypervisorSetupDir = resolve(options.hypervisorSetupDir ?? legacyBin(legacyDir, 'hypervisor_setup'));
  const result = convertLegacy(readLegacySources(legacyDir), {
    scriptDirs: Object.fromEntries(Object.entries(dirs).map(([dir, path]) => [dir, asWritten(path, outDir)])) as Record<ScriptDir, string>,
    locateScript: ({ dir, file }) => {
      const path = join(dirs[dir], file);
      return { path, written: `${asWritten(dirs[dir], outDir)}/${file}`, exists: existsSync(path) && statSync(path).isFile() };
    },
    hypervisorSetupDir: existsSync(hypervisorSetupDir) ? asWritten(hypervisorSetupDir, outDir) : undefined,
    hostScriptExists: (file) => existsSync(join(hypervisorSetupDir, file)),
    nodeName: options.nodeName ?? 'pve',
    connection: options.connection ?? 'simulator',
    simulator: options.simulator ?? false,
  });
  const written: string[] = [];
  for (const file of result.files) {
    const path = join(outDir, file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.name === SIMULATOR_SEED_FILE ? mergedSeed(path, file.content, result.diagnostics) : file.content);
    written.push(path);
  }
  return { ...result, written };
}
