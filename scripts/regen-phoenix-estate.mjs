#!/usr/bin/env node
// Regenerates examples/phoenix-estate/*.hcl: the legacy Phoenix Hypervisor snapshot in
// examples/phoenix-estate/legacy/etc converted by `phoenix convert --from-legacy` (with the
// simulator values file). The legacy tree keeps the legacy layout: feature scripts in bin/lxc_setup,
// application scripts in bin, host setup scripts in bin/hypervisor_setup. Run `npm run build` first.
//
//   node scripts/regen-phoenix-estate.mjs [--from DIR]   # --from: refresh legacy/etc from DIR first
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples/phoenix-estate');
const legacyEtc = join(example, 'legacy/etc');
const loader = join(root, 'dist/legacy/load.js');
if (!existsSync(loader)) {
  console.error(`${loader} is missing: run "npm run build" first.`);
  process.exit(1);
}

const fromIndex = process.argv.indexOf('--from');
if (fromIndex !== -1) {
  const from = process.argv[fromIndex + 1];
  for (const name of readdirSync(from).filter((n) => /^phoenix_.*\.json$/.test(n))) copyFileSync(join(from, name), join(legacyEtc, name));
}

for (const name of readdirSync(example).filter((n) => n.endsWith('.hcl'))) rmSync(join(example, name));
// --simulator also writes the simulated node's seed (.phoenix-sim/sim.json), which the example ships: the
// host directories its bind mounts need (the legacy host setup made them; a real node refuses to create or
// start a container without them). The rest of .phoenix-sim is a rehearsal's state, never committed.
const { convertDirectory } = await import(loader);
const result = convertDirectory({ legacyDir: legacyEtc, outDir: example, simulator: true });
const errors = result.diagnostics.filter((d) => d.severity === 'error');
for (const d of errors) console.error(`error: ${d.summary}${d.subject ? ` (${d.subject})` : ''}${d.detail ? `\n  ${d.detail}` : ''}`);
const { containers, vms, datasets, features, snapshots, pools } = result.summary;
console.log(
  `${containers} containers, ${vms} VMs, ${pools} pools, ${datasets} datasets, ${features} features, ${snapshots} snapshots; ` +
    `${result.diagnostics.length - errors.length} warnings, ${errors.length} errors`,
);
for (const file of result.written) console.log(`wrote ${file.slice(root.length + 1)}`);
process.exit(errors.length > 0 ? 1 : 0);
