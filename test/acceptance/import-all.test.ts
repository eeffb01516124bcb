/**
 * Adopting hand-made guests: containers created with `pct create` on the simulated node, then declared
 * in HCL (no explicit `node`: the only node is the default) and adopted with `phoenix import -all`.
 * Afterwards nothing is planned for creation and no guest is touched twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { workspace } from '../cli/harness.js';
import { sim, stateFile } from './harness.js';
import { join } from 'node:path';

const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

describe('phoenix import -all on a node with hand-made containers', () => {
  const ws = workspace({
    'main.hcl': `node "pve" {
  connection = "simulator"
}

resource "lxc" "web" {
  count      = 2
  vmid       = 150 + count.index
  hostname   = "web-\${count.index}"
  ostemplate = "${TEMPLATE}"
  memory     = 1024
  state      = "stopped"
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
}
`,
  });
  const simDir = join(ws.dir, '.phoenix-sim');
  afterAll(() => ws.remove());

  it('adopts every declared container that exists, and plans no creates afterwards', async () => {
    for (const i of [0, 1]) {
      sim(simDir, 'pct', 'create', String(150 + i), TEMPLATE, '--hostname', `web-${i}`, '--memory', '1024', '--rootfs', 'local-zfs:8');
    }

    const imported = await ws.run(['import', '-all']);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stderr).not.toContain('Not imported');
    expect(stateFile(ws).resources.map((r) => r.address)).toEqual(['lxc.web[0]', 'lxc.web[1]']);

    const plan = await ws.run(['plan']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).not.toContain('will be created');
    expect(plan.stdout).toMatch(/Plan: 0 to add, \d+ to change, 0 to destroy\.|No changes\./);
  });
});
