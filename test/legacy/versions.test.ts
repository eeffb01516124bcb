/**
 * Tolerance over the legacy format as it drifted: test/fixtures/legacy/versions holds 13 real versions of
 * the legacy configs (of about a hundred commits, the fewest whose files together show every field path
 * and value type any version used; guests reduced to those that cover them). Each version, and 260
 * variants generated from them as the format drifted (fields removed, renamed, added, given another type;
 * guest files list- or object-shaped; files missing or cut short), goes through `convert` and then
 * `phoenix validate`, both in-process. Every variant either converts into an estate that validates, or
 * fails with error diagnostics that name the file (and the JSON path) at fault — never an exception.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { convertDirectory } from '../../src/legacy/load.js';
import { ROOT } from './helpers.js';

const VERSIONS_DIR = join(ROOT, 'test/fixtures/legacy/versions');
const FILES = ['phoenix_lxc_configs.json', 'phoenix_vm_configs.json', 'phoenix_hypervisor_config.json'] as const;
type FileName = (typeof FILES)[number];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Documents = Partial<Record<FileName, Json>>;
/** A variant: the legacy files' text. */
type Variant = { name: string; files: Partial<Record<FileName, string>> };

const work = mkdtempSync(join(tmpdir(), 'phoenix-versions-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readVersion(dir: string): Documents {
  const docs: Documents = {};
  for (const file of FILES) {
    try {
      docs[file] = JSON.parse(readFileSync(join(VERSIONS_DIR, dir, file), 'utf8')) as Json;
    } catch {
      // not in this version
    }
  }
  return docs;
}

/** A deterministic generator (mulberry32), so a failing variant can be named and rerun. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const isObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every object member in a document, as the object holding it and its key. */
function members(value: Json, out: { holder: { [key: string]: Json }; key: string }[] = []): typeof out {
  if (Array.isArray(value)) for (const item of value) members(item, out);
  else if (isObject(value))
    for (const [key, child] of Object.entries(value)) {
      out.push({ holder: value, key });
      members(child, out);
    }
  return out;
}

/** Renames the legacy format went through or could have: another spelling of the same field. */
const RENAMES: Record<string, string> = {
  memory_mb: 'memory',
  storage_size_gb: 'disk_size_gb',
  clone_from_ctid: 'clone_from_vmid',
  features: 'feature_list',
  network_config: 'network',
  storage_pool: 'storage',
  template: 'template_path',
  zfs_volumes: 'volumes',
  mount_points: 'mounts',
  dependencies: 'depends_on',
  application_script: 'app_script',
  proxmox_storage_type: 'storage_type',
};
const OTHER_VALUES: Json[] = ['x', '', 7, -1, 2.5, true, false, null, [], {}, ['a', 1, null], { k: 'v', n: [1] }, '1,2', '10.0.0.1/24'];

function mutateField(docs: Documents, pick: () => number): string {
  const candidates = FILES.filter((f) => docs[f] !== undefined).flatMap((file) => members(docs[file]!).map((m) => ({ file, ...m })));
  const { file, holder, key } = candidates[Math.floor(pick() * candidates.length)]!;
  const kind = Math.floor(pick() * 4);
  if (kind === 0) {
    delete holder[key];
    return `${file}: removed ${key}`;
  }
  if (kind === 1) {
    const renamed = RENAMES[key] ?? (pick() < 0.5 ? key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : `${key}_v2`);
    holder[renamed] = holder[key]!;
    delete holder[key];
    return `${file}: ${key} renamed ${renamed}`;
  }
  if (kind === 2) {
    const value = OTHER_VALUES[Math.floor(pick() * OTHER_VALUES.length)]!;
    holder[key] = clone(value);
    return `${file}: ${key} = ${JSON.stringify(value)}`;
  }
  holder[`added_${key}`] = clone(OTHER_VALUES[Math.floor(pick() * OTHER_VALUES.length)]!);
  return `${file}: added_${key} added`;
}

/** Whole-file drift: guest list shapes, string or number ids, files missing, cut short or not objects. */
function mutateFile(docs: Documents, pick: () => number): { name: string; files: Documents | Variant['files'] } {
  const files: Documents = { ...docs };
  const present = FILES.filter((f) => docs[f] !== undefined);
  const file = present[Math.floor(pick() * present.length)]!;
  const lxc = docs['phoenix_lxc_configs.json'];
  const vms = docs['phoenix_vm_configs.json'];
  switch (Math.floor(pick() * 6)) {
    case 0:
      if (isObject(lxc) && isObject(lxc.lxc_configs)) {
        const list = Object.entries(lxc.lxc_configs).map(([ctid, guest]) => (isObject(guest) ? { ctid, ...guest } : guest));
        files['phoenix_lxc_configs.json'] = { ...lxc, lxc_configs: list };
        return { name: 'lxc_configs as a list with ctid', files };
      }
      return { name: 'as is', files };
    case 1:
      if (isObject(vms) && Array.isArray(vms.vms)) {
        files['phoenix_vm_configs.json'] = { ...vms, vms: vms.vms.map((vm) => (isObject(vm) && typeof vm.vmid === 'number' ? { ...vm, vmid: String(vm.vmid) } : vm)) };
        return { name: 'vm ids as strings', files };
      }
      return { name: 'as is', files };
    case 2:
      delete files[file];
      return { name: `${file} missing`, files };
    case 3: {
      const text = JSON.stringify(docs[file], null, 2);
      return { name: `${file} cut short`, files: { ...texts(docs), [file]: text.slice(0, Math.floor(text.length * (0.2 + 0.6 * pick()))) } };
    }
    case 4:
      files[file] = clone(OTHER_VALUES[Math.floor(pick() * OTHER_VALUES.length)]!);
      return { name: `${file} is ${JSON.stringify(files[file])}`, files };
    default:
      files[file] = { ...(isObject(docs[file]) ? docs[file] : {}), generated_by: { tool: 'phoenix', version: 99 } };
      return { name: `${file} with a new top-level field`, files };
  }
}

function texts(docs: Documents): Variant['files'] {
  return Object.fromEntries(Object.entries(docs).map(([file, doc]) => [file, JSON.stringify(doc, null, 2)]));
}

function variants(): Variant[] {
  const versions = readdirSync(VERSIONS_DIR).sort();
  const docs = new Map(versions.map((v) => [v, readVersion(v)]));
  const out: Variant[] = versions.map((v) => ({ name: `${v} as is`, files: texts(docs.get(v)!) }));
  const pick = random(15);
  for (let i = 0; out.length < versions.length + 260; i++) {
    const version = versions[i % versions.length]!;
    const copy = clone(docs.get(version)!);
    if (i % 5 === 4) {
      const { name, files } = mutateFile(copy, pick);
      const asText = Object.values(files).every((f) => typeof f === 'string') && name.endsWith('cut short');
      out.push({ name: `${version}: ${name}`, files: asText ? (files as Variant['files']) : texts(files as Documents) });
      continue;
    }
    // One to three field changes at once, as between two legacy commits.
    const changes = Array.from({ length: 1 + Math.floor(pick() * 3) }, () => mutateField(copy, pick));
    out.push({ name: `${version}: ${changes.join('; ')}`, files: texts(copy) });
  }
  return out;
}

/** Runs the real CLI in-process, its output captured. */
async function phoenix(args: string[]): Promise<{ code: number; output: string }> {
  const written: string[] = [];
  const capture = (chunk: unknown) => (written.push(String(chunk)), true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const code = await main(args, { NO_COLOR: '1' });
    return { code, output: written.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const LEGACY_FILE = /phoenix_(lxc_configs|vm_configs|hypervisor_config)\.json/;

describe('every version of the legacy format, and its drift', () => {
  const all = variants();

  it('has real versions and at least 200 generated variants', () => {
    expect(readdirSync(VERSIONS_DIR).length).toBe(13);
    expect(all.length - 13).toBeGreaterThanOrEqual(200);
  });

  it('converts each into an estate that validates, or fails naming the file and field at fault', async () => {
    const outcomes = { validated: 0, refused: 0 };
    const failures: string[] = [];
    for (const [index, variant] of all.entries()) {
      const dir = join(work, String(index));
      const etc = join(dir, 'etc');
      mkdirSync(etc, { recursive: true });
      // No bin/ beside etc/: every script is missing, so each feature is written to fail with a warning.
      for (const [file, text] of Object.entries(variant.files)) writeFileSync(join(etc, file), text);
      let result: ReturnType<typeof convertDirectory>;
      try {
        result = convertDirectory({ legacyDir: etc, outDir: join(dir, 'estate') });
      } catch (e) {
        throw new Error(`${variant.name}: convert threw ${(e as Error).stack}`);
      }
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      for (const d of result.diagnostics) {
        expect(`${d.subject ?? ''} ${d.summary}`, `${variant.name}: a diagnostic names no legacy file`).toMatch(LEGACY_FILE);
      }
      if (errors.length > 0) {
        outcomes.refused++;
        expect(result.written, variant.name).toEqual([]);
        // A file that parses has the JSON path of the field at fault; one that does not, its line and column.
        for (const e of errors) expect(`${e.subject ?? ''} ${e.detail ?? ''}`, `${variant.name}: ${e.summary}`).toMatch(/\$|line \d+, column \d+/);
        continue;
      }
      const validate = await phoenix([`-chdir=${join(dir, 'estate')}`, 'validate']);
      if (validate.code !== 0 || !validate.output.includes('The configuration is valid')) {
        failures.push(`${variant.name}:\n${validate.output}`);
        continue;
      }
      outcomes.validated++;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
    // Drift mostly converts; cut-short files and files that are not objects are refused.
    expect(outcomes.validated).toBeGreaterThan(outcomes.refused);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 600_000);
});
