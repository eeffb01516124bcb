/**
 * `moved` blocks through the real CLI (test_resource objects): renames keep the object, Terraform's
 * rules are enforced, and a rename without a moved block is refused with the block to add.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from './harness.js';

const res = (name: string, objectName = name, extra = '') => `resource "test_resource" "${name}" {\n  name = "${objectName}"\n${extra}}\n`;
const moved = (from: string, to: string) => `moved {\n  from = ${from}\n  to   = ${to}\n}\n`;

interface Stored {
  name: string;
  id: string;
}

describe('moved blocks', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const objects = () => Object.values(JSON.parse(ws.read('test-store.json')) as Record<string, Stored>);

  it('a rename without a moved block is refused with the block that expresses it; with it, the object keeps its identity', async () => {
    ws = workspace({ 'main.hcl': res('db', 'db') });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const id = objects()[0]!.id;
    ws.write('main.hcl', res('database', 'db'));
    const refused = await ws.run(['apply', '-auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('test_resource.db would be destroyed and test_resource.database created with the same name "db"');
    expect(refused.stderr).toContain('moved {\n│   from = test_resource.db\n│   to   = test_resource.database\n│ }');
    expect(objects().map((o) => o.id)).toEqual([id]);
    expect(ws.stateAddresses()).toEqual(['test_resource.db']);

    ws.write('moved.hcl', moved('test_resource.db', 'test_resource.database'));
    const plan = await ws.run(['plan', '-detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('# test_resource.db has moved to test_resource.database');
    expect(plan.stdout).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
    expect((await ws.run(['plan', '-out=p.bin'])).code).toBe(0);
    const json = JSON.parse((await ws.run(['show', '-json', 'p.bin'])).stdout) as { resource_changes: { address: string; previous_address?: string }[] };
    expect(json.resource_changes).toContainEqual(expect.objectContaining({ address: 'test_resource.database', previous_address: 'test_resource.db' }));
    // The pull-request view lists the move too.
    const markdown = await ws.run(['show', '-format=markdown', 'p.bin']);
    expect(markdown.stdout).toContain('- `test_resource.db` → `test_resource.database`');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    expect(ws.stateAddresses()).toEqual(['test_resource.database']);
    expect(objects().map((o) => o.id)).toEqual([id]);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
  });

  it('a move with changes shows both; chains end at the last address; count instances move by key', async () => {
    ws = workspace({ 'main.hcl': res('a', 'a') + `resource "test_resource" "n" {\n  count = 2\n  name  = "n\${count.index}"\n}\n` });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    ws.write(
      'main.hcl',
      res('c', 'a', '  value = "changed"\n') +
        moved('test_resource.a', 'test_resource.b') +
        moved('test_resource.b', 'test_resource.c') +
        `resource "test_resource" "m" {\n  for_each = toset(["x"])\n  name     = "n1"\n}\n` +
        `resource "test_resource" "n" {\n  count = 1\n  name  = "n\${count.index}"\n}\n` +
        moved('test_resource.n[1]', 'test_resource.m["x"]'),
    );
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('# test_resource.c will be updated in-place\n  # (moved from test_resource.a)');
    expect(plan.stdout).toContain('# test_resource.n[1] has moved to test_resource.m["x"]');
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    expect(ws.stateAddresses()).toEqual(['test_resource.c', 'test_resource.m["x"]', 'test_resource.n[0]']);
  });

  it("enforces Terraform's rules: from still declared, cycles, ambiguous statements, type mismatch, moving onto an existing object", async () => {
    ws = workspace({ 'main.hcl': res('a') + res('b') });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const attempt = async (hcl: string) => {
      ws.write('main.hcl', hcl);
      const result = await ws.run(['plan']);
      expect(result.code).toBe(1);
      return result.stderr;
    };
    expect(await attempt(res('a') + res('b') + moved('test_resource.a', 'test_resource.c'))).toMatch(/Moved object still exists[\s\S]*move from test_resource\.a/);
    expect(await attempt(res('b') + moved('test_resource.a', 'test_resource.c') + moved('test_resource.c', 'test_resource.a'))).toMatch(
      /Cyclic dependency in move statements/,
    );
    expect(await attempt(res('c') + res('b') + moved('test_resource.a', 'test_resource.c') + moved('test_resource.a', 'test_resource.d'))).toMatch(
      /Ambiguous move statements/,
    );
    expect(await attempt(res('b') + moved('test_resource.a', 'lxc.a'))).toMatch(/Resource type mismatch/);
    expect(await attempt(res('b') + moved('test_resource.a', 'test_resource.b'))).toMatch(/Cannot move to an existing object[\s\S]*already holds an object at test_resource\.b/);
    expect(await attempt(res('b') + 'moved {\n  from = "test_resource.a"\n  to   = test_resource.c\n}\n')).toMatch(/Invalid address/);
    // Nothing was touched by any of the refused plans.
    expect(ws.stateAddresses()).toEqual(['test_resource.a', 'test_resource.b']);
    expect(objects().map((o) => o.name).sort()).toEqual(['a', 'b']);
  });

  it('state mv still renames by hand', async () => {
    ws = workspace({ 'main.hcl': res('a') });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    expect((await ws.run(['state', 'mv', 'test_resource.a', 'test_resource.z'])).code).toBe(0);
    ws.write('main.hcl', res('z', 'a'));
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
  });
});
