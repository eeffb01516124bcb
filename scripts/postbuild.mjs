// After tsc: make the CLI executable and lay out the simulated node's executables (pct, qm, zfs, pvesh, pvesm, pveam)
// as real programs in dist/sim/bin, so the engine spawns them exactly as it would on a Proxmox host.
import { chmodSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/main.js');
if (existsSync(cli)) chmodSync(cli, 0o755);

const binDir = join(root, 'dist/sim/bin');
mkdirSync(binDir, { recursive: true });
// Extensionless files are CommonJS here; they load the ESM simulator with a dynamic import.
writeFileSync(join(binDir, 'package.json'), '{ "type": "commonjs" }\n');
for (const tool of ['pct', 'qm', 'zfs', 'zpool', 'pvesh', 'pvesm', 'pveam', 'sh', 'chown', 'stat']) {
  const file = join(binDir, tool);
  writeFileSync(
    file,
    `#!/usr/bin/env node\nimport('../cli.js').then((m) => m.main(${JSON.stringify(tool)}, process.argv.slice(2)));\n`,
  );
  chmodSync(file, 0o755);
}
