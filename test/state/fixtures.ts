import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DiagnosticError, type Diagnostic } from '../../src/config/diagnostics.js';
import { emptyState, type StateFile } from '../../src/state/model.js';

export async function tempStatePath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'phoenix-state-'));
  return join(dir, 'phoenix.state.json');
}

export function sampleState(serial: number, lineage = 'lineage-1'): StateFile {
  return {
    ...emptyState(lineage, '0.1.0'),
    serial,
    resources: [
      {
        address: 'lxc.web',
        type: 'lxc',
        name: 'web',
        provider: 'builtin',
        attributes: { vmid: 101, hostname: 'web', net: { ip: '10.0.0.2/24', bridge: 'vmbr0' } },
        sensitive_attributes: [['password']],
        dependencies: ['zfs_dataset.data'],
      },
    ],
    outputs: { ip: { value: '10.0.0.2', sensitive: false } },
  };
}

/** The first diagnostic a backend call was rejected with (fails the test if it resolved or threw something else). */
export async function rejectionDiagnostic(promise: Promise<unknown>): Promise<Diagnostic> {
  const failure = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(DiagnosticError);
  return (failure as DiagnosticError).diagnostics[0]!;
}

/** Summary and detail of that diagnostic as one text, for `toContain` / `toMatch` assertions. */
export async function rejectionText(promise: Promise<unknown>): Promise<string> {
  const diagnostic = await rejectionDiagnostic(promise);
  return `${diagnostic.summary}\n${diagnostic.detail ?? ''}`;
}
