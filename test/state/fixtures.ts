import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
