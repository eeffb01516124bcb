/**
 * Parallel clones of one source on a node that locks the source for the whole copy (pct clone: `lock:
 * disk`, see test/sim/clone-locks.test.ts): phoenix holds one key per clone source around the copy, so
 * the clones follow one another and the node refuses none of them — not even once before a retry.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCommandLog } from '../../src/sim/core/command-log.js';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { workspace, type Workspace } from './harness.js';

const HCL = `node "pve" {
  connection = "simulator"
}

resource "lxc" "base" {
  vmid       = 100
  hostname   = "base"
  ostemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  state      = "stopped"
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
}

resource "lxc" "copy" {
  count    = 3
  vmid     = 110 + count.index
  hostname = "copy\${count.index}"
  state    = "stopped"
  clone {
    source_vmid = lxc.base.vmid
    full        = true
  }
}
`;

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

describe('parallel full clones of one source', () => {
  it('run one after another and none is refused with "CT is locked (disk)"', async () => {
    ws = workspace({ 'main.hcl': HCL });
    const simDir = join(ws.dir, '.phoenix-sim');
    mkdirSync(simDir, { recursive: true });
    // Each 8 GiB copy lasts 8 × 0.4 s of real time: parallel clones would overlap.
    writeFileSync(join(simDir, 'sim.json'), JSON.stringify({ clone_s_per_gib: 20, second_ms: 20 }));
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(rejectedCommands(simDir)).toEqual([]);
    expect(readCommandLog(simDir).filter((e) => e.tool === 'pct' && e.args[0] === 'clone')).toHaveLength(3);
  }, 180_000);
});
