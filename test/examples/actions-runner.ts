/**
 * A small GitHub Actions runner for examples/ci/phoenix.yml: runs a job's steps in order the way a
 * runner does — `run:` steps with `bash --noprofile --norc -eo pipefail`, `${{ }}` expressions, step `if:`
 * conditions, GITHUB_OUTPUT / GITHUB_PATH, job outputs — and stands in for the actions the workflow uses
 * (checkout, setup-node, upload/download-artifact) and for the GitHub API that `github-script` scripts
 * call, whose scripts it really runs. Only the expression forms the workflow uses are understood; anything
 * else throws, so the workflow cannot silently drift past what this tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
export interface Job {
  if?: string;
  needs?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
export interface Workflow {
  name: string;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

/** The GitHub side: pull requests, comments, workflow runs and their artifacts. */
export class FakeGitHub {
  readonly comments = new Map<number, { id: number; body: string; user: { type: string } }[]>();
  readonly merges = new Map<string, { number: number; head: { sha: string }; merged_at: string }>();
  readonly runs: { id: number; name: string; event: string; head_sha: string; conclusion: string }[] = [];
  readonly artifacts = new Map<string, string>();
  private nextId = 1;

  api() {
    const comments = (n: number) => this.comments.get(n) ?? this.comments.set(n, []).get(n)!;
    return {
      paginate: async (method: (args: unknown) => Promise<{ data: unknown[] }>, args: unknown) => (await method(args)).data,
      rest: {
        issues: {
          listComments: async ({ issue_number }: { issue_number: number }) => ({ data: [...comments(issue_number)] }),
          createComment: async ({ issue_number, body }: { issue_number: number; body: string }) =>
            comments(issue_number).push({ id: this.nextId++, body, user: { type: 'Bot' } }),
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            for (const list of this.comments.values()) for (const c of list) if (c.id === comment_id) c.body = body;
          },
        },
        repos: {
          listPullRequestsAssociatedWithCommit: async ({ commit_sha }: { commit_sha: string }) => ({
            data: this.merges.has(commit_sha) ? [this.merges.get(commit_sha)] : [],
          }),
        },
        actions: {
          listWorkflowRunsForRepo: async ({ event, head_sha }: { event: string; head_sha: string }) => ({
            data: { workflow_runs: this.runs.filter((r) => r.event === event && r.head_sha === head_sha && r.conclusion === 'success') },
          }),
        },
      },
    };
  }
}

export interface Trigger {
  event: 'pull_request' | 'push';
  sha: string;
  runId: number;
  pullRequest?: number;
  /** The repository's files at `sha`: what the estate checkout holds. */
  files: Record<string, string>;
}

export interface Settings {
  github: FakeGitHub;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  /** What `actions/checkout` with `repository: vars.PHOENIX_REPOSITORY` brings: this built phoenix tree. */
  phoenixTree: string;
  /** Steps not run, by name, with the reason (asserted by the caller). */
  skip: Record<string, string>;
}

export interface JobResult {
  conclusion: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  /** Names of the steps that ran, and the combined output of the run steps. */
  ran: string[];
  log: string;
}

export async function runJob(workflow: Workflow, name: string, trigger: Trigger, settings: Settings, needs: Record<string, JobResult> = {}): Promise<JobResult> {
  const job = workflow.jobs[name]!;
  const workspace = mkdtempSync(join(tmpdir(), 'phoenix-gha-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'phoenix-gha-temp-'));
  const steps: Record<string, Record<string, string>> = {};
  const env: Record<string, string> = {};
  const paths: string[] = [];
  const contexts = (): Record<string, unknown> => ({
    github: {
      event_name: trigger.event,
      ref: trigger.event === 'push' ? 'refs/heads/main' : `refs/pull/${trigger.pullRequest}/merge`,
      run_id: String(trigger.runId),
      token: 'gh-token',
      sha: trigger.sha,
      event: { pull_request: { number: trigger.pullRequest } },
    },
    secrets: settings.secrets,
    vars: settings.vars,
    env,
    steps: Object.fromEntries(Object.entries(steps).map(([id, outputs]) => [id, { outputs }])),
    needs: Object.fromEntries(Object.entries(needs).map(([id, result]) => [id, { outputs: result.outputs }])),
  });
  const result: JobResult = { conclusion: 'success', outputs: {}, ran: [], log: '' };
  if (job.if && !condition(job.if, contexts())) return { ...result, conclusion: 'skipped' };

  Object.assign(env, interpolateAll(workflow.env, contexts()), interpolateAll(job.env ?? {}, contexts()));
  for (const step of job.steps) {
    if (step.if && !condition(step.if, contexts())) continue;
    if (settings.skip[step.name]) continue;
    result.ran.push(step.name);
    const stepEnv = { ...env, ...interpolateAll(step.env ?? {}, contexts()) };
    const outputs: Record<string, string> = {};
    const ok = step.uses
      ? await useAction(step, interpolateAll(step.with ?? {}, contexts()), { workspace, trigger, settings, outputs, stepEnv })
      : runScript(interpolate(step.run!, contexts()), resolve(workspace, interpolate(step['working-directory'] ?? '.', contexts())), {
          stepEnv, runnerTemp, workspace, paths, outputs, result,
        });
    if (step.id) steps[step.id] = outputs;
    if (!ok) {
      result.conclusion = 'failure';
      break;
    }
  }
  result.outputs = interpolateAll(job.outputs ?? {}, contexts());
  if (trigger.event === 'pull_request' && result.conclusion === 'success') {
    settings.github.runs.push({ id: trigger.runId, name: workflow.name, event: trigger.event, head_sha: trigger.sha, conclusion: 'success' });
  }
  return result;
}

function runScript(
  script: string,
  cwd: string,
  io: { stepEnv: Record<string, string>; runnerTemp: string; workspace: string; paths: string[]; outputs: Record<string, string>; result: JobResult },
): boolean {
  const outputFile = join(io.runnerTemp, `output-${io.result.ran.length}`);
  const pathFile = join(io.runnerTemp, `path-${io.result.ran.length}`);
  writeFileSync(outputFile, '');
  writeFileSync(pathFile, '');
  const scriptFile = join(io.runnerTemp, `step-${io.result.ran.length}.sh`);
  writeFileSync(scriptFile, script);
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...io.stepEnv,
      PATH: [...io.paths, process.env.PATH].join(':'),
      CI: 'true',
      RUNNER_TEMP: io.runnerTemp,
      GITHUB_WORKSPACE: io.workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_PATH: pathFile,
    },
  });
  io.result.log += run.stdout + run.stderr;
  for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) io.outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  io.paths.unshift(...readFileSync(pathFile, 'utf8').split('\n').filter(Boolean).reverse());
  return run.status === 0;
}

