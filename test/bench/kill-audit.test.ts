import { describe, expect, it } from 'vitest';
import { Auditor, diagnosticNaming, emptyFigures } from '../../src/bench/kill-audit.js';
import type { NodeObject } from '../../src/bench/kill-node.js';
import type { StateFile } from '../../src/state/model.js';

const object = (proof: string | null, fingerprint = `print-${proof}`): NodeObject => ({ proof, fingerprint });

function state(resources: { address: string; type: string; attributes: Record<string, unknown>; owner?: string }[], pending: StateFile['pending'] = []): StateFile {
  return { resources, pending } as unknown as StateFile;
}

const ct700 = (owner: string) => ({ address: 'lxc.source', type: 'lxc', attributes: { vmid: 700 }, owner });

function newAuditor() {
  const figures = emptyFigures();
  const log: string[] = [];
  const standing = new Map([['ct:105', object(null, 'hand-made 105')]]);
  return { figures, log, auditor: new Auditor(figures, (line) => log.push(line), new Map([['ds:tank', object(null)]]), standing) };
}

describe('kill campaign audit', () => {
  it('counts an object outside state once, however many recoveries see it, and names it an orphan only at the end', () => {
    const { figures, auditor } = newAuditor();
    const node = new Map([['ds:tank', object(null)], ['ct:105', object(null, 'hand-made 105')], ['ct:700', object('T1')]]);
    for (let kill = 1; kill <= 5; kill++) auditor.afterRecovery(kill, node, state([]), 'Apply complete!', '');
    expect(figures.objects_outside_state_after_a_recovery).toBe(1);
    expect(figures.orphans_unexplained).toBe(0);
    auditor.afterFinalDestroy(node, undefined);
    expect(figures.orphans_unexplained).toBe(1);
    expect(figures.final_destroy_left_objects).toBe(1);
  });

  it('an object a later run records with its own proof was waiting, not orphaned; a new object at the same identity is another one', () => {
    const { figures, auditor } = newAuditor();
    const base = [['ds:tank', object(null)], ['ct:105', object(null, 'hand-made 105')]] as const;
    auditor.afterRecovery(1, new Map([...base, ['ct:700', object('T1')]]), state([]), '', '');
    auditor.afterRecovery(2, new Map([...base, ['ct:700', object('T1')]]), state([ct700('T1')]), '', '');
    expect(figures.adopted_later_with_proof).toBe(1);
    auditor.afterRecovery(3, new Map([...base, ['ct:700', object('T2')]]), state([]), '', '');
    auditor.afterFinalDestroy(new Map(base), state([]));
    expect(figures.objects_outside_state_after_a_recovery).toBe(2);
    expect(figures.orphans_unexplained).toBe(1);
    expect(figures.wrongly_adopted).toBe(0);
  });

  it('an orphan is explained when a diagnostic names its identity or the address that held it', () => {
    const { figures, auditor } = newAuditor();
    const base = [['ds:tank', object(null)], ['ct:105', object(null, 'hand-made 105')]] as const;
    auditor.afterRecovery(1, new Map([...base, ['ct:700', object('T1')]]), state([ct700('T1')]), '', '');
    const warning = '╷\n│ Warning: Object replaced outside phoenix\n│\n│   with lxc.source,\n╵\n';
    auditor.afterRecovery(2, new Map([...base, ['ct:700', object('T1')]]), state([]), 'No changes.', warning);
    auditor.afterFinalDestroy(new Map(base), state([]));
    expect(figures.orphans_explained).toBe(1);
    expect(figures.orphans_unexplained).toBe(0);
  });

  it('holds state to the proofs it recorded and the standing squatters to their fingerprints, each counted once', () => {
    const { figures, auditor } = newAuditor();
    const node = new Map([['ds:tank', object(null)], ['ct:105', object(null, 'changed by phoenix')], ['ct:700', object('someone else')]]);
    auditor.afterRecovery(1, node, state([ct700('T1')]), '', '');
    auditor.afterRecovery(2, node, state([ct700('T1')]), '', '');
    auditor.afterFinalDestroy(new Map([['ds:tank', object(null)]]), state([ct700('T1')]));
    expect(figures.wrongly_adopted).toBe(1);
    expect(figures.squatters_touched).toBe(1);
  });

  it('finds the diagnostics naming an identity, not other numbers that contain it', () => {
    const out = '╷\n│ Error: CT 7001 already exists\n╵\n╷\n│ Warning: Not adopted: lxc 700 on node pve\n╵\n';
    expect(diagnosticNaming(out, 'ct:700')).toBe('Warning: Not adopted: lxc 700 on node pve');
    expect(diagnosticNaming(out, 'ct:70')).toBeUndefined();
    expect(diagnosticNaming('plan: CT 700 will be created', 'ct:700')).toBeUndefined();
  });
});
