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
  'runs-on': string;
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

  it('applies the downloaded saved plan on merge to main, without re-planning', () => {
    const apply = workflow.jobs.apply!;
    expect(apply.if).toContain("github.ref == 'refs/heads/main'");
    const download = stepUsing(apply, 'actions/download-artifact')!;
    expect(download.with!['run-id']).toBeTruthy();
    const commands = runs(apply);
    expect(commands).toMatch(/^phoenix apply -lock-timeout=\d+m plan\.out$/m);
    expect(commands).not.toMatch(/phoenix plan\b/);
    expect(apply.steps.indexOf(download)).toBeLessThan(apply.steps.findIndex((s) => s.run?.includes('phoenix apply')));
  });

  it('keeps the estate state in the pg backend, its connection string from a CI secret', () => {
    const source = readFileSync(new URL('../../examples/ci/backend.hcl', import.meta.url), 'utf8');
    const { config, diagnostics } = loadConfig([{ name: 'backend.hcl', source }]);
    expect(diagnostics).toEqual([]);
    expect(config.backend?.type).toBe('pg');
    expect(source).not.toMatch(/conn_str\s*=/);
    expect(String((workflow as unknown as { env: Record<string, string> }).env.PHOENIX_PG_CONN_STR)).toContain('secrets.');
  });
});