interface ActionIo {
  workspace: string;
  trigger: Trigger;
  settings: Settings;
  outputs: Record<string, string>;
  stepEnv: Record<string, string>;
}

async function useAction(step: Step, inputs: Record<string, string>, io: ActionIo): Promise<boolean> {
  const [action, version] = step.uses!.split('@') as [string, string];
  const target = (...parts: string[]) => join(io.workspace, ...parts);
  switch (action) {
    case 'actions/checkout':
      if (inputs.repository === undefined) {
        for (const [path, content] of Object.entries(io.trigger.files)) {
          mkdirSync(dirname(target(path)), { recursive: true });
          writeFileSync(target(path), content);
        }
      } else {
        if (inputs.repository !== io.settings.vars.PHOENIX_REPOSITORY || !inputs.path) throw new Error(`unexpected checkout ${JSON.stringify(inputs)}`);
        symlinkSync(io.settings.phoenixTree, target(inputs.path));
      }
      return true;
    case 'actions/setup-node':
      return Number(inputs['node-version']) >= 20;
    case 'actions/upload-artifact': {
      const stored = mkdtempSync(join(tmpdir(), 'phoenix-gha-artifact-'));
      for (const path of String(inputs.path).split('\n').map((p) => p.trim()).filter(Boolean)) cpSync(target(path), join(stored, path));
      io.settings.github.artifacts.set(`${io.trigger.runId}/${inputs.name}`, stored);
      return true;
    }
    case 'actions/download-artifact': {
      const stored = io.settings.github.artifacts.get(`${inputs['run-id'] ?? io.trigger.runId}/${inputs.name}`);
      if (!stored) return false;
      cpSync(stored, io.workspace, { recursive: true });
      return true;
    }
    case 'actions/github-script':
      return githubScript(String(inputs.script), io);
    default:
      throw new Error(`no stand-in for ${action}@${version}`);
  }
}

/** Runs the script as github-script does: an async function of github, context, core, require. */
async function githubScript(script: string, io: ActionIo): Promise<boolean> {
  let failed: string | undefined;
  const core = { setOutput: (k: string, v: string) => (io.outputs[k] = v), setFailed: (m: string) => (failed = m) };
  const context = {
    repo: { owner: 'ops', repo: 'estate' },
    sha: io.trigger.sha,
    workflow: 'phoenix',
    payload: { pull_request: { number: io.trigger.pullRequest } },
  };
  // Relative paths resolve in the workspace, the action's working directory.
  const workspaceFs = { ...fs, readFileSync: (path: string, encoding: BufferEncoding) => readFileSync(resolve(io.workspace, path), encoding) };
  const requireStandIn = (name: string) => {
    if (name === 'node:fs' || name === 'fs') return workspaceFs;
    throw new Error(`github-script stand-in cannot require ${name}`);
  };
  const added = Object.keys(io.stepEnv).filter((key) => !(key in process.env));
  Object.assign(process.env, Object.fromEntries(added.map((key) => [key, io.stepEnv[key]])));
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;
  try {
    await new AsyncFunction('github', 'context', 'core', 'require', script)(io.settings.github.api(), context, core, requireStandIn);
  } finally {
    for (const key of added) delete process.env[key];
  }
  return failed === undefined;
}

function interpolateAll(values: Record<string, string | number>, contexts: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, interpolate(String(v), contexts)]));
}

function interpolate(text: string, contexts: Record<string, unknown>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => String(reference(expression, contexts) ?? ''));
}

function reference(path: string, contexts: Record<string, unknown>): unknown {
  if (!/^[a-z_]+(\.[A-Za-z0-9_-]+)+$/.test(path)) throw new Error(`expression not understood by the stand-in runner: ${path}`);
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], contexts);
}

/** `a == 'x' && b != 'y'` — the only condition forms the workflow uses. */
function condition(expression: string, contexts: Record<string, unknown>): boolean {
  return expression.split('&&').every((term) => {
    const match = /^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$/.exec(term);
    if (!match) throw new Error(`condition not understood by the stand-in runner: ${term}`);
    const value = String(reference(match[1]!, contexts) ?? '');
    return match[2] === '==' ? value === match[3] : value !== match[3];
  });
}

