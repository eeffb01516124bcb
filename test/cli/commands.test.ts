import { afterEach, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from './harness.js';

const TWO = `
resource "test_resource" "a" {
  name = "a"
}

resource "test_resource" "b" {
  name  = "b"
  value = test_resource.a.id
}

output "a_id" {
  value = test_resource.a.id
}

output "names" {
  value = [test_resource.a.name, test_resource.b.name]
}
`;

describe('state, output, import and fmt commands', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());

  it('output prints values as HCL, JSON or raw text', async () => {
    ws = workspace({ 'main.hcl': TWO });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const state = JSON.parse(ws.read('phoenix.state.json')) as { outputs: { a_id: { value: string } } };
    const id = state.outputs.a_id.value;

    const all = await ws.run(['output', '-json']);
    expect(JSON.parse(all.stdout)).toEqual({
      a_id: { sensitive: false, type: 'string', value: id },
      names: { sensitive: false, type: ['tuple', ['string', 'string']], value: ['a', 'b'] },
    });
    expect((await ws.run(['output', 'names'])).stdout).toBe('[\n  "a",\n  "b",\n]\n');
    expect((await ws.run(['output', '-raw', 'a_id'])).stdout).toBe(id);
    const missing = await ws.run(['output', 'a_ib']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Did you mean "a_id"?');
  });

  it('state mv renames an instance so the next plan has no changes, and state rm forgets it', async () => {
    ws = workspace({ 'main.hcl': TWO });
    await ws.run(['apply', '-auto-approve']);
    ws.write('main.hcl', TWO.replace('"test_resource" "b"', '"test_resource" "renamed"').replace('test_resource.b.name', 'test_resource.renamed.name'));
    const mv = await ws.run(['state', 'mv', 'test_resource.b', 'test_resource.renamed']);
    expect(mv.code).toBe(0);
    expect(mv.stdout).toContain('Move "test_resource.b" to "test_resource.renamed"');
    expect((await ws.run(['state', 'list'])).stdout).toBe('test_resource.a\ntest_resource.renamed\n');
    const plan = await ws.run(['plan', '-detailed-exitcode']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);

    const rm = await ws.run(['state', 'rm', 'test_resource.renamed']);
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain('Removed test_resource.renamed');
    expect(ws.stateAddresses()).toEqual(['test_resource.a']);
    // The object still exists: only phoenix forgot it.
    expect(Object.values(JSON.parse(ws.read('test-store.json')) as Record<string, { name: string }>).map((o) => o.name).sort()).toEqual(['a', 'b']);

    const unknown = await ws.run(['state', 'rm', 'test_resource.nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No matching objects found');
  });

  it('import adopts an existing object so that plan shows no changes', async () => {
    ws = workspace({ 'main.hcl': TWO });
    await ws.run(['apply', '-auto-approve']);
    const id = (JSON.parse(ws.read('phoenix.state.json')) as { resources: { address: string; attributes: { id: string } }[] }).resources.find(
      (r) => r.address === 'test_resource.b',
    )!.attributes.id;
    await ws.run(['state', 'rm', 'test_resource.b']);
    // The object exists but is no longer in state: the plan stops and names the import that adopts it.
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('name "b" is already taken on the node');
    expect(plan.stderr).toContain(`phoenix import test_resource.b b`);

    const imported = await ws.run(['import', 'test_resource.b', id]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Import successful!');
    expect(ws.stateAddresses()).toEqual(['test_resource.a', 'test_resource.b']);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);

    const again = await ws.run(['import', 'test_resource.b', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already managed');
  });

  it('fmt -check lists unformatted files and exits 3 without changing them; fmt fixes them', async () => {
    const ugly = 'resource "test_resource" "x" {\nname="x"\n    value = "y"\n}\n';
    ws = workspace({ 'main.hcl': ugly, 'good.hcl': 'resource "test_resource" "y" {\n  name = "y"\n}\n' });
    const check = await ws.run(['fmt', '-check']);
    expect(check.code).toBe(3);
    expect(check.stdout).toBe('main.hcl\n');
    expect(ws.read('main.hcl')).toBe(ugly);

    const diff = await ws.run(['fmt', '-check', '-diff']);
    expect(diff.stdout).toContain('-name="x"');
    expect(diff.stdout).toContain('+  name  = "x"');

    const fix = await ws.run(['fmt']);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toBe('main.hcl\n');
    expect(ws.read('main.hcl')).toBe('resource "test_resource" "x" {\n  name  = "x"\n  value = "y"\n}\n');
    expect((await ws.run(['fmt', '-check'])).code).toBe(0);
  });

  it('fmt leaves a file setting an argument twice alone and points at the second one, as terraform fmt refuses it', async () => {
    const twice = 'resource "test_resource" "x" {\nname="x"\n  name = "y"\n}\n';
    ws = workspace({ 'main.hcl': twice });
    const fix = await ws.run(['fmt', '-no-color']);
    expect(fix.code).not.toBe(0);
    expect(fix.stderr).toContain('Error: Duplicate argument');
    expect(fix.stderr).toContain('on main.hcl line 3, in resource "test_resource" "x":');
    expect(ws.read('main.hcl')).toBe(twice);
  });

  it('show prints the state and graph prints the dependency graph in DOT', async () => {
    ws = workspace({ 'main.hcl': TWO });
    expect((await ws.run(['show'])).stdout).toContain('The state file is empty.');
    await ws.run(['apply', '-auto-approve']);
    const show = await ws.run(['show']);
    expect(show.stdout).toContain('# test_resource.b:\nresource "test_resource" "b" {');
    expect(show.stdout).toContain('Outputs:\n\na_id = "tr-');
    const json = JSON.parse((await ws.run(['show', '-json'])).stdout) as { values: { root_module: { resources: { address: string }[] } } };
    expect(json.values.root_module.resources.map((r) => r.address)).toEqual(['test_resource.a', 'test_resource.b']);

    const graph = await ws.run(['graph']);
    expect(graph.stdout).toMatch(/^digraph phoenix \{/);
    expect(graph.stdout).toContain('"test_resource.a" -> "test_resource.b"');
    expect((await ws.run(['graph', '-format=svg'])).stderr).toContain('Invalid value for -format');
  });

  it('validate accepts a valid configuration and points at a misspelt argument', async () => {
    ws = workspace({ 'main.hcl': TWO });
    const ok = await ws.run(['validate']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Success! The configuration is valid.');
    expect(ws.exists('phoenix.state.json')).toBe(false);

    ws.write('main.hcl', TWO.replace('  name = "a"', '  name = "a"\n  valeu = "x"'));
    const bad = await ws.run(['validate']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('on main.hcl line 4, in resource "test_resource" "a":');
    expect(bad.stderr).toContain('4:   valeu = "x"');
    expect(bad.stderr).toContain('value');
  });

  it('check runs the health checks of managed objects and exits 1 when one fails', async () => {
    ws = workspace({ 'main.hcl': 'resource "test_resource" "ok" {\n  name = "ok"\n}\nresource "test_resource" "sick" {\n  name        = "sick"\n  check_fails = true\n}\n' });
    await ws.run(['apply', '-auto-approve']);
    const all = await ws.run(['check']);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/test_resource\.ok: Health check "\w+" passed/);
    expect(all.stdout).toMatch(/test_resource\.sick: Health check "\w+" failed/);
    const one = await ws.run(['check', 'test_resource.ok']);
    expect(one.code).toBe(0);
    expect(one.stdout).not.toContain('test_resource.sick');
  });

  it('an interrupt at the approval prompt cancels the apply', async () => {
    ws = workspace({ 'main.hcl': TWO });
    const run = ws.start(['apply']);
    await run.waitFor('Enter a value:');
    run.child.kill('SIGINT');
    const result = await run.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Apply cancelled.');
    expect(ws.exists('test-store.json')).toBe(false);
    expect(ws.exists('phoenix.state.json.lock')).toBe(false);
  });

  it('checks node blocks, and says when it falls back to the simulated node', async () => {
    ws = workspace({
      'main.hcl': 'resource "lxc" "web" {\n  vmid       = 101\n  hostname   = "web"\n  ostemplate = "local:vztmpl/debian-12.tar.zst"\n}\n',
    });
    const implicit = await ws.run(['plan']);
    expect(implicit.stderr).toContain('Note: no node block is configured; using the simulated Proxmox node "pve" in .phoenix-sim.');
    expect(implicit.stdout).toContain('# lxc.web will be created');

    ws.write('nodes.hcl', 'node "pve" {\n  connection  = "simulator"\n  max_paralel = 2\n}\n');
    const typo = await ws.run(['validate']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('on nodes.hcl line 3, in node "pve":');
    expect(typo.stderr).toContain('Did you mean "max_parallel"?');
  });
});
