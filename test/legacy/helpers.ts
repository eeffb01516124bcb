/** Shared helpers for the legacy converter tests: run a conversion in memory and look into its output. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/model.js';
import { convertLegacy, type ConvertOptions, type ConvertResult } from '../../src/legacy/convert.js';
import type { LegacySources } from '../../src/legacy/estate.js';
import { readLegacySources } from '../../src/legacy/load.js';

export const ROOT = join(fileURLToPath(import.meta.url), '../../..');
export const ESTATE_DIR = join(ROOT, 'examples/phoenix-estate');
export const SNAPSHOT_ETC = join(ESTATE_DIR, 'legacy/etc');

export const OPTIONS: ConvertOptions = {
  scriptDirs: { features: 'legacy/bin/lxc_setup', vm_features: 'legacy/bin/vm_features', scripts: 'legacy/bin', tests: 'legacy/bin/tests' },
  hypervisorSetupDir: 'legacy/bin/hypervisor_setup',
  nodeName: 'pve',
  connection: 'simulator',
  simulator: false,
};

/** Options that look the snapshot's scripts up in the committed example, as `convert` does on disk. */
export function snapshotOptions(): Partial<ConvertOptions> {
  return {
    locateScript: ({ dir, file }) => {
      const written = `${OPTIONS.scriptDirs[dir]}/${file}`;
      return { path: join(ESTATE_DIR, written), written, exists: existsSync(join(ESTATE_DIR, written)) };
    },
    hostScriptExists: (file) => existsSync(join(ESTATE_DIR, OPTIONS.hypervisorSetupDir!, file)),
  };
}

export function snapshotSources(): LegacySources {
  return readLegacySources(SNAPSHOT_ETC);
}

export function convert(sources: LegacySources, options: Partial<ConvertOptions> = {}): ConvertResult {
  return convertLegacy(sources, { ...OPTIONS, ...options });
}

/** A minimal LXC file from guest entries keyed by CTID. */
export function lxcFile(guests: Record<string, object>, extra: object = {}): string {
  return JSON.stringify({ ...extra, lxc_configs: guests }, null, 2);
}

export function loadOutput(result: ConvertResult): { config: Config; diagnostics: Diagnostic[] } {
  return loadConfig(result.files.filter((f) => f.name.endsWith('.hcl') && !f.name.endsWith('.auto.hcl')).map((f) => ({ name: f.name, source: f.content })));
}

export function allText(result: ConvertResult): string {
  return result.files.map((f) => f.content).join('\n');
}

export function errorsOf(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

export function withSubject(diagnostics: Diagnostic[], subject: string): Diagnostic[] {
  return diagnostics.filter((d) => d.subject === subject);
}

/** The text of `resource "TYPE" "NAME" { ... }` in the output (up to its closing brace at column 0). */
export function resourceBlock(result: ConvertResult, type: string, name: string): string {
  const text = allText(result);
  const start = text.indexOf(`resource "${type}" "${name}" {`);
  if (start === -1) throw new Error(`no resource ${type}.${name} in the output`);
  return text.slice(start, text.indexOf('\n}\n', start) + 2);
}

export function committedFile(name: string): string {
  return readFileSync(join(ESTATE_DIR, name), 'utf8');
}
