/** Saved plan files: encode/decode round trip and the staleness check apply relies on. */
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/config/diagnostics.js';
import { isUnknown } from '../../src/config/values.js';
import { decodePlanFile, encodePlanFile, planStaleness } from '../../src/plan/planfile.js';
import { emptyState } from '../../src/state/model.js';
import { everyActionPlan } from '../render/fixtures/every-action-plan.js';

const state = { ...emptyState('3f0c1a52-9d4e-4b7a-8c61-2f5e0d9b7a10', '0.1.0'), serial: 4 };
const current = () => {
  const p = everyActionPlan();
  return { state: { lineage: p.prior_state.lineage, serial: p.prior_state.serial }, configHash: p.config_hash, variablesHash: p.variables_hash };
};

function decodeError(text: string): string {
  try {
    decodePlanFile(text, 'plan.out');
  } catch (e) {
    if (e instanceof DiagnosticError) return `${e.diagnostics[0]!.summary}: ${e.diagnostics[0]!.detail}`;
    throw e;
  }
  throw new Error('expected a DiagnosticError');
}

describe('plan files', () => {
  it('round-trip the plan and its prior state, unknown values included', () => {
    const decoded = decodePlanFile(encodePlanFile(everyActionPlan(), state), 'plan.out');
    const builder = decoded.plan.changes.find((c) => c.address === 'vm.builder')!;
    expect(isUnknown(builder.after!.vmid)).toBe(true);
    expect(isUnknown(decoded.plan.outputs.find((o) => o.name === 'builder_ip')!.after)).toBe(true);
    expect(JSON.parse(JSON.stringify(decoded.plan))).toEqual(JSON.parse(JSON.stringify(everyActionPlan())));
    expect(decoded.prior_state).toEqual(state);
  });

  it('name what is wrong with a file that is not a plan', () => {
    expect(decodeError('not json')).toBe('Invalid plan file: Cannot read plan.out: it is not a saved plan (not JSON). Create one with "phoenix plan -out=FILE".');
    expect(decodeError(JSON.stringify(state))).toContain('it is a state file, not a saved plan');
    const newer = JSON.parse(encodePlanFile(everyActionPlan(), state)) as { file_version: number };
    newer.file_version = 99;
    expect(decodeError(JSON.stringify(newer))).toContain('incompatible phoenix version (plan file version 99)');
  });

  it('accept a plan whose sources are unchanged', () => {
    expect(planStaleness(everyActionPlan(), current())).toEqual([]);
  });

  it('refuse a plan when the state moved on, naming both serials', () => {
    const diags = planStaleness(everyActionPlan(), { ...current(), state: { ...current().state, serial: 5 } });
    expect(diags.map((d) => d.detail)).toEqual([
      'Cannot apply this plan: the state changed since the plan was made: serial 4 → 5. Run "phoenix plan -out=FILE" again and review the new plan.',
    ]);
    expect(diags[0]!.severity).toBe('error');
  });

  it('refuse a plan for another state lineage, changed configuration or changed variables', () => {
    const reasons = planStaleness(everyActionPlan(), {
      state: { lineage: 'other', serial: 4 },
      configHash: 'changed',
      variablesHash: 'changed',
    }).map((d) => d.detail);
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toContain('lineage 3f0c1a52-9d4e-4b7a-8c61-2f5e0d9b7a10 → other');
    expect(reasons[1]).toContain('the configuration changed since the plan was made');
    expect(reasons[2]).toContain('the variable values changed since the plan was made');
  });
});
