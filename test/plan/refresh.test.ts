import { describe, expect, it } from 'vitest';
import type { PendingOperation } from '../../src/state/model.js';
import { OWNER_KEY } from '../../src/resources/provider.js';
import { actions, change, errors, harness, newState } from './harness.js';

const ONE = `resource "test_resource" "a" {\n name = "a"\n value = "one"\n}`;

describe('refresh', () => {
  it('reports out-of-band edits as drift and plans to restore the config', async () => {
    const h = harness();
    const { state } = await h.converge(ONE, newState());
    const objects = h.store.load();
    const [id] = Object.keys(objects);
    objects[id!] = { ...objects[id!]!, value: 'edited by hand' };
    h.store.save(objects);

    const { plan, refreshed } = await h.plan(ONE, state);
    expect(plan.drift).toEqual([expect.objectContaining({ address: 'test_resource.a', action: 'update', changedPaths: [['value']] })]);
    expect(refreshed.resources[0]!.attributes.value).toBe('edited by hand');
    expect(change(plan, 'test_resource.a')).toMatchObject({ action: 'update', before: expect.objectContaining({ value: 'edited by hand' }) });
  });

  it('an object deleted out of band is drift and is created again', async () => {
    const h = harness();
    const { state } = await h.converge(ONE, newState());
    h.store.save({});
    const { plan, refreshed } = await h.plan(ONE, state);
    expect(plan.drift).toEqual([expect.objectContaining({ address: 'test_resource.a', action: 'delete', after: null })]);
    expect(refreshed.resources).toEqual([]);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'create' });
  });

  it('-refresh=false plans against the recorded state', async () => {
    const h = harness();
    const { state } = await h.converge(ONE, newState());
    h.store.save({});
    const { plan } = await h.plan(ONE, state, { refresh: false });
    expect(plan.drift).toEqual([]);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'no-op' });
  });

  it('reads each (type, node) group with one batched provider call', async () => {
    let calls = 0;
    const h = harness({
      wrap: (p) => ({
        ...p,
        read: async (ctx, requests) => {
          calls++;
          return p.read(ctx, requests);
        },
      }),
    });
    const hcl = `resource "test_resource" "n" {\n count = 5\n name = "n\${count.index}"\n}`;
    const { state } = await h.converge(hcl, newState());
    calls = 0;
    await h.plan(hcl, state);
    expect(calls).toBe(1);
  });
});

describe('pending records', () => {
  const pending = (action: 'create' | 'delete', name: string): PendingOperation => ({
    id: `p-${action}-${name}`,
    address: `test_resource.${name}`,
    type: 'test_resource',
    action,
    identity: { name },
    planned: { name, value: 'one' },
    dependencies: [],
    started_at: '2026-01-01T00:00:00Z',
  });

  it('a crashed create whose object carries its proof is adopted; one that left nothing is planned again', async () => {
    const h = harness();
    // Simulate a crash: the provider finished creating "a" (writing the create's proof token) but the
    // process died before recording it.
    await h.provider.create({ nodes: new Map(), progress: () => {}, signal: new AbortController().signal }, { name: 'a', value: 'one', [OWNER_KEY]: 'token-a' });
    const state = { ...newState(), pending: [{ ...pending('create', 'a'), owner: 'token-a' }, { ...pending('create', 'b'), owner: 'token-b' }] };
    const hcl = `${ONE}\nresource "test_resource" "b" { name = "b" }`;
    const { plan, refreshed, diagnostics } = await h.plan(hcl, state);
    expect(errors(diagnostics)).toEqual([]);
    expect(refreshed.pending).toEqual([]);
    expect(refreshed.resources.map((r) => [r.address, r.owner])).toEqual([['test_resource.a', 'token-a']]);
    expect(actions(plan)).toEqual({ 'test_resource.a': 'no-op', 'test_resource.b': 'create' });
    expect(change(plan, 'test_resource.b').reason).toBe('pending_create');
    expect(diagnostics.some((d) => d.severity === 'warning' && /Adopted/.test(d.summary))).toBe(true);
  });

  it('a crashed create whose identity holds an object without its proof is not adopted, and the plan says so', async () => {
    const h = harness();
    // Made outside phoenix (no token), or by another create (another token).
    await h.provider.create({ nodes: new Map(), progress: () => {}, signal: new AbortController().signal }, { name: 'a', value: 'hand-made' });
    await h.provider.create({ nodes: new Map(), progress: () => {}, signal: new AbortController().signal }, { name: 'b', value: 'x', [OWNER_KEY]: 'other' });
    const state = { ...newState(), pending: [{ ...pending('create', 'a'), owner: 'token-a' }, { ...pending('create', 'b'), owner: 'token-b' }] };
    const { refreshed, diagnostics } = await h.plan('', state);
    expect(refreshed.pending).toEqual([]);
    expect(refreshed.resources).toEqual([]);
    const warnings = diagnostics.filter((d) => d.severity === 'warning' && /Not adopted/.test(d.summary));
    expect(warnings.map((d) => d.subject)).toEqual(['test_resource.a', 'test_resource.b']);
    expect(warnings[0]!.detail).toMatch(/test_resource a exists.*left alone/s);
    expect(h.store.load().a!.value).toBe('hand-made');
  });

  it('a crashed delete: gone → dropped from state; still there → kept and deleted again', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "a" { name = "a" }\nresource "test_resource" "b" { name = "b" }`;
    const { state } = await h.converge(hcl, newState());
    // "a" was deleted on the host before the crash; "b" was not.
    const objects = h.store.load();
    for (const [id, o] of Object.entries(objects)) if (o.name === 'a') delete objects[id];
    h.store.save(objects);
    const crashed = { ...state, pending: [pending('delete', 'a'), pending('delete', 'b')] };
    const { plan, refreshed } = await h.plan('', crashed);
    expect(refreshed.pending).toEqual([]);
    expect(refreshed.resources.map((r) => r.address)).toEqual(['test_resource.b']);
    expect(actions(plan)).toEqual({ 'test_resource.b': 'delete' });
  });

  it('a create interrupted by a crash leaves a pending record the next plan resolves', async () => {
    const h = harness();
    const hcl = `resource "test_resource" "a" { name = "a" }`;
    const { plan } = await h.plan(hcl, newState());
    // The process "dies" right after the host created the object: only the pending record reached disk.
    let onDisk = newState();
    let writes = 0;
    await h.apply(hcl, plan, newState(), {
      persist: async (s) => {
        if (++writes > 1) throw new Error('killed');
        onDisk = s;
      },
    });
    const crash = onDisk;
    expect(crash.pending).toEqual([expect.objectContaining({ action: 'create', address: 'test_resource.a' })]);
    expect(crash.resources).toEqual([]);
    const next = await h.plan(hcl, crash);
    expect(next.refreshed.resources.map((r) => r.address)).toEqual(['test_resource.a']);
    expect(actions(next.plan)).toEqual({ 'test_resource.a': 'no-op' });
  });
});
