/**
 * Parallel clones of one source on a node that locks the source for the whole copy (see
 * test/sim/clone-locks.test.ts): pct clone sets `lock: disk` on it, so phoenix holds one key per CT
 * source around the copy and the node refuses none of the clones — not even once before a retry. qm
 * clone holds the source's flock exclusively only while it runs: clones of a stopped VM or template
 * copy side by side, clones of a running one follow one another.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The workspace's simulated node copies an 8 GiB disk in 8 × 0.4 s of real time: parallel clones would overlap. */
function slowCopies(w: Workspace): string {
  const simDir = join(w.dir, '.phoenix-sim');
  mkdirSync(simDir, { recursive: true });
  writeFileSync(join(simDir, 'sim.json'), JSON.stringify({ clone_s_per_gib: 20, second_ms: 20 }));
  return simDir;
}

describe('parallel full clones of one source', () => {
  it('run one after another and none is refused with "CT is locked (disk)"', async () => {
    ws = workspace({ 'main.hcl': HCL });
    const simDir = slowCopies(ws);
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(rejectedCommands(simDir)).toEqual([]);
    expect(readCommandLog(simDir).filter((e) => e.tool === 'pct' && e.args[0] === 'clone')).toHaveLength(3);
  }, 180_000);
});

/** Resolves with true once every one of these VMs' configs says `lock: clone` at the same moment (copies overlap). */
async function allLockedAtOnce(simDir: string, vmids: number[], apply: Promise<unknown>): Promise<boolean> {
  let done = false;
  void apply.finally(() => (done = true));
  while (!done) {
    const locked = vmids.filter((vmid) => {
      try {
        return /^lock: clone$/m.test(readFileSync(join(simDir, `etc/pve/nodes/pve/qemu-server/${vmid}.conf`), 'utf8'));
      } catch {
        return false; // not written yet
      }
    });
    if (locked.length === vmids.length) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

const vmClones = (source: string) => `node "pve" {
  connection = "simulator"
}

${source}

resource "vm" "copy" {
  count = 2
  vmid  = 201 + count.index
  name  = "copy\${count.index}"
  state = "stopped"
  clone {
    source_vmid = 9000
    full        = true
  }
  depends_on = [vm.source]
}
`;

const sourceVm = (running: boolean) => `resource "vm" "source" {
  vmid     = 9000
  name     = "source"
  ${running ? 'state    = "running"' : 'template = true'}
  disks {
    slot    = "scsi0"
    storage = "local-zfs"
    size    = "8G"
  }
}`;

describe('parallel full clones of one VM (qm clone locks the source shared while it is stopped, exclusively while it runs)', () => {
  it('of a template: the copies run side by side', async () => {
    ws = workspace({ 'main.hcl': vmClones(sourceVm(false)) });
    const simDir = slowCopies(ws);
    const apply = ws.run(['apply', '-auto-approve']);
    expect(await allLockedAtOnce(simDir, [201, 202], apply)).toBe(true);
    const result = await apply;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(rejectedCommands(simDir)).toEqual([]);
  }, 180_000);

  it('of a running VM: one after another, none refused by the source lock', async () => {
    ws = workspace({ 'main.hcl': vmClones(sourceVm(true)) });
    const simDir = slowCopies(ws);
    const apply = ws.run(['apply', '-auto-approve']);
    expect(await allLockedAtOnce(simDir, [201, 202], apply)).toBe(false);
    const result = await apply;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(rejectedCommands(simDir)).toEqual([]);
    expect(readCommandLog(simDir).filter((e) => e.tool === 'qm' && e.args[0] === 'clone')).toHaveLength(2);
  }, 180_000);
});
