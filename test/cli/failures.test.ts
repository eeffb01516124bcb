import { afterEach, describe, expect, it } from 'vitest';
import { countToCount } from '../helpers/count-to-count.js';
import { workspace, type Workspace } from './harness.js';

const FAILING = `
resource "test_resource" "base" {
  name    = "base"
  fail_on = "create"
}

resource "test_resource" "dependent" {
  name  = "dependent"
  value = test_resource.base.id
}

resource "test_resource" "independent" {
  name = "independent"
}
`;

describe('apply failures', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());

  it('skips the dependents of a failed resource while independent ones complete and are recorded', async () => {
    ws = workspace({ 'main.hcl': FAILING });
    const result = await ws.run(['apply', '-auto-approve']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('test_resource.base: Creation errored after');
    expect(result.stdout).toMatch(/Error: .*create failed because fail_on = "create"/);
    expect(result.stdout).toContain('test_resource.dependent: Skipped because test_resource.base failed');
    expect(result.stdout).toMatch(/test_resource\.independent: Creation complete after \d+s/);
    expect(result.stdout).toContain('Apply failed. Resources: 1 added, 0 changed, 0 destroyed; 1 failed, 1 skipped.');
    expect(result.stderr).toContain('Error: ');
    expect(ws.stateAddresses()).toEqual(['test_resource.independent']);

    // Fixing the config finishes the job: only the two missing objects are created.
    ws.write('main.hcl', FAILING.replace('fail_on = "create"', ''));
    const retry = await ws.run(['apply', '-auto-approve']);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
  });

  it('skips every instance of a count-to-count dependent when one instance fails, naming it, in text and JSON', async () => {
    ws = workspace({ 'main.hcl': countToCount(1) });
    const text = await ws.run(['apply', '-auto-approve']);
    expect(text.code).toBe(1);
    for (const i of [0, 1, 2]) expect(text.stdout).toContain(`test_resource.b[${i}]: Skipped because test_resource.a[1] failed`);
    expect(text.stdout).toContain('Apply failed. Resources: 2 added, 0 changed, 0 destroyed; 1 failed, 3 skipped.');
    expect(ws.stateAddresses()).toEqual(['test_resource.a[0]', 'test_resource.a[2]']);
    ws.write('main.hcl', countToCount(-1));
    const json = await ws.run(['apply', '-auto-approve', '-json']);
    expect(json.code).toBe(0);
    const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(events.filter((e) => e.type === 'apply_complete')).toHaveLength(4);
    // The joins apply waits on (ids starting with NUL) show nowhere.
    for (const seen of [text.stdout, text.stderr, json.stdout, json.stderr, ws.read('phoenix.state.json')]) expect(seen).not.toMatch(/\u0000|\\u0000/);
  });

  it('refuses a second concurrent run, naming the holder of the lock', async () => {
    ws = workspace({ 'main.hcl': 'resource "test_resource" "slow" {\n  name = "slow"\n}\n' });
    // The first run holds the lock while it waits for approval on its (still open) stdin.
    const first = ws.start(['apply']);
    await first.waitFor('Enter a value:');

    const second = await ws.run(['apply', '-auto-approve']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Error acquiring the state lock');
    expect(second.stderr).toContain('apply');
    expect(second.stderr).toContain(`PID:       ${first.child.pid}`);
    expect(second.stderr).toContain('phoenix force-unlock ');

    first.child.stdin!.end('yes\n');
    const firstResult = await first.result;
    expect(firstResult.code).toBe(0);
    expect(ws.exists('phoenix.state.json.lock')).toBe(false);
    expect(ws.stateAddresses()).toEqual(['test_resource.slow']);
  });

  it('force-unlock removes a lock left by a run on another machine', async () => {
    ws = workspace({ 'main.hcl': 'resource "test_resource" "a" {\n  name = "a"\n}\n' });
    const info = { id: 'lock-123', operation: 'apply', who: 'ops@elsewhere', host: 'elsewhere', pid: 4242, version: '0.1.0', created: '2026-01-01T00:00:00Z' };
    ws.write('phoenix.state.json.lock', JSON.stringify(info));

    const blocked = await ws.run(['plan']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('ops@elsewhere');
    expect(blocked.stderr).toContain('phoenix force-unlock lock-123');

    const unconfirmed = await ws.run(['force-unlock', 'lock-123']);
    expect(unconfirmed.code).toBe(1);
    expect(ws.exists('phoenix.state.json.lock')).toBe(true);

    const unlocked = await ws.run(['force-unlock', '-force', 'lock-123']);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toContain('phoenix state has been successfully unlocked!');
    expect(ws.exists('phoenix.state.json.lock')).toBe(false);
    expect((await ws.run(['plan'])).code).toBe(0);
  });

  it('refuses a corrupt state file and leaves it byte-for-byte intact', async () => {
    ws = workspace({ 'main.hcl': 'resource "test_resource" "a" {\n  name = "a"\n}\n' });
    const garbage = '{"format_version": 1, "serial": 3, "resources": [ {"address": \n';
    ws.write('phoenix.state.json', garbage);
    for (const args of [['plan'], ['apply', '-auto-approve']]) {
      const result = await ws.run(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Failed to load state');
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(ws.read('phoenix.state.json')).toBe(garbage);
    }
    expect(ws.exists('test-store.json')).toBe(false);
  });

  it('on the first SIGINT lets running operations finish, saves state, starts nothing new and exits 1', async () => {
    ws = workspace({
      'main.hcl': `
resource "test_resource" "first" {
  name     = "first"
  sleep_ms = 3000
}

resource "test_resource" "second" {
  name  = "second"
  value = test_resource.first.id
}
`,
    });
    const run = ws.start(['apply', '-auto-approve']);
    await run.waitFor('test_resource.first: Creating...');
    run.child.kill('SIGINT');
    const result = await run.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Interrupt received.');
    expect(result.stderr).toContain('Gracefully shutting down...');
    expect(result.stdout).toMatch(/test_resource\.first: Creation complete after/);
    expect(result.stdout).not.toContain('test_resource.second: Creating...');
    expect(ws.stateAddresses()).toEqual(['test_resource.first']);
    expect(ws.exists('phoenix.state.json.lock')).toBe(false);

    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
  });
});
