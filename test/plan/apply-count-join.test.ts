/**
 * Count-to-count references through apply, where tasks wait on joins: the order, failure skips, events
 * and state are those of one wait per pair, and no join shows anywhere a user can see.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceProvider } from '../../src/resources/provider.js';
import { countToCount } from '../helpers/count-to-count.js';
import { errors, harness, newState } from './harness.js';

const HCL = countToCount(-1);

/** Logs "create a0", "delete b2", … as the provider is called. */
function logging(log: string[]) {
  return (p: ResourceProvider): ResourceProvider => ({
    ...p,
    create: async (ctx, planned) => (log.push(`create ${String(planned.name)}`), p.create(ctx, planned)),
    delete: async (ctx, prior) => (log.push(`delete ${String(prior.name)}`), p.delete(ctx, prior)),
  });
}

/** Nothing a user sees may name a join (their ids start with NUL). */
function expectNoJoin(...seen: unknown[]): void {
  expect(JSON.stringify(seen)).not.toContain('\\u0000');
}

describe('apply with count-to-count references', () => {
  it('creates every a before any b and destroys every b before any a, recording the same dependencies', async () => {
    const log: string[] = [];
    const h = harness({ wrap: logging(log) });
    const { state, diagnostics } = await h.converge(HCL, newState());
    expect(errors(diagnostics)).toEqual([]);
    const lastA = Math.max(...log.map((l, i) => (l.startsWith('create a') ? i : -1)));
    const firstB = log.findIndex((l) => l.startsWith('create b'));
    expect(log).toHaveLength(6);
    expect(lastA).toBeLessThan(firstB);
    const a = ['test_resource.a[0]', 'test_resource.a[1]', 'test_resource.a[2]'];
    expect(state.resources.find((r) => r.address === 'test_resource.b[2]')!.dependencies).toEqual(a);
    expectNoJoin(h.events, state);

    log.length = 0;
    const { plan } = await h.plan(HCL, state, { mode: 'destroy' });
    const destroyed = await h.apply(HCL, plan, state);
    expect(errors(destroyed.diagnostics)).toEqual([]);
    const lastB = Math.max(...log.map((l, i) => (l.startsWith('delete b') ? i : -1)));
    expect(lastB).toBeLessThan(log.findIndex((l) => l.startsWith('delete a')));
    expect(destroyed.state.resources).toEqual([]);
    expectNoJoin(h.events, destroyed.results);
  });

  it('skips every b when one a fails, naming that a, while the other a-instances are made', async () => {
    const h = harness();
    const { plan } = await h.plan(countToCount(1), newState());
    const applied = await h.apply(countToCount(1), plan, newState());
    const status = Object.fromEntries(applied.results.map((r) => [r.address, r.status]));
    expect(status).toEqual({
      'test_resource.a[0]': 'succeeded',
      'test_resource.a[1]': 'failed',
      'test_resource.a[2]': 'succeeded',
      'test_resource.b[0]': 'skipped',
      'test_resource.b[1]': 'skipped',
      'test_resource.b[2]': 'skipped',
    });
    const skipped = h.events.filter((e) => e.type === 'skipped');
    expect(skipped.map((e) => e.type === 'skipped' && `${e.address} because ${e.because}`).sort()).toEqual([
      'test_resource.b[0] because test_resource.a[1]',
      'test_resource.b[1] because test_resource.a[1]',
      'test_resource.b[2] because test_resource.a[1]',
    ]);
    expect(applied.state.resources.map((r) => r.address)).toEqual(['test_resource.a[0]', 'test_resource.a[2]']);
    expectNoJoin(h.events, applied.results, applied.state);
  });
});
