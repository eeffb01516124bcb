/**
 * What a run killed at the wrong instant leaves next to the state — an empty lock file, a stale lock
 * with a takeover half done, temporary files — and the CLI runs that follow: none may be blocked.
 */
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deadPid } from '../state/children.js';
import { EXAMPLE_BASIC, until, workspace, type Workspace } from './harness.js';

const LOCK = 'phoenix.state.json.lock';
const spaces: Workspace[] = [];

function basic(): Workspace {
  const ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
  spaces.push(ws);
  return ws;
}

/** Sets a file's modification time `seconds` into the past. */
function age(ws: Workspace, name: string, seconds: number): void {
  const when = new Date(Date.now() - seconds * 1000);
  utimesSync(join(ws.dir, name), when, when);
}

async function staleLock(ws: Workspace): Promise<string> {
  const id = '0b7c6c9e-dead-4000-8000-000000000001';
  const info = { id, operation: 'apply', who: 'gone@test', host: hostname(), pid: await deadPid(), version: '0.1.0', created: new Date().toISOString() };
  writeFileSync(join(ws.dir, LOCK), JSON.stringify(info));
  return id;
}

const leftovers = (ws: Workspace): string[] => readdirSync(ws.dir).filter((n) => n.startsWith(`${LOCK}.`));

afterEach(() => spaces.splice(0).forEach((ws) => ws.remove()));

describe('lock files left by killed runs', () => {
  it('an empty lock file nobody writes any more is taken over, with a warning', async () => {
    const ws = basic();
    writeFileSync(join(ws.dir, LOCK), '');
    age(ws, LOCK, 30);
    const run = await ws.run(['plan', '-lock-timeout=0s']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Took over an unreadable state lock');
    expect(run.stderr).toContain('it is empty');
    expect(ws.exists(LOCK)).toBe(false);
  });

  it('a fresh empty lock file blocks, says how to remove it, and force-unlock removes it', async () => {
    const ws = basic();
    writeFileSync(join(ws.dir, LOCK), '');
    const blocked = await ws.run(['plan', '-lock-timeout=0s']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('cannot be read (it is empty)');
    expect(blocked.stderr).toContain('phoenix force-unlock -force unreadable');

    const unlocked = await ws.run(['force-unlock', '-force', 'unreadable']);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toContain('successfully unlocked');
    expect(unlocked.stderr).toContain('Removed an unreadable lock file');
    expect(ws.exists(LOCK)).toBe(false);
    expect((await ws.run(['plan', '-lock-timeout=0s'])).code).toBe(0);
  });

  it('force-unlock of a readable lock still needs its id', async () => {
    const ws = basic();
    await staleLock(ws);
    const refused = await ws.run(['force-unlock', '-force', 'some-other-id']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('does not match the existing lock ID');
    expect(ws.exists(LOCK)).toBe(true);
  });

  it('a takeover killed half way (old guard, tombstone, temporary file) never blocks the next run', async () => {
    const ws = basic();
    const id = await staleLock(ws);
    // What killed runs leave: the guard of an older phoenix's takeover, a tombstone of a rename-based
    // takeover, and a lock written under its temporary name but never linked into place.
    writeFileSync(join(ws.dir, `${LOCK}.takeover`), '');
    writeFileSync(join(ws.dir, `${LOCK}.stale-1-x`), JSON.stringify({ id }));
    writeFileSync(join(ws.dir, `${LOCK}.new-y`), '{"id":"y"}');
    for (const name of [`${LOCK}.stale-1-x`, `${LOCK}.new-y`, `${LOCK}.takeover`]) age(ws, name, 120);

    // -lock-timeout=0s: a run that had to wait for anything would fail instead.
    const run = await ws.run(['plan', '-lock-timeout=0s']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Took over a stale state lock');
    expect(run.stderr).toContain(id);
    expect(leftovers(ws)).toEqual([]);
    expect(existsSync(join(ws.dir, LOCK))).toBe(false);
  });
});

describe('plan -lock=false while an apply runs', () => {
  it('calls the running creates in progress, not interrupted, and the apply finishes undisturbed', async () => {
    const ws = workspace({
      'main.hcl': `
resource "lxc" "slow" {
  vmid       = 140
  hostname   = "slow"
  ostemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
}
`,
    });
    spaces.push(ws);
    // Every simulator command takes 4 s: the create is still running while the plan reads the state.
    mkdirSync(join(ws.dir, '.phoenix-sim'), { recursive: true });
    writeFileSync(join(ws.dir, '.phoenix-sim', 'sim.json'), JSON.stringify({ latency_ms: 4000 }));
    const apply = ws.start(['apply', '-auto-approve']);
    await apply.waitFor('lxc.slow: Creating...');
    // The create's pending record is durable before the host is asked (in the apply's state journal).
    const journal = 'phoenix.state.json.journal';
    await until(() => ws.exists(journal) && /"address":\s*"lxc\.slow"/.test(ws.read(journal)));
    const plan = await ws.run(['plan', '-lock=false', '-refresh=false']);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('Operations in progress in another run');
    expect(plan.stderr).toContain('create lxc.slow');
    expect(plan.stderr).toContain(`PID ${apply.child.pid}`);
    expect(plan.stderr).toContain('in progress in that run, not interrupted');
    expect(plan.stderr).not.toContain('from an interrupted create');
    // The apply finishes undisturbed and records its object.
    expect((await apply.result).code).toBe(0);
    expect(ws.stateAddresses()).toEqual(['lxc.slow']);
  }, 60_000);
});
