/** The -json event stream: one JSON object per line, Terraform's machine-readable UI shape. */
import { describe, expect, it } from 'vitest';
import { createEventWriter } from '../../src/render/events.js';
import { everyActionPlan } from './fixtures/every-action-plan.js';

function capture() {
  const lines: string[] = [];
  const writer = createEventWriter((line) => lines.push(line), () => new Date('2026-11-25T12:00:00.000Z'));
  const events = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
  return { writer, lines, events };
}

describe('JSON event stream', () => {
  it('writes exactly one JSON object per line with the common fields', () => {
    const { writer, lines, events } = capture();
    writer.version('0.1.0');
    writer.plan(everyActionPlan());
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    for (const e of events()) {
      expect(e).toMatchObject({ '@module': 'phoenix.ui', '@timestamp': '2026-11-25T12:00:00.000Z' });
      expect(typeof e['@message']).toBe('string');
    }
    expect(events()[0]).toMatchObject({ type: 'version', phoenix: '0.1.0', ui: '1.0' });
  });

  it('streams drift, one planned_change per real change and the summary for a plan', () => {
    const { writer, events } = capture();
    writer.plan(everyActionPlan());
    const types = events().map((e) => e.type);
    expect(types).toEqual(['resource_drift', 'resource_drift', ...Array(7).fill('planned_change'), 'change_summary']);
    const db = events().find((e) => e.change?.resource?.addr === 'lxc.db')!;
    expect(db).toMatchObject({
      '@message': 'lxc.db: Plan to replace',
      change: { resource: { addr: 'lxc.db', resource_type: 'lxc', resource_name: 'db' }, action: 'replace', actions: ['delete', 'create'], reason: 'force_new' },
    });
    expect(events().find((e) => e.change?.resource?.addr === 'feature.docker["web"]')!.change.resource.resource_key).toBe('web');
    expect(events().at(-1)).toMatchObject({
      '@message': 'Plan: 2 to add, 3 to change, 3 to destroy.',
      changes: { add: 2, change: 3, destroy: 3, restart: 2, operation: 'plan' },
    });
  });

  it('maps apply events to hooks with elapsed time, ids and errors', () => {
    const { writer, events } = capture();
    writer.apply({ type: 'apply_start', address: 'lxc.web', action: 'create' });
    writer.apply({ type: 'apply_progress', address: 'lxc.web', action: 'create', elapsedMs: 10_400 });
    writer.apply({ type: 'apply_complete', address: 'lxc.web', action: 'create', elapsedMs: 12_000, id: 'pve/lxc/101' });
    writer.apply({ type: 'apply_errored', address: 'vm.db', action: 'update', elapsedMs: 3_000, error: 'qm set failed\nunable to parse value' });
    writer.apply({ type: 'skipped', address: 'feature.x', action: 'create', because: 'vm.db' });
    const [start, progress, complete, errored, skipped] = events();
    expect(start).toMatchObject({ type: 'apply_start', '@message': 'lxc.web: Creating...', hook: { resource: { addr: 'lxc.web' }, action: 'create' } });
    expect(progress).toMatchObject({ type: 'apply_progress', '@message': 'lxc.web: Still creating... [10s elapsed]', hook: { elapsed_seconds: 10 } });
    expect(complete).toMatchObject({ type: 'apply_complete', hook: { id_key: 'id', id_value: 'pve/lxc/101', elapsed_seconds: 12 } });
    expect(errored).toMatchObject({ '@level': 'error', type: 'apply_errored', '@message': 'vm.db: Modifications errored after 3s', hook: { error: 'qm set failed\nunable to parse value' } });
    expect(skipped).toMatchObject({ type: 'apply_skipped', hook: { because: 'vm.db' } });
  });

  it('reports outputs without sensitive values and diagnostics with their severity', () => {
    const { writer, events } = capture();
    writer.outputs({ ip: { value: '10.0.0.5', sensitive: false }, password: { value: 'hunter2', sensitive: true } });
    writer.diagnostic({ severity: 'error', summary: 'Saved plan is stale', detail: 'serial 4 → 5', subject: 'lxc.web' });
    writer.summary({ add: 1, change: 0, destroy: 2, restart: 0 }, 'apply');
    const [outputs, diagnostic, summary] = events();
    expect(JSON.stringify(outputs)).not.toContain('hunter2');
    expect(outputs!.outputs).toEqual({ ip: { sensitive: false, value: '10.0.0.5' }, password: { sensitive: true } });
    expect(diagnostic).toMatchObject({ '@level': 'error', '@message': 'Error: Saved plan is stale', diagnostic: { severity: 'error', detail: 'serial 4 → 5', address: 'lxc.web' } });
    expect(summary).toMatchObject({ '@message': 'Apply complete! Resources: 1 added, 0 changed, 2 destroyed.', changes: { operation: 'apply' } });
  });
});
