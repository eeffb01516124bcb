/** Flag groups shared by several commands, so `-var` or `-lock-timeout` mean the same thing everywhere. */
import type { FlagSpec } from './args.js';

export const COLOR_FLAGS: FlagSpec[] = [
  { name: 'no-color', kind: 'bool', description: 'Disable colours in the output.' },
];

export const VARIABLE_FLAGS: FlagSpec[] = [
  { name: 'var', kind: 'list', metavar: "'NAME=VALUE'", description: 'Set a value for an input variable. Repeatable.' },
  { name: 'var-file', kind: 'list', metavar: 'FILE', description: 'Load variable values from an HCL file. Repeatable.' },
];

export const STATE_FLAGS: FlagSpec[] = [
  { name: 'state', kind: 'string', metavar: 'PATH', description: 'Path of the local state file (default phoenix.state.json).' },
  { name: 'lock', kind: 'bool', default: true, description: "Take the state lock (default true). Don't disable unless you know no one else runs phoenix." },
  { name: 'lock-timeout', kind: 'duration', default: '0s', metavar: 'DURATION', description: 'How long to retry taking the state lock, e.g. 30s (default 0s).' },
];

export const PLANNING_FLAGS: FlagSpec[] = [
  { name: 'parallelism', kind: 'positive-int', default: 10, metavar: 'N', description: 'Run at most N operations at once (default 10).' },
  { name: 'target', kind: 'list', metavar: 'ADDRESS', description: 'Limit the run to this resource and its dependencies. Repeatable.' },
  { name: 'replace', kind: 'list', metavar: 'ADDRESS', description: 'Force the replacement of this resource instance. Repeatable.' },
  { name: 'refresh', kind: 'bool', default: true, description: 'Read the current state of every object from its host first (default true).' },
  { name: 'compact', kind: 'bool', description: 'Hide unchanged attributes in the plan.' },
];

export const AUTO_APPROVE_FLAG: FlagSpec = {
  name: 'auto-approve',
  kind: 'bool',
  description: 'Skip the interactive approval of the plan.',
};
