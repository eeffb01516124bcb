import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { planAsJson, renderPlanJson } from '../../src/render/json.js';
import { everyActionPlan } from './fixtures/every-action-plan.js';
import { change, plan, UNKNOWN } from './plan-fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema);

function byAddress(doc: ReturnType<typeof planAsJson>, address: string) {
  return doc.resource_changes.find((r) => r.address === address)!;
}

describe('JSON plan', () => {
  it('validates against the published schema', () => {
    const doc = JSON.parse(renderPlanJson(everyActionPlan())) as unknown;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema rejects what it should (it is not a schema that accepts anything)', () => {
    const doc = JSON.parse(renderPlanJson(everyActionPlan())) as { resource_changes: { change: { actions: string[] } }[]; summary: Record<string, unknown> };
    doc.resource_changes[0]!.change.actions = ['replace'];
    expect(validate(doc)).toBe(false);
    const missing = JSON.parse(renderPlanJson(everyActionPlan())) as Record<string, unknown>;
    delete missing.output_changes;
    expect(validate(missing)).toBe(false);
  });

  it('writes Terraform action lists, replacements in the order they happen', () => {
    const doc = planAsJson(
      plan({
        changes: [
          change({ address: 'a.create', action: 'create', after: {} }),
          change({ address: 'a.update', action: 'update', before: {}, after: {} }),
          change({ address: 'a.dbc', action: 'replace', replaceOrder: 'delete-before-create', before: {}, after: {} }),
          change({ address: 'a.cbd', action: 'replace', replaceOrder: 'create-before-destroy', before: {}, after: {} }),
          change({ address: 'a.delete', action: 'delete', before: {} }),
          change({ address: 'a.same', action: 'no-op', before: {}, after: {} }),
        ],
      }),
    );
    expect(doc.resource_changes.map((r) => [r.address, r.change.actions])).toEqual([
      ['a.create', ['create']],
      ['a.update', ['update']],
      ['a.dbc', ['delete', 'create']],
      ['a.cbd', ['create', 'delete']],
      ['a.delete', ['delete']],
      ['a.same', ['no-op']],
    ]);
  });

  it('never contains a sensitive value, only marks where one was', () => {
    const text = renderPlanJson(everyActionPlan());
    for (const secret of ['hunter1', 'hunter2', 'old-secret', 'new-secret', 's3cret']) expect(text).not.toContain(secret);
    const doc = planAsJson(everyActionPlan());
    const app = byAddress(doc, 'vm.app').change;
    expect(app.after).toMatchObject({ cloud_init: { user: 'ops', password: null } });
    expect(app.after_sensitive).toEqual({ cloud_init: { password: true } });
    expect(doc.output_changes.db_password).toMatchObject({ before: null, after: null, before_sensitive: true, after_sensitive: true });
  });

  it('marks values known only after apply in after_unknown', () => {
    const doc = planAsJson(everyActionPlan());
    const builder = byAddress(doc, 'vm.builder').change;
    expect(builder.after).toMatchObject({ vmid: null, ip_address: null, memory: 4096 });
    expect(builder.after_unknown).toEqual({ vmid: true, ip_address: true });
    expect(builder.before).toBeNull();
    expect(doc.output_changes.builder_ip!.after_unknown).toBe(true);
    const nested = planAsJson(plan({ changes: [change({ address: 'a.b', action: 'create', after: { list: ['x', UNKNOWN] } })] }));
    expect(nested.resource_changes[0]!.change.after_unknown).toEqual({ list: [false, true] });
  });

  it('carries replace and restart paths, reasons, drift and summary counts', () => {
    const doc = planAsJson(everyActionPlan());
    expect(byAddress(doc, 'lxc.db')).toMatchObject({ action_reason: 'replace_because_cannot_update', change: { replace_paths: [['rootfs']] } });
    expect(byAddress(doc, 'lxc.web').change.restart_paths).toEqual([['nameserver']]);
    expect(byAddress(doc, 'vm.old').action_reason).toBe('delete_because_no_resource_config');
    expect(doc.resource_drift.map((d) => [d.address, d.change.actions])).toEqual([
      ['lxc.web', ['update']],
      ['zfs_dataset.scratch', ['delete']],
    ]);
    expect(doc.summary).toEqual({ add: 2, change: 3, destroy: 3, restart: 2, no_op: 1 });
  });
});
