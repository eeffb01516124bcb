/** backup_job through the real CLI on the simulated node: pvesh create/set/delete /cluster/backup, read in one call. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';
import { simTool } from './sim-node.js';

function job(selection: string, extra = ''): string {
  return `
resource "backup_job" "nightly" {
  id            = "nightly"
  schedule      = "mon..fri 02:30"
  storage       = "local"
  ${selection}
  compress      = "zstd"
  prune_backups = { keep-daily = 7, keep-weekly = 4 }
  ${extra}
}
`;
}

describe('backup_job on the simulator', () => {
  let ws: Workspace;
  const jobsCfg = () => readFileSync(join(ws.dir, '.phoenix-sim/etc/pve/jobs.cfg'), 'utf8');
  beforeAll(() => {
    ws = workspace({ 'main.hcl': job('vmids = [101, 100]') });
  });
  afterAll(() => ws.remove());

  it('creates the job with pvesh and plans no changes afterwards', async () => {
    const applied = await ws.run(['apply', '-auto-approve']);
    expect(applied.code).toBe(0);
    // The comment carries phoenix's ownership proof, written by the create: the token state records, naming the job.
    const owner = (JSON.parse(ws.read('phoenix.state.json')) as { resources: { owner?: string }[] }).resources[0]?.owner;
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(jobsCfg()).toBe(
      'vzdump: nightly\n\tschedule mon..fri 02:30\n\tstorage local\n\tvmid 100,101\n\tmode snapshot\n\tcompress zstd\n\tprune-backups keep-daily=7,keep-weekly=4\n\tenabled 1\n' +
        `\tcomment [phoenix-owner ${owner} backup_job/nightly]\n`,
    );
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');
  });

  it('switches the selection to all with exclusions in place, and sees a job disabled by hand', async () => {
    ws.write('main.hcl', job('all = true\n  exclude = [100]', 'comment = "all but the router"'));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('backup_job.nightly will be updated in-place');
    await ws.run(['apply', '-auto-approve']);
    expect(jobsCfg()).toMatch(/\tall 1\n/);
    expect(jobsCfg()).toMatch(/\texclude 100\n/);
    expect(jobsCfg()).toMatch(/\tcomment all but the router \[phoenix-owner [0-9a-f-]{36} backup_job\/nightly\]\n/);
    expect(jobsCfg()).not.toMatch(/\tvmid /);
    expect(simTool(ws.dir, 'pvesh', 'set', '/cluster/backup/nightly', '--enabled', '0').code).toBe(0);
    expect((await ws.run(['plan'])).stdout).toMatch(/~ enabled += false -> true/);
    await ws.run(['apply', '-auto-approve']);
    ws.write('main.hcl', job('all = true'));
    await ws.run(['apply', '-auto-approve']);
    expect(jobsCfg()).not.toMatch(/exclude|all but the router/);
    expect(jobsCfg()).toMatch(/\tcomment \[phoenix-owner [0-9a-f-]{36} backup_job\/nightly\]\n/); // the proof stays
    expect((await ws.run(['plan'])).stdout).toContain('No changes.');
  });

  it('deletes the job on destroy', async () => {
    expect((await ws.run(['destroy', '-auto-approve'])).stdout).toContain('1 destroyed');
    expect(jobsCfg()).toBe('');
  });

  it('rejects two selections and a bad mode at validate', async () => {
    const bad = workspace({ 'main.hcl': job('vmids = [100]\n  all = true', 'mode = "fast"') });
    const result = await bad.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exactly one of `vmids`, `all = true` or `pool`');
    expect(result.stderr).toContain('mode "fast" is not one of snapshot, suspend, stop.');
    bad.remove();
  });
});

describe('pvesh /cluster/backup on the simulator', () => {
  it.each([
    [['create', '/cluster/backup', '--id', 'j1', '--schedule', 'daily'], '400 Parameter verification failed.\nvmid: property is missing\n'],
    [['create', '/cluster/backup', '--id', 'j1', '--schedule', 'daily', '--all', '1', '--vmid', '100'], "400 Parameter verification failed.\nall: option conflicts with option 'vmid'\n"],
    [['create', '/cluster/backup', '--id', 'j1', '--all', '1'], "400 Parameter verification failed.\nschedule: neither 'starttime' nor 'schedule' were set\n"],
    [['create', '/cluster/backup', '--id', 'j1', '--all', '1', '--schedule', 'at noon'], "400 Parameter verification failed.\nschedule: invalid format - invalid calendar event 'at noon' - unable to parse calendar event\npvesh create <api_path> [OPTIONS] [FORMAT_OPTIONS]\n"],
    [['create', '/cluster/backup', '--id', '1j', '--all', '1', '--schedule', 'daily'], "400 Parameter verification failed.\nid: invalid format - invalid configuration ID '1j'\npvesh create <api_path> [OPTIONS] [FORMAT_OPTIONS]\n"],
    [['set', '/cluster/backup/none', '--mode', 'stop'], 'no such vzdump job\n'],
    [['delete', '/cluster/backup/none'], "400 Parameter verification failed.\nid: No such job 'none'\n"],
    [['create', '/cluster/replication'], "no 'create' handler for '/cluster/replication'\n"],
  ])('pvesh %j fails as Proxmox does', async (args, stderr) => {
    const ws = workspace();
    const result = simTool(ws.dir, 'pvesh', ...(args as string[]));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe(stderr);
    ws.remove();
  });
});
