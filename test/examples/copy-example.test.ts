/** Tests copy an example's configuration, never the state or simulated node a run left beside it. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyExampleConfig } from '../helpers/example.js';

describe('copyExampleConfig', () => {
  const root = mkdtempSync(join(tmpdir(), 'phoenix-copy-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps HCL files and their scripts, leaves out what `npm run demo` wrote', () => {
    const example = join(root, 'example');
    mkdirSync(join(example, 'features'), { recursive: true });
    mkdirSync(join(example, '.phoenix-sim/etc'), { recursive: true });
    mkdirSync(join(example, '.phoenix'), { recursive: true });
    for (const name of ['main.hcl', 'values.auto.hcl', 'features/docker.sh', 'README.md', '.phoenix-sim/etc/x', '.phoenix/test-store.json',
      'phoenix.state.json', 'phoenix.state.json.backup', 'phoenix.state.json.lock', 'phoenix.state.json.tmp-4242']) {
      writeFileSync(join(example, name), 'x');
    }
    const target = join(root, 'copy');
    copyExampleConfig(example, target);
    expect(readdirSync(target).sort()).toEqual(['README.md', 'features', 'main.hcl', 'values.auto.hcl']);
    expect(existsSync(join(target, 'features/docker.sh'))).toBe(true);
  });

  it("keeps the simulated node's seed an example ships (.phoenix-sim/sim.json), not the node's state", () => {
    const example = join(root, 'seeded');
    mkdirSync(join(example, '.phoenix-sim/var/sim'), { recursive: true });
    for (const name of ['main.hcl', '.phoenix-sim/sim.json', '.phoenix-sim/var/sim/zfs.json']) writeFileSync(join(example, name), '{}');
    const target = join(root, 'seeded-copy');
    copyExampleConfig(example, target);
    expect(readdirSync(target).sort()).toEqual(['.phoenix-sim', 'main.hcl']);
    expect(readdirSync(join(target, '.phoenix-sim'))).toEqual(['sim.json']);
  });
});
