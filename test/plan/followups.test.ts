/**
 * Engine follow-ups found in integration: completePlanned, drift of provider statistics,
 * replace_triggered_by, the running version in state, and sensitivity across whole-resource references.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Attrs } from '../../src/config/values.js';
import { applyPlan } from '../../src/plan/apply.js';
import { createPlan } from '../../src/plan/planner.js';
import type { ResourceProvider } from '../../src/resources/provider.js';
import { actions, change, errors, harness, newState } from './harness.js';

/** The host decides `value` when config leaves it unset (like a NIC's generated MAC) and keeps it. */
function hostDecidesValue(base: ResourceProvider): ResourceProvider {
  return {
    ...base,
    create: (ctx, planned) => base.create(ctx, { ...planned, value: planned.value ?? 'host-decided' }),
    completePlanned: (prior, planned) => ({ ...planned, value: planned.value ?? prior.value ?? null }),
  };
}

describe('completePlanned', () => {
  const hcl = (tag: string, withB = false) =>
    `resource "test_resource" "a" {\n name = "a"\n tags = { t = "${tag}" }\n}\n` +
    (withB ? `resource "test_resource" "b" {\n name = "b"\n value = test_resource.a.value\n}\n` : '');

  it('keeps host-decided values of an updated object, in the diff and for references', async () => {
    const h = harness({ wrap: hostDecidesValue });
    const { state } = await h.converge(hcl('one'), newState());
    const { plan } = await h.plan(hcl('two', true), state);
    const a = change(plan, 'test_resource.a');
    expect(a.action).toBe('update');
    expect(a.after!.value).toBe('host-decided');
    expect(a.changedPaths).toEqual([['tags']]);
    expect(change(plan, 'test_resource.b').after!.value).toBe('host-decided');
  });

  it('an unchanged object stays a no-op, and apply accepts the completed plan', async () => {
    const h = harness({ wrap: hostDecidesValue });
    const { state } = await h.converge(hcl('one'), newState());
    expect(actions((await h.plan(hcl('one'), state)).plan)).toEqual({ 'test_resource.a': 'no-op' });
    const applied = await h.converge(hcl('two'), state);
    expect(errors(applied.diagnostics)).toEqual([]);
    expect(h.objects().find((o) => o.name === 'a')!.value).toBe('host-decided');
  });
});

describe('drift', () => {
  const hcl = `resource "test_resource" "a" {\n name = "a"\n value = "v"\n}`;
  const touch = (h: ReturnType<typeof harness>, fields: Attrs) => {
    const objects = h.store.load();
    objects.a = { ...objects.a!, ...fields };
    h.store.save(objects);
  };

  it('a change of computed-only attributes is not drift, but state takes the new values', async () => {
    const h = harness();
    const { state } = await h.converge(hcl, newState());
    touch(h, { revision: 42 });
    const { plan, refreshed } = await h.plan(hcl, state);
    expect(plan.drift).toEqual([]);
    expect(refreshed.resources[0]!.attributes.revision).toBe(42);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'no-op' });
  });

  it('a change made by hand is drift, listing only the attributes that matter', async () => {
    const h = harness();
    const { state } = await h.converge(hcl, newState());
    touch(h, { revision: 42, value: 'by hand' });
    const { plan } = await h.plan(hcl, state);
    expect(plan.drift.map((d) => [d.address, d.action, d.changedPaths])).toEqual([['test_resource.a', 'update', [['value']]]]);
    expect(plan.drift[0]!.after!.value).toBe('by hand');
    expect(plan.drift[0]!.after!.revision).toBe(plan.drift[0]!.before.revision);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'update' });
  });

  it('a vanished object is drift', async () => {
    const h = harness();
    const { state } = await h.converge(hcl, newState());
    h.store.save({});
    const { plan } = await h.plan(hcl, state);
    expect(plan.drift.map((d) => [d.address, d.action])).toEqual([['test_resource.a', 'delete']]);
  });
});

