/**
 * Child process for lock tests: takes the state lock, prints its LockInfo as one JSON line, then
 * releases it when a line arrives on stdin (or holds it until killed).
 */
import { hostname } from 'node:os';
import { LocalBackend } from '../../../src/state/local.js';

const [statePath, operation = 'apply'] = process.argv.slice(2);
const backend = new LocalBackend(statePath!);
const handle = await backend.lock(
  { operation, who: 'child@test', host: hostname(), pid: process.pid, version: '0.1.0', created: new Date().toISOString() },
  10_000,
);
process.stdout.write(`${JSON.stringify(handle.info)}\n`);
process.stdin.once('data', async () => {
  await handle.release();
  process.exit(0);
});
