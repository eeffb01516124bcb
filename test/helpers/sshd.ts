/**
 * The real sshd for tests (started by src/bench/sshd.ts, shared with the hostile-input campaign).
 * When sshd is not installed: under CI this fails loudly; elsewhere `sshdAvailable()` is false after a loud
 * warning and the caller skips its ssh tests.
 */
import { existsSync } from 'node:fs';
import { SSHD } from '../../src/bench/sshd.js';

export { authenticationCount, startSshd, type TestSshd } from '../../src/bench/sshd.js';

export function sshdAvailable(): boolean {
  if (existsSync(SSHD)) return true;
  const message = 'SKIPPED: sshd not installed — apt-get install openssh-server';
  if (process.env.CI) throw new Error(`${message} (required under CI)`);
  console.warn(`\n${'!'.repeat(72)}\n${message}\n${'!'.repeat(72)}\n`);
  return false;
}
