/**
 * examples/ci/phoenix.yml run as written: its jobs' steps in order (test/examples/actions-runner.ts),
 * phoenix installed from this repository as package "phoenix-pve", the estate on a simulated node and its
 * state in a real PostgreSQL (PHOENIX_TEST_PG_URL). Covers review → merge → apply, the PR comment updated
 * in place, and a saved plan gone stale: re-planned on the PR and applied after approval.
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertBuilt } from '../cli/harness.js';
import { testPostgresUrl } from '../helpers/pg.js';
import { FakeGitHub, runJob, type Settings, type Trigger, type Workflow } from './actions-runner.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const workflow = parse(readFileSync(join(ROOT, 'examples/ci/phoenix.yml'), 'utf8')) as Workflow;
const BUILD_STEP = 'Build phoenix';

const simDir = mkdtempSync(join(tmpdir(), 'phoenix-gha-node-'));
const schema = `ci_${process.pid}_${Date.now()}`;

/** The estate repository at one commit: the CI example's backend.hcl beside a one-container estate. */
function estate(memory: number, description: string): Record<string, string> {
  const backend = readFileSync(join(ROOT, 'examples/ci/backend.hcl'), 'utf8').replace('schema_name = "phoenix"', `schema_name = "${schema}"`);
  const main = `
node "pve" {
  connection    = "simulator"
  simulator_dir = "${simDir}"
}

variable "root_password" {
  type      = string
  sensitive = true
}

resource "lxc" "web" {
  vmid        = 310
  hostname    = "web"
  ostemplate  = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  memory      = ${memory}
  password    = var.root_password
  description = "${description}"
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
}
`;
  return { 'backend.hcl': backend, 'main.hcl': main };
}

function guestConfig(): string {
  return readFileSync(join(simDir, 'etc/pve/nodes/pve/lxc/310.conf'), 'utf8');
}

describe('examples/ci/phoenix.yml, run step by step', () => {
  let settings: Settings;
  let runId = 100;
  const trigger = (event: Trigger['event'], sha: string, files: Record<string, string>, pullRequest?: number): Trigger => ({
    event, sha, files, pullRequest, runId: ++runId,
  });

  beforeAll(async () => {
    assertBuilt();
    const url = await testPostgresUrl();
    settings = {
      github: new FakeGitHub(),
      secrets: { PHOENIX_PG_CONN_STR: url ?? '', PHOENIX_VAR_root_password: 'ci-secret-Pa55' },
      vars: { PHOENIX_REPOSITORY: 'ops/phoenix', PHOENIX_REF: 'v0.1.0' },
      phoenixTree: ROOT,
      // The tree under test is built already (`npm test` builds it; .ci/run runs this same `npm ci` and build).
      skip: { [BUILD_STEP]: 'built by the test run' },
    };
  });
  afterAll(() => rmSync(simDir, { recursive: true, force: true }));

  it('builds phoenix the way the README installs it (npm ci, then the build script)', () => {
    const build = workflow.jobs.plan!.steps.find((s) => s.name === BUILD_STEP)!;
    expect(build.run).toBe('npm ci --no-audit --no-fund && npm run build');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/^npm ci && npm run demo /m);
  });

  it('plans a PR, comments once and updates the comment, applies the reviewed plan on merge', { timeout: 300_000 }, async (context) => {
    if (!settings.secrets.PHOENIX_PG_CONN_STR) return context.skip();
    const v1 = estate(512, 'web v1');
    const plan = await runJob(workflow, 'plan', trigger('pull_request', 'pr1-a', v1, 1), settings);
    expect(plan.log).toContain('lxc.web will be created');
    expect(plan.conclusion, plan.log).toBe('success');
    expect(plan.ran).toContain('Install phoenix');
    const comments = settings.github.comments.get(1)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- phoenix-plan -->\n/);
    expect(comments[0]!.body).toContain('lxc.web');
    expect(comments[0]!.body).not.toContain('ci-secret-Pa55');

    const again = await runJob(workflow, 'plan', trigger('pull_request', 'pr1-b', v1, 1), settings);
    expect(again.conclusion, again.log).toBe('success');
    expect(settings.github.comments.get(1)).toHaveLength(1);

    settings.github.merges.set('main-1', { number: 1, head: { sha: 'pr1-b' }, merged_at: '2026-12-07T00:00:00Z' });
    const apply = await runJob(workflow, 'apply', trigger('push', 'main-1', v1), settings);
    expect(apply.conclusion, apply.log).toBe('success');
    expect(apply.outputs.stale).toBe('');
    expect(apply.log).toContain('Apply complete! Resources: 1 added');
    expect(guestConfig()).toContain('memory: 512');

    const replanned = await runJob(workflow, 'apply-replanned', trigger('push', 'main-1', v1), settings, { apply });
    expect(replanned.conclusion).toBe('skipped');
  });

  it('re-plans on the PR when its saved plan went stale, and applies the new plan after approval', { timeout: 300_000 }, async (context) => {
    if (!settings.secrets.PHOENIX_PG_CONN_STR) return context.skip();
    // PR 2 and PR 3 are reviewed against the same state; PR 3 is merged and applied first.
    const pr2 = await runJob(workflow, 'plan', trigger('pull_request', 'pr2', estate(1024, 'web v1'), 2), settings);
    const pr3 = await runJob(workflow, 'plan', trigger('pull_request', 'pr3', estate(512, 'web v2'), 3), settings);
    expect([pr2.conclusion, pr3.conclusion]).toEqual(['success', 'success']);
    settings.github.merges.set('main-2', { number: 3, head: { sha: 'pr3' }, merged_at: '2026-12-07T01:00:00Z' });
    const apply3 = await runJob(workflow, 'apply', trigger('push', 'main-2', estate(512, 'web v2')), settings);
    expect(apply3.conclusion, apply3.log).toBe('success');

    settings.github.merges.set('main-3', { number: 2, head: { sha: 'pr2' }, merged_at: '2026-12-07T02:00:00Z' });
    const merged = trigger('push', 'main-3', estate(1024, 'web v2'));
    const apply2 = await runJob(workflow, 'apply', merged, settings);
    expect(apply2.conclusion, apply2.log).toBe('success');
    expect(apply2.outputs).toEqual({ stale: 'true', pr: '2' });
    expect(guestConfig()).toContain('memory: 512');
    const replanComment = settings.github.comments.get(2)!.find((c) => c.body.startsWith('<!-- phoenix-replan -->'))!;
    expect(replanComment.body).toContain('The reviewed plan went stale');
    expect(replanComment.body).toContain('lxc.web');

    const approved = await runJob(workflow, 'apply-replanned', merged, settings, { apply: apply2 });
    expect(approved.conclusion, approved.log).toBe('success');
    expect(guestConfig()).toContain('memory: 1024');
    expect(guestConfig()).toContain('web v2');
  });
});
