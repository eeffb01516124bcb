import { describe, expect, it } from 'vitest';
import type { ApplyClock } from '../../src/plan/engine-types.js';
import type { ResourceProvider } from '../../src/resources/provider.js';
import { actions, change, errors, harness, newState } from './harness.js';

/** Records the order of provider operations as "create:a", "delete:b". */
function recordingOperations(log: string[]) {
  return (p: ResourceProvider): ResourceProvider => ({
    ...p,
    create: async (ctx, planned) => {
      log.push(`create:${String(planned.name)}`);
      return p.create(ctx, planned);
    },
    update: async (ctx, prior, planned, diff) => {
      log.push(`update:${String(planned.name)}`);
      return p.update(ctx, prior, planned, diff);
    },
    delete: async (ctx, prior) => {
      log.push(`delete:${String(prior.name)}`);
      return p.delete(ctx, prior);
    },
  });
}

const CHAIN = `
resource "test_resource" "a" { name = "a" }
resource "test_resource" "b" {
  name  = "b"
  value = test_resource.a.id
}
resource "test_resource" "c" {
  name       = "c"
  depends_on = [test_resource.b]
}`;

describe('apply', () => {
  it('creates in dependency order, resolves unknowns, records dependencies and outputs', async () => {
    const log: string[] = [];
    const h = harness({ wrap: recordingOperations(log) });
    const { state, diagnostics } = await h.converge(`${CHAIN}\noutput "b_value" { value = test_resource.b.value }`, newState());
    expect(errors(diagnostics)).toEqual([]);
    expect(log).toEqual(['create:a', 'create:b', 'create:c']);
    const a = state.resources.find((r) => r.address === 'test_resource.a')!;
    const b = state.resources.find((r) => r.address === 'test_resource.b')!;
    expect(b.attributes.value).toBe(a.attributes.id);
    expect(b.dependencies).toEqual(['test_resource.a']);
    expect(state.outputs.b_value).toEqual({ value: a.attributes.id, sensitive: false });
    expect(state.pending).toEqual([]);
  });

  it('persists before and after every create with increasing serials', async () => {
    const h = harness();
    await h.converge(CHAIN, newState());
    const serials = h.persisted.map((s) => s.serial);
    expect(serials).toEqual(serials.map((_, i) => i + 1));
    // 3 creates × (pending record + result) + the final write with outputs.
    expect(h.persisted).toHaveLength(7);
    const pendingWrites = h.persisted.filter((s) => s.pending.length > 0);
    expect(pendingWrites.map((s) => s.pending[0]!.address)).toEqual(['test_resource.a', 'test_resource.b', 'test_resource.c']);
    expect(pendingWrites[0]!.pending[0]).toMatchObject({ action: 'create', identity: { name: 'a' } });
    // Each resource is in state as soon as its create finished.
    expect(h.persisted[1]!.resources.map((r) => r.address)).toEqual(['test_resource.a']);
  });

  it('destroys in reverse dependency order', async () => {
    const log: string[] = [];
    const h = harness({ wrap: recordingOperations(log) });
    const { state } = await h.converge(CHAIN, newState());
    log.length = 0;
    const { plan } = await h.plan(CHAIN, state, { mode: 'destroy' });
    const applied = await h.apply(CHAIN, plan, state);
    expect(errors(applied.diagnostics)).toEqual([]);
    expect(log).toEqual(['delete:c', 'delete:b', 'delete:a']);
    expect(applied.state.resources).toEqual([]);
    expect(h.objects()).toEqual([]);
  });

  it('replaces delete-before-create by default and create-before-destroy with the lifecycle flag', async () => {
    for (const [lifecycle, expected] of [
      ['', ['delete:a', 'create:a', 'update:b']],
      ['lifecycle { create_before_destroy = true }', ['create:a2', 'update:b', 'delete:a']],
    ] as const) {
      const log: string[] = [];
      const h = harness({ wrap: recordingOperations(log) });
      const hcl = (size: number, name: string) => `
resource "test_resource" "a" {
  name = "${name}"
  size = ${size}
  ${lifecycle}
}
resource "test_resource" "b" {
  name  = "b"
  value = test_resource.a.id
}`;
      const { state } = await h.converge(hcl(1, 'a'), newState());
      log.length = 0;
      // create_before_destroy needs a different name: both objects exist for a moment.
      const next = hcl(2, lifecycle ? 'a2' : 'a');
      const { plan } = await h.plan(next, state);
      expect(change(plan, 'test_resource.a').replaceOrder).toBe(lifecycle ? 'create-before-destroy' : 'delete-before-create');
      const applied = await h.apply(next, plan, state);
      expect(errors(applied.diagnostics)).toEqual([]);
      expect(log).toEqual(expected);
      const a = applied.state.resources.find((r) => r.address === 'test_resource.a')!;
      expect(a.attributes.size).toBe(2);
      expect(applied.state.resources.find((r) => r.address === 'test_resource.b')!.attributes.value).toBe(a.attributes.id);
      expect(h.objects()).toHaveLength(2);
    }
  });

  it('a failed resource skips its dependents; independent ones complete and are recorded', async () => {
    const h = harness();
    const hcl = `
resource "test_resource" "bad" {
  name    = "bad"
  fail_on = "create"
}
resource "test_resource" "after_bad" {
  name  = "after_bad"
  value = test_resource.bad.id
}
resource "test_resource" "independent" { name = "independent" }`;
    const { plan } = await h.plan(hcl, newState());
    const applied = await h.apply(hcl, plan, newState());
    const status = Object.fromEntries(applied.results.map((r) => [r.address, r.status]));
    expect(status).toEqual({ 'test_resource.bad': 'failed', 'test_resource.after_bad': 'skipped', 'test_resource.independent': 'succeeded' });
    expect(errors(applied.diagnostics).join('\n')).toMatch(/create failed because fail_on = "create"/);
    expect(applied.state.resources.map((r) => r.address)).toEqual(['test_resource.independent']);
    // The host refused the create (nothing exists): no pending record is left behind.
    expect(applied.state.pending).toEqual([]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'skipped', address: 'test_resource.after_bad', because: 'test_resource.bad' }));
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'apply_errored', address: 'test_resource.bad' }));
  });

  it('a create that never reached the node (ssh could not connect) leaves no pending record; one whose outcome is unknown keeps it', async () => {
    const unreachable = 'ssh://root@10.0.0.2:22: ssh could not connect or authenticate (exit 255).';
    for (const [message, kept] of [[unreachable, 0], ['connection reset while cloning', 1]] as const) {
      const h = harness({
        wrap: (p) => ({
          ...p,
          create: async () => {
            throw new Error(message);
          },
          read: async () => {
            throw new Error(unreachable);
          },
        }),
      });
      const hcl = 'resource "test_resource" "a" { name = "a" }';
      const { plan } = await h.plan(hcl, newState());
      const applied = await h.apply(hcl, plan, newState());
      expect(applied.results.map((r) => r.status)).toEqual(['failed']);
      // Kept only when the node may hold the object; the next plan adopts it only with this create's proof.
      expect(applied.state.pending.map((p) => [p.address, typeof p.owner])).toEqual(kept ? [['test_resource.a', 'string']] : []);
    }
  });

  it('detects a config that evaluates differently at apply than at plan', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "a" {\n name = "a"\n script = file("setup.sh")\n}`;
    h.files['setup.sh'] = 'echo one\n';
    const { plan } = await h.plan(hcl, newState());
    h.files['setup.sh'] = 'echo two\n';
    const applied = await h.apply(hcl, plan, newState());
    expect(errors(applied.diagnostics).join('\n')).toMatch(/Inconsistent final plan.*script/s);
    expect(h.objects()).toEqual([]);
  });

  it('refuses a stale plan', async () => {
    const h = harness();
    const { plan } = await h.plan(CHAIN, newState());
    const applied = await h.apply(CHAIN, plan, { ...newState(), serial: 5 });
    expect(errors(applied.diagnostics).join('\n')).toMatch(/stale/);
    expect(h.objects()).toEqual([]);
  });

  it('after stop, running operations finish and nothing new starts', async () => {
    const stop = new AbortController();
    const h = harness({
      wrap: (p) => ({
        ...p,
        create: async (ctx, planned) => {
          const created = await p.create(ctx, planned);
          stop.abort(); // the first create finishes, then the operator presses Ctrl-C
          return created;
        },
      }),
    });
    const { plan } = await h.plan(CHAIN, newState());
    const applied = await h.apply(CHAIN, plan, newState(), { stop: stop.signal, parallelism: 1 });
    expect(applied.state.resources.map((r) => r.address)).toEqual(['test_resource.a']);
    expect(applied.results.filter((r) => r.status === 'cancelled').map((r) => r.address)).toEqual(['test_resource.b', 'test_resource.c']);
    expect(h.persisted.at(-1)!.resources.map((r) => r.address)).toEqual(['test_resource.a']);
  });

  it('reports progress on the injected clock and health checks after apply', async () => {
    let now = 0;
    const ticks: (() => void)[] = [];
    const clock: ApplyClock = {
      now: () => now,
      every: (_ms, tick) => {
        ticks.push(tick);
        return () => ticks.splice(ticks.indexOf(tick), 1);
      },
    };
    const h = harness({
      wrap: (p) => ({
        ...p,
        create: async (ctx, planned) => {
          now += 10_000;
          for (const tick of [...ticks]) tick();
          now += 5_000;
          return p.create(ctx, planned);
        },
      }),
    });
    const hcl = `resource "test_resource" "a" {\n name = "a"\n check_fails = true\n}`;
    const { plan } = await h.plan(hcl, newState());
    const applied = await h.apply(hcl, plan, newState(), { clock });
    expect(h.events).toContainEqual({ type: 'apply_progress', address: 'test_resource.a', action: 'create', elapsedMs: 10_000 });
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'apply_complete', address: 'test_resource.a', elapsedMs: 15_000 }));
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'health_check', address: 'test_resource.a', ok: false }));
    expect(errors(applied.diagnostics).join('\n')).toMatch(/Health check "exists" failed/);
    expect(applied.state.resources).toHaveLength(1); // a failed check does not undo the apply
    expect(ticks).toEqual([]);
  });

  it('plain deletes wait for dependents that stop using the object', async () => {
    const log: string[] = [];
    const h = harness({ wrap: recordingOperations(log) });
    const { state } = await h.converge(CHAIN, newState());
    log.length = 0;
    const without = `resource "test_resource" "a" { name = "a" }`;
    const { plan } = await h.plan(without, state);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'no-op', 'test_resource.b': 'delete', 'test_resource.c': 'delete' });
    await h.apply(without, plan, state);
    expect(log).toEqual(['delete:c', 'delete:b']);
  });
});
