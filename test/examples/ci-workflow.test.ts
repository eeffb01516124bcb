/** examples/ci/phoenix.yml must be a valid GitHub Actions workflow doing the plan-review loop. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  'runs-on': string | string[];
  steps: Step[];
  permissions?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: Record<string, { branches: string[] }>;
  jobs: Record<string, Job>;
}

const text = readFileSync(new URL('../../examples/ci/phoenix.yml', import.meta.url), 'utf8');
const workflow = parse(text, { strict: true, uniqueKeys: true }) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
/** The majors that run on GitHub's current Node runtime for actions (Node 24). */
const CURRENT_MAJOR: Record<string, string> = {
  'actions/checkout': 'v6',
  'actions/setup-node': 'v6',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'actions/github-script': 'v8',
};
const stepUsing = (job: Job, action: string) => job.steps.find((s) => s.uses?.startsWith(`${action}@`));

describe('examples/ci GitHub Actions workflow', () => {
  it('parses as YAML into a workflow triggered by pull requests and pushes to main', () => {
    expect(workflow.on.pull_request!.branches).toEqual(['main']);
    expect(workflow.on.push!.branches).toEqual(['main']);
    for (const job of Object.values(workflow.jobs)) {
      expect(job['runs-on']).toBeTruthy();
      for (const step of job.steps) expect(Boolean(step.uses) !== Boolean(step.run), `step "${step.name}" has exactly one of uses/run`).toBe(true);
    }
  });

  it('plans pull requests with -detailed-exitcode into a saved plan and renders it as markdown', () => {
    const plan = workflow.jobs.plan!;
    expect(plan.if).toContain("github.event_name == 'pull_request'");
    expect(runs(plan)).toMatch(/phoenix plan -detailed-exitcode -lock-timeout=\d+m -out=plan\.out/);
    expect(runs(plan)).toContain('phoenix show -format=markdown plan.out > plan.md');
    // Exit code 2 (changes) must not fail the job; 1 (error) must.
    expect(plan.steps.find((s) => s.id === 'plan')!.run).toContain('set +e');
    expect(plan.steps.at(-1)).toMatchObject({ if: "steps.plan.outputs.exitcode == '1'", run: 'exit 1' });
  });

  it('uploads the plan file as an artifact and posts or updates the PR comment', () => {
    const plan = workflow.jobs.plan!;
    const upload = stepUsing(plan, 'actions/upload-artifact')!;
    expect(String(upload.with!.path)).toContain('plan.out');
    const comment = stepUsing(plan, 'actions/github-script')!;
    const script = String(comment.with!.script);
    expect(script).toContain("readFileSync('plan.md'");
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
    expect(plan.permissions!['pull-requests']).toBe('write');
  });

  it('applies the downloaded saved plan on merge to main, re-planning only when it went stale', () => {
    const apply = workflow.jobs.apply!;
    expect(apply.if).toContain("github.ref == 'refs/heads/main'");
    const download = stepUsing(apply, 'actions/download-artifact')!;
    expect(download.with!['run-id']).toBeTruthy();
    const applyStep = apply.steps.find((s) => s.run?.includes('phoenix apply'))!;
    expect(applyStep.run).toMatch(/phoenix apply -lock-timeout=\d+m plan\.out/);
    expect(apply.steps.indexOf(download)).toBeLessThan(apply.steps.indexOf(applyStep));
    for (const step of apply.steps.filter((s) => s.run?.includes('phoenix plan'))) expect(step.if).toBe("steps.apply.outputs.stale == 'true'");
    expect(workflow.jobs['apply-replanned']!.if).toBe("needs.apply.outputs.stale == 'true'");
  });

  it('runs on a self-hosted runner, with current action majors, secrets only in env and one apply at a time', () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(job['runs-on'], name).toEqual(['self-hosted', 'phoenix']);
      for (const step of job.steps) {
        expect(`${step.run ?? ''}${String(step.with?.script ?? '')}`, `${name}: ${step.name}`).not.toContain('secrets.');
        const [action, major] = (step.uses ?? '@').split('@');
        if (action) expect(`${action}@${major}`).toBe(`${action}@${CURRENT_MAJOR[action]}`);
      }
    }
    const groups = ['apply', 'apply-replanned'].map((name) => (workflow.jobs[name] as Job & { concurrency: { group: string } }).concurrency.group);
    expect(groups).toEqual(['phoenix-apply', 'phoenix-apply']);
    expect(text).not.toMatch(/npm install[^\n]*"phoenix@/);
    expect(text).toContain('phoenix-pve');
  });

  it('keeps the estate state in the pg backend, its connection string from a CI secret', () => {
    const source = readFileSync(new URL('../../examples/ci/backend.hcl', import.meta.url), 'utf8');
    const { config, diagnostics } = loadConfig([{ name: 'backend.hcl', source }]);
    expect(diagnostics).toEqual([]);
    expect(config.backend?.type).toBe('pg');
    expect(source).not.toMatch(/conn_str\s*=/);
    for (const job of Object.values(workflow.jobs)) {
      expect(String((job as Job & { env: Record<string, string> }).env.PHOENIX_PG_CONN_STR)).toBe('${{ secrets.PHOENIX_PG_CONN_STR }}');
    }
  });
});
