/**
 * Engine follow-ups on examples/homelab and the simulator: no drift noise from dataset statistics,
 * generated MACs kept on update, features checked by their marker files, replace_triggered_by.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { copyExampleConfig } from '../helpers/example.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = resolve('dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'phoenix-followups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function phoenix(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, `-chdir=${dir}`, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

/** A command run on the simulated host, as an operator would by hand. */
function host(tool: 'pct' | 'qm', ...args: string[]): void {
  execFileSync(resolve(`dist/sim/bin/${tool}`), args, { env: { ...process.env, PHOENIX_SIM_DIR: join(dir, '.phoenix-sim') }, stdio: 'pipe' });
}

describe('examples/homelab: engine follow-ups', () => {
  it('plans without drift noise; reports real drift without touching generated MACs; checks feature markers', () => {
    copyExampleConfig(resolve('examples/homelab'), dir);
    phoenix('apply', '-auto-approve');

    // Dataset statistics move on every read: not drift.
    const quiet = phoenix('plan');
    expect(quiet).toContain('No changes.');
    expect(quiet).not.toContain('Objects have changed outside');

    // Memory changed by hand: drift and an update of memory only, the NIC's generated MAC is kept.
    host('pct', 'set', '211', '--memory', '3000');
    const drifted = phoenix('plan');
    expect(drifted).toContain('Objects have changed outside of phoenix');
    expect(drifted).toMatch(/~ memory\s+= 3000 -> 4096/);
    expect(drifted).not.toMatch(/hwaddr.*-> null/);
    expect(drifted).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    phoenix('apply', '-auto-approve');

    // A guest that lost a feature's marker (reinstalled) gets the feature again; a stopped guest is not asked.
    host('pct', 'exec', '212', '--', 'rm', '-f', '/etc/phoenix/features/docker.sha256');
    host('pct', 'exec', '213', '--', 'rm', '-f', '/etc/phoenix/features/docker.sha256');
    host('pct', 'stop', '213');
    const lost = phoenix('plan');
    expect(lost).toContain('# feature.app_docker["immich"] will be created');
    expect(lost).not.toContain('feature.app_docker["paperless"] will be created');
    expect(lost).not.toContain('feature.app_docker["jellyfin"]');
  }, 300_000);

  it('replacing the base container replaces its features and snapshot (replace_triggered_by)', () => {
    const plan = phoenix('plan', '-replace=lxc.base');
    for (const address of ['feature.docker', 'feature.nvidia', 'snapshot.base_final']) {
      expect(plan).toContain(`# ${address} will be replaced due to changes in replace_triggered_by (lxc.base)`);
    }
    expect(plan).not.toMatch(/# lxc\.app\["\w+"\] (must|will) be replaced/);
  }, 120_000);
});
