/**
 * `convert --simulator` on real legacy versions, through the real CLI (`npm run build` first): the
 * estate it writes applies on the shipped simulator with no hand-made file and converges. The version of
 * 2025-08-29 puts its root disks on `lxc-disks`, a storage no dataset of the estate registers; the latest
 * one has `storage_class: "shared"` datasets, which the legacy setup did not register, under a container
 * volume. Both exist only because the seed the converter writes (.phoenix-sim/sim.json) declares them.
 * The legacy scripts are looked for where `--features-dir` and `--scripts-dir` say.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { workspace, type Workspace } from '../cli/harness.js';
import { ROOT } from './helpers.js';

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

const VERSIONS = join(ROOT, 'test/fixtures/legacy/versions');
const CONVERT = ['convert', '--from-legacy', 'legacy/etc', '-o', 'estate', '--simulator', '--features-dir', 'stubs/features', '--scripts-dir', 'stubs/bin'];

/** The paths a conversion looked for scripts at and did not find (first one tried per warning). */
function missingScripts(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/found: tried ([^,\s]+)/g)].map((m) => m[1]!))];
}

async function rehearse(version: string, expectSeeded: string, scripts: boolean): Promise<void> {
  ws = workspace();
  cpSync(join(VERSIONS, version), join(ws.dir, 'legacy/etc'), { recursive: true });

  // First conversion: the stub directories are empty, so every script is a warning naming where it was looked for.
  const first = await ws.run(CONVERT);
  expect(first.code, first.stderr).toBe(0);
  const missing = missingScripts(first.stderr);
  expect(missing.length > 0).toBe(scripts);
  for (const path of missing) {
    expect(path.startsWith(join(ws.dir, 'stubs/')), path).toBe(true);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
  }

  // Second conversion finds them all there; the estate reads them relative to itself.
  const second = await ws.run(CONVERT);
  expect(second.code, second.stderr).toBe(0);
  expect(missingScripts(second.stderr)).toEqual([]);
  expect(second.stdout).toContain(`Wrote ${join(ws.dir, 'estate/.phoenix-sim/sim.json')}`);
  if (scripts) expect(ws.read('estate/main.hcl')).toMatch(/default\s+= "\.\.\/stubs\/features"/);
  const seed = JSON.parse(ws.read('estate/.phoenix-sim/sim.json')) as { storages: { id: string }[] };
  expect(seed.storages.map((s) => s.id)).toContain(expectSeeded);

  const apply = await ws.run(['-chdir=estate', 'apply', '-auto-approve']);
  expect(apply.code, apply.stdout + apply.stderr).toBe(0);
  expect(apply.stdout).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);
  expect(rejectedCommands(join(ws.dir, 'estate/.phoenix-sim'))).toEqual([]);
  const again = await ws.run(['-chdir=estate', 'plan', '-detailed-exitcode']);
  expect(again.code, again.stdout + again.stderr).toBe(0);
  expect(again.stdout).toContain('No changes.');
}

describe('convert --simulator rehearses legacy versions with no hand-made file', () => {
  it('an early version whose containers live on lxc-disks', async () => {
    await rehearse('2025-08-29-185f0ab', 'lxc-disks', false);
  }, 120_000);

  it('the latest version, with storage_class "shared" datasets', async () => {
    await rehearse('2025-11-04-2b02afc', 'fastData-shared-bulk-data', true);
  }, 600_000);
});
