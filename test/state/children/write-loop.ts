/** Child process for crash tests: writes ever-newer states as fast as it can until it is killed. */
import { LocalBackend } from '../../../src/state/local.js';
import { emptyState } from '../../../src/state/model.js';

const [statePath] = process.argv.slice(2);
const backend = new LocalBackend(statePath!);
const state = emptyState('crash-lineage', '0.1.0');
// A few hundred kilobytes, so a write takes long enough to be killed in the middle of one.
state.resources = Array.from({ length: 1000 }, (_, i) => ({
  address: `lxc.ct[${i}]`,
  type: 'lxc',
  name: 'ct',
  index: i,
  provider: 'builtin',
  attributes: { description: 'x'.repeat(500), vmid: 1000 + i },
  sensitive_attributes: [],
  dependencies: [],
}));
for (let serial = 1; ; serial++) {
  state.serial = serial;
  await backend.write(state);
  if (serial === 3) process.stdout.write('writing\n');
}
