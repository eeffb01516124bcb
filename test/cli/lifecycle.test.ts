import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_BASIC, workspace, type Workspace } from './harness.js';

describe('plan / apply / destroy lifecycle on examples/basic', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());

  it('creates everything, reports no changes, updates one attribute, then destroys dependents first', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });

    const firstPlan = await ws.run(['plan', '-detailed-exitcode']);
    expect(firstPlan.code).toBe(2);
    expect(firstPlan.stdout).toContain('Plan: 7 to add, 0 to change, 0 to destroy.');
    expect(ws.exists('phoenix.state.json')).toBe(false);

    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 7 added, 0 changed, 0 destroyed.');
    expect(apply.stdout).toMatch(/test_resource\.network: Creation complete after \d+s \[id=tr-[0-9a-f]+\]/);
    expect(apply.stdout).toContain('Outputs:');
    expect(apply.stdout).toContain('db_password = <sensitive>');
    expect(ws.stateAddresses()).toEqual([
      'test_resource.app["api"]',
      'test_resource.app["web"]',
      'test_resource.database',
      'test_resource.monitor',
      'test_resource.network',
      'test_resource.worker[0]',
      'test_resource.worker[1]',
    ]);

    const secondPlan = await ws.run(['plan', '-detailed-exitcode']);
    expect(secondPlan.code).toBe(0);
    expect(secondPlan.stdout).toContain('No changes. Your infrastructure matches the configuration.');

    const networkId = (JSON.parse(ws.read('phoenix.state.json')) as { resources: { address: string; attributes: { id: string } }[] }).resources.find(
      (r) => r.address === 'test_resource.network',
    )!.attributes.id;
    ws.write('main.hcl', ws.read('main.hcl').replace('value = "10.10.0.0/24"', 'value = "10.20.0.0/24"'));
    const changed = await ws.run(['plan', '-detailed-exitcode']);
    expect(changed.code).toBe(2);
    expect(changed.stdout).toContain(
      [
        '  # test_resource.network will be updated in-place',
        '  ~ resource "test_resource" "network" {',
        `        id    = "${networkId}"`,
        '        name  = "demo-dev-network"',
        '      ~ value = "10.10.0.0/24" -> "10.20.0.0/24"',
        '        # (3 unchanged attributes hidden)',
        '    }',
      ].join('\n'),
    );
    expect(changed.stdout.match(/ will be /g)).toHaveLength(1);
    expect(changed.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');

    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.code).toBe(0);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 7 destroyed.');
    const destroyedAt = (address: string) => destroy.stdout.indexOf(`${address}: Destruction complete`);
    // Reverse dependency order: network <- database <- app <- monitor, database <- worker.
    expect(destroyedAt('test_resource.monitor')).toBeLessThan(destroyedAt('test_resource.app["api"]'));
    expect(destroyedAt('test_resource.app["web"]')).toBeLessThan(destroyedAt('test_resource.database'));
    expect(destroyedAt('test_resource.worker[1]')).toBeLessThan(destroyedAt('test_resource.database'));
    expect(destroyedAt('test_resource.database')).toBeLessThan(destroyedAt('test_resource.network'));
    expect(ws.stateAddresses()).toEqual([]);
    expect(JSON.parse(ws.read('test-store.json'))).toEqual({});
  });

  it('asks for approval and applies nothing unless the answer is yes', async () => {
    ws = workspace({ 'main.hcl': 'resource "test_resource" "a" {\n  name = "a"\n}\n' });
    const refused = await ws.run(['apply'], { stdin: 'no\n' });
    expect(refused.stdout).toContain('Do you want to perform these actions?');
    expect(refused.stdout).toContain('Enter a value:');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Apply cancelled.');
    expect(ws.exists('test-store.json')).toBe(false);

    const closed = await ws.run(['apply']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('-auto-approve');

    const approved = await ws.run(['apply'], { stdin: 'yes\n' });
    expect(approved.code).toBe(0);
    expect(ws.stateAddresses()).toEqual(['test_resource.a']);
  });

  it('exits 1 with -detailed-exitcode when the configuration is invalid', async () => {
    ws = workspace({ 'main.hcl': 'resource "test_resource" "a" {\n  name = "a"\n  colour = "red"\n}\n' });
    const result = await ws.run(['plan', '-detailed-exitcode']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: ');
    expect(result.stderr).toContain('on main.hcl line 3');
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
