import { describe, expect, it } from 'vitest';
import { isUnknown } from '../../src/config/values.js';
import { actions, change, errors, harness, newState } from './harness.js';

const TWO = `
resource "test_resource" "base" {
  name  = "base"
  value = "one"
  size  = 1
}
resource "test_resource" "child" {
  name  = "child"
  value = test_resource.base.id
}
`;

describe('planner: classification', () => {
  it('plans creates for an empty state, with provider-computed values unknown', async () => {
    const h = harness();
    const { plan, diagnostics } = await h.plan(TWO, newState());
    expect(errors(diagnostics)).toEqual([]);
    expect(actions(plan)).toEqual({ 'test_resource.base': 'create', 'test_resource.child': 'create' });
    expect(isUnknown(change(plan, 'test_resource.base').after!.id)).toBe(true);
    // The reference resolves to the upstream's unknown id: "known after apply".
    expect(isUnknown(change(plan, 'test_resource.child').after!.value)).toBe(true);
    expect(change(plan, 'test_resource.child').dependencies).toEqual(['test_resource.base']);
    expect(plan.summary).toEqual({ add: 2, change: 0, destroy: 0, restart: 0 });
  });

  it('plans nothing after apply, an update for a changed value, a replace for a forceNew change', async () => {
    const h = harness();
    const { state } = await h.converge(TWO, newState());
    expect(h.objects()).toHaveLength(2);

    const again = await h.plan(TWO, state);
    expect(actions(again.plan)).toEqual({ 'test_resource.base': 'no-op', 'test_resource.child': 'no-op' });

    const updated = await h.plan(TWO.replace('"one"', '"two"'), state);
    expect(actions(updated.plan)).toEqual({ 'test_resource.base': 'update', 'test_resource.child': 'no-op' });
    expect(change(updated.plan, 'test_resource.base').changedPaths).toEqual([['value']]);

    const replaced = await h.plan(TWO.replace('size  = 1', 'size  = 2'), state);
    const base = change(replaced.plan, 'test_resource.base');
    expect(base.action).toBe('replace');
    expect(base.replacePaths).toEqual([['size']]);
    expect(base.replaceOrder).toBe('delete-before-create');
    expect(isUnknown(base.after!.id)).toBe(true);
    // The child reads the replaced resource's new id, unknown until apply: it must be updated.
    expect(change(replaced.plan, 'test_resource.child').action).toBe('update');
    expect(replaced.plan.summary).toEqual({ add: 1, change: 1, destroy: 1, restart: 0 });
  });

  it('notes attributes that need a restart', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "a" {\n name = "a"\n mode = "x"\n}`;
    const { state } = await h.converge(hcl, newState());
    const { plan } = await h.plan(hcl.replace('"x"', '"y"'), state);
    expect(change(plan, 'test_resource.a').restartPaths).toEqual([['mode']]);
    expect(plan.summary.restart).toBe(1);
  });

  it('deletes instances that are no longer in config', async () => {
    const h = harness();
    const { state } = await h.converge(TWO, newState());
    const { plan } = await h.plan(`resource "test_resource" "base" {\n name = "base"\n value = "one"\n size = 1\n}`, state);
    const child = change(plan, 'test_resource.child');
    expect(child.action).toBe('delete');
    expect(child.reason).toBe('not_in_config');
  });

  it('-replace forces replacement of a resource that has no changes', async () => {
    const h = harness();
    const { state } = await h.converge(TWO, newState());
    const { plan } = await h.plan(TWO, state, { replace: ['test_resource.base'] });
    expect(change(plan, 'test_resource.base').action).toBe('replace');
    expect(change(plan, 'test_resource.base').reason).toBe('replace_by_request');
  });

  it('honours ignore_changes', async () => {
    const h = harness();
    const hcl = (v: string) => `resource "test_resource" "a" {\n name = "a"\n value = "${v}"\n lifecycle { ignore_changes = [value] }\n}`;
    const { state } = await h.converge(hcl('one'), newState());
    const { plan } = await h.plan(hcl('two'), state);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'no-op' });
  });

  it('reports a provider validation error on known values', async () => {
    const h = harness();
    const { diagnostics } = await h.plan(`resource "test_resource" "a" {\n name = "a"\n fail_on = "explode"\n}`, newState());
    expect(errors(diagnostics).join('\n')).toMatch(/Invalid fail_on/);
  });
});

describe('planner: count and for_each', () => {
  const counted = (n: number) => `
resource "test_resource" "web" {
  count = ${n}
  name  = "web-\${count.index}"
}
resource "test_resource" "tagged" {
  for_each = { a = "1", b = "2" }
  name     = "t-\${each.key}"
  value    = each.value
}`;

  it('expands instances with indexed addresses', async () => {
    const h = harness();
    const { plan } = await h.plan(counted(2), newState());
    expect(Object.keys(actions(plan))).toEqual([
      'test_resource.tagged["a"]',
      'test_resource.tagged["b"]',
      'test_resource.web[0]',
      'test_resource.web[1]',
    ]);
    expect(change(plan, 'test_resource.tagged["b"]').after!.value).toBe('2');
    expect(change(plan, 'test_resource.web[1]').after!.name).toBe('web-1');
  });

  it('removing one instance deletes only that instance', async () => {
    const h = harness();
    const { state } = await h.converge(counted(3), newState());
    const { plan } = await h.plan(counted(2), state);
    expect(change(plan, 'test_resource.web[2]')).toMatchObject({ action: 'delete', reason: 'count_index' });
    expect(plan.summary).toEqual({ add: 0, change: 0, destroy: 1, restart: 0 });
  });

  it('an unknown count is an error', async () => {
    const h = harness();
    const { diagnostics } = await h.plan(
      `resource "test_resource" "a" {\n name = "a"\n}\nresource "test_resource" "b" {\n count = length(test_resource.a.id)\n name = "b"\n}`,
      newState(),
    );
    expect(errors(diagnostics).join('\n')).toMatch(/Invalid count argument.*known|cannot be determined until apply/s);
  });
});

describe('planner: graph', () => {
  it('a cycle is one error naming every member with its position', async () => {
    const h = harness();
    const hcl = `
resource "test_resource" "a" {
  name  = "a"
  value = test_resource.c.id
}
resource "test_resource" "b" {
  name  = "b"
  value = test_resource.a.id
}
resource "test_resource" "c" {
  name       = "c"
  depends_on = [test_resource.b]
}`;
    const { plan, diagnostics } = await h.plan(hcl, newState());
    const cycle = diagnostics.filter((d) => d.summary.startsWith('Cycle'));
    expect(cycle).toHaveLength(1);
    expect(cycle[0]!.summary).toContain('test_resource.a');
    expect(cycle[0]!.summary).toContain('test_resource.b');
    expect(cycle[0]!.summary).toContain('test_resource.c');
    expect(cycle[0]!.related!.map((r) => r.range.start.line).sort((x, y) => x - y)).toEqual([2, 6, 10]);
    expect(plan.changes).toEqual([]);
  });

  it('references through locals are dependencies', async () => {
    const h = harness();
    const hcl = `
locals { upstream = test_resource.a.id }
resource "test_resource" "a" { name = "a" }
resource "test_resource" "b" {
  name  = "b"
  value = local.upstream
}`;
    const { plan, diagnostics } = await h.plan(hcl, newState());
    expect(errors(diagnostics)).toEqual([]);
    expect(change(plan, 'test_resource.b').dependencies).toEqual(['test_resource.a']);
    expect(isUnknown(change(plan, 'test_resource.b').after!.value)).toBe(true);
  });
});

describe('planner: targets, prevent_destroy, destroy mode', () => {
  const THREE = `
resource "test_resource" "a" { name = "a" }
resource "test_resource" "b" {
  name  = "b"
  value = test_resource.a.id
}
resource "test_resource" "c" { name = "c" }`;

  it('-target plans the target and its dependencies only, with a warning', async () => {
    const h = harness();
    const { plan, diagnostics } = await h.plan(THREE, newState(), { targets: ['test_resource.b'] });
    expect(Object.keys(actions(plan))).toEqual(['test_resource.a', 'test_resource.b']);
    expect(diagnostics.some((d) => d.severity === 'warning' && /targeting/i.test(d.summary))).toBe(true);
  });

  it('-target in destroy mode destroys the target and what depends on it', async () => {
    const h = harness();
    const { state } = await h.converge(THREE, newState());
    const { plan } = await h.plan(THREE, state, { mode: 'destroy', targets: ['test_resource.a'] });
    expect(actions(plan)).toEqual({ 'test_resource.a': 'delete', 'test_resource.b': 'delete' });
  });

  it('prevent_destroy blocks a plan that would destroy or replace', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "keep" {\n name = "keep"\n size = 1\n lifecycle { prevent_destroy = true }\n}`;
    const { state } = await h.converge(hcl, newState());
    const replace = await h.plan(hcl.replace('size = 1', 'size = 2'), state);
    expect(errors(replace.diagnostics).join('\n')).toMatch(/cannot be destroyed/);
    // Points at the lifecycle block (line 4), not just the resource.
    expect(replace.diagnostics.find((d) => d.severity === 'error')!.range?.start.line).toBe(4);
    const destroy = await h.plan(hcl, state, { mode: 'destroy' });
    expect(errors(destroy.diagnostics).join('\n')).toMatch(/prevent_destroy/);
  });

  it('destroy mode deletes everything in state and removes outputs', async () => {
    const h = harness();
    const withOutput = `${THREE}\noutput "b_id" { value = test_resource.b.id }`;
    const { state } = await h.converge(withOutput, newState());
    expect(state.outputs.b_id?.value).toMatch(/^tr-/);
    const { plan } = await h.plan(withOutput, state, { mode: 'destroy' });
    expect(new Set(Object.values(actions(plan)))).toEqual(new Set(['delete']));
    expect(plan.summary.destroy).toBe(3);
    expect(plan.outputs).toEqual([expect.objectContaining({ name: 'b_id', action: 'delete' })]);
  });
});

describe('planner: outputs', () => {
  it('outputs are unknown until apply; sensitive outputs stay marked', async () => {
    const h = harness();
    const hcl = `
variable "password" {
  default   = "hunter2"
  sensitive = true
}
resource "test_resource" "a" {
  name   = "a"
  secret = var.password
}
output "id" { value = test_resource.a.id }
output "pw" {
  value     = var.password
  sensitive = true
}`;
    const { plan, diagnostics } = await h.plan(hcl, newState(), { variables: { password: 'hunter2' } });
    expect(errors(diagnostics)).toEqual([]);
    const id = plan.outputs.find((o) => o.name === 'id')!;
    expect(id.action).toBe('create');
    expect(isUnknown(id.after)).toBe(true);
    expect(plan.outputs.find((o) => o.name === 'pw')!.sensitive).toBe(true);
    expect(change(plan, 'test_resource.a').sensitivePaths).toContainEqual(['secret']);
  });
});