describe('replace_triggered_by', () => {
  const hcl = (size: number, value: string) => `
resource "test_resource" "base" {
  name  = "base"
  size  = ${size}
  value = "${value}"
}
resource "test_resource" "whole" {
  name = "whole"
  lifecycle { replace_triggered_by = [test_resource.base] }
}
resource "test_resource" "attr" {
  name = "attr"
  lifecycle { replace_triggered_by = [test_resource.base.value] }
}
resource "test_resource" "plain" {
  name  = "plain"
  value = test_resource.base.name
}`;

  it('replaces the instance when the referenced instance is replaced', async () => {
    const h = harness();
    const { state } = await h.converge(hcl(1, 'v'), newState());
    const { plan } = await h.plan(hcl(2, 'v'), state);
    expect(actions(plan)).toEqual({
      'test_resource.base': 'replace',
      'test_resource.whole': 'replace',
      'test_resource.attr': 'no-op',
      'test_resource.plain': 'no-op',
    });
    expect(change(plan, 'test_resource.whole')).toMatchObject({ reason: 'replace_triggered_by', triggeredBy: 'test_resource.base' });
    expect(change(plan, 'test_resource.whole').dependencies).toEqual(['test_resource.base']);
    const applied = await h.apply(hcl(2, 'v'), plan, state);
    expect(errors(applied.diagnostics)).toEqual([]);
    expect(actions((await h.plan(hcl(2, 'v'), applied.state)).plan)).toEqual({
      'test_resource.base': 'no-op',
      'test_resource.whole': 'no-op',
      'test_resource.attr': 'no-op',
      'test_resource.plain': 'no-op',
    });
  });

  it('an attribute reference fires when that attribute changes; an in-place update of the whole does not', async () => {
    const h = harness();
    const { state } = await h.converge(hcl(1, 'v'), newState());
    const { plan } = await h.plan(hcl(1, 'w'), state);
    expect(actions(plan)).toMatchObject({ 'test_resource.base': 'update', 'test_resource.whole': 'no-op', 'test_resource.attr': 'replace' });
    expect(change(plan, 'test_resource.attr').triggeredBy).toBe('test_resource.base.value');
  });

  it('count.index selects the matching instance only', async () => {
    const h = harness();
    const hclCount = (sizes: number[]) => `
locals { sizes = [${sizes.join(', ')}] }
resource "test_resource" "guest" {
  count = 2
  name  = "guest-\${count.index}"
  size  = local.sizes[count.index]
}
resource "test_resource" "feature" {
  count = 2
  name  = "feature-\${count.index}"
  value = test_resource.guest[count.index].name
  lifecycle { replace_triggered_by = [test_resource.guest[count.index]] }
}`;
    const { state } = await h.converge(hclCount([1, 1]), newState());
    const { plan } = await h.plan(hclCount([1, 2]), state);
    expect(actions(plan)).toEqual({
      'test_resource.feature[0]': 'no-op',
      'test_resource.feature[1]': 'replace',
      'test_resource.guest[0]': 'no-op',
      'test_resource.guest[1]': 'replace',
    });
  });

  it('the loader accepts resource references only, and checks they are declared', () => {
    const load = (items: string) =>
      loadConfig([{ name: 'main.hcl', source: `variable "v" {}\nresource "test_resource" "a" {\n name = "a"\n lifecycle { replace_triggered_by = [${items}] }\n}\nresource "test_resource" "b" {\n name = "b"\n}` }]).diagnostics.map((d) => d.summary);
    expect(load('test_resource.b, test_resource.b.value')).toEqual([]);
    expect(load('var.v')).toEqual(['Invalid replace_triggered_by expression']);
    expect(load('test_resource.nope')).toEqual(['Reference to undeclared resource']);
    expect(load('test_resource.b[var.v]')).toEqual(['Invalid replace_triggered_by expression']);
  });
});

describe('phoenix_version', () => {
  it('plan and the state apply writes carry the running version, not the prior state\'s', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "a" {\n name = "a"\n}`;
    const old = { ...newState(), phoenix_version: '0.0.1' };
    const planned = await h.plan(hcl, old, {});
    expect(planned.plan.phoenix_version).toBe('0.0.1'); // no running version given: the state's
    const engine = {
      config: loadConfig([{ name: 'main.hcl', source: hcl }]).config,
      variables: {},
      registry: h.registry,
      nodes: new Map(),
      workingDir: '/work',
      readFile: () => '',
      phoenixVersion: '9.9.9',
    };
    const result = await createPlan({ ...engine, state: old, options: { mode: 'normal', refresh: true, targets: [], replace: [], parallelism: 2 } });
    expect(result.plan.phoenix_version).toBe('9.9.9');
    const written: string[] = [];
    const applied = await applyPlan({
      ...engine,
      plan: result.plan,
      state: result.refreshed,
      parallelism: 2,
      persist: async (s) => void written.push(s.phoenix_version),
      stop: new AbortController().signal,
      onEvent: () => {},
    });
    expect(errors(applied.diagnostics)).toEqual([]);
    expect(written.length).toBeGreaterThan(0);
    expect(new Set(written)).toEqual(new Set(['9.9.9']));
    expect(applied.state.phoenix_version).toBe('9.9.9');
  });
});

describe('-target', () => {
  it('outputs reading untargeted instances that do not exist yet are unknown, not errors', async () => {
    const h = harness();
    const hcl = `
resource "test_resource" "a" {
  name = "a"
}
resource "test_resource" "app" {
  for_each = toset(["x", "y"])
  name     = each.key
}
output "ids" {
  value = { for k in ["x", "y"] : k => test_resource.app[k].id }
}`;
    const { plan, diagnostics } = await h.plan(hcl, newState(), { targets: ['test_resource.a'] });
    expect(errors(diagnostics)).toEqual([]);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'create' });
    expect(plan.outputs.map((o) => o.name)).toEqual(['ids']);
  });
});

describe('sensitivity across whole-resource references', () => {
  const hcl = (output: string) => `
resource "test_resource" "app" {
  for_each = toset(["x", "y"])
  name     = each.key
  secret   = "s3cret-\${each.key}"
}
resource "test_resource" "worker" {
  count = 2
  name  = "w\${count.index}"
}
output "o" {
  value = ${output}
}`;
  const outcome = async (output: string) => {
    const { plan, diagnostics } = await harness().plan(hcl(output), newState());
    return { sensitive: plan.outputs.find((o) => o.name === 'o')?.sensitive, errors: errors(diagnostics) };
  };

  it('reading a non-sensitive attribute through for or a splat is not sensitive', async () => {
    expect(await outcome('{ for n, a in test_resource.app : n => a.name }')).toEqual({ sensitive: false, errors: [] });
    expect(await outcome('[for a in test_resource.app : upper(a.name) if a.name != "z"]')).toEqual({ sensitive: false, errors: [] });
    expect(await outcome('[for k, a in test_resource.app : k]')).toEqual({ sensitive: false, errors: [] });
    expect(await outcome('test_resource.worker[*].name')).toEqual({ sensitive: false, errors: [] });
  });

  it('reading a sensitive attribute, or the whole object, is sensitive', async () => {
    for (const expr of ['[for a in test_resource.app : a.secret]', '[for a in test_resource.app : a]', 'test_resource.app', '[for a in test_resource.app : a[a.name]]']) {
      const result = await outcome(expr);
      expect(result.sensitive, expr).toBe(true);
      expect(result.errors.join('\n'), expr).toMatch(/Output refers to sensitive values/);
    }
  });
});
