/**
 * End-to-end (the real CLI on examples/basic): plan -out → apply FILE applies exactly that plan;
 * a state or configuration change in between makes apply refuse and say why; show renders a saved
 * plan as JSON (valid against the published schema) and markdown; -json streams events.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_BASIC, workspace, type Workspace } from './harness.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema);

describe('saved plans end to end', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());

  it('applies a saved plan exactly, without asking, and shows it as JSON and markdown', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    const plan = await ws.run(['plan', '-detailed-exitcode', '-out=plan.out']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Plan: 7 to add, 0 to change, 0 to destroy.');
    expect(plan.stdout).toContain('Saved the plan to: plan.out');
    expect(ws.exists('phoenix.state.json')).toBe(false);

    const json = await ws.run(['show', '-json', 'plan.out']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { resource_changes: { address: string; change: { actions: string[] } }[] };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.resource_changes.map((r) => r.change.actions)).toEqual(Array(7).fill(['create']));
    expect(json.stdout).not.toContain('change-me'); // the sensitive db_password default

    const markdown = await ws.run(['show', '-format=markdown', 'plan.out']);
    expect(markdown.stdout).toContain('**Plan: 7 to add, 0 to change, 0 to destroy.**');
    expect(markdown.stdout).toContain('<b>test_resource.database</b> will be created');
    expect(markdown.stdout).not.toContain('change-me');

    const human = await ws.run(['show', 'plan.out']);
    expect(human.stdout).toContain('# test_resource.network will be created');

    // No stdin: apply must not ask.
    const apply = await ws.run(['apply', 'plan.out'], { stdin: '' });
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 7 added, 0 changed, 0 destroyed.');
    expect(apply.stdout).not.toContain('Do you want to perform these actions?');
    expect(ws.stateAddresses()).toHaveLength(7);

    const again = await ws.run(['plan', '-detailed-exitcode']);
    expect(again.code).toBe(0);
  });

  it('refuses a plan when the state changed since, naming the serials', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const serial = (JSON.parse(ws.read('phoenix.state.json')) as { serial: number }).serial;
    ws.write('main.hcl', ws.read('main.hcl').replace('value = "10.10.0.0/24"', 'value = "10.20.0.0/24"'));
    expect((await ws.run(['plan', '-out=plan.out'])).code).toBe(0);

    expect((await ws.run(['state', 'rm', 'test_resource.monitor'])).code).toBe(0);
    const apply = await ws.run(['apply', 'plan.out']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Saved plan is stale');
    expect(apply.stderr).toContain(`the state changed since the plan was made: serial ${serial} → ${serial + 1}`);
    expect(apply.stdout).not.toContain('Modifying...');

    const applyJson = await ws.run(['apply', '-json', 'plan.out']);
    expect(applyJson.code).toBe(1);
    const diagnostic = applyJson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; diagnostic?: { detail: string } }).find((e) => e.type === 'diagnostic');
    expect(diagnostic?.diagnostic?.detail).toContain(`serial ${serial} → ${serial + 1}`);
  });

  it('refuses a plan when the configuration or the variables changed since', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    expect((await ws.run(['plan', '-out=plan.out'])).code).toBe(0);

    ws.write('main.hcl', `${ws.read('main.hcl')}\n# a comment is a change of the configuration too\n`);
    const configChanged = await ws.run(['apply', 'plan.out']);
    expect(configChanged.code).toBe(1);
    expect(configChanged.stderr).toContain('the configuration changed since the plan was made');

    ws.write('main.hcl', ws.read('main.hcl').replace('\n# a comment is a change of the configuration too\n', ''));
    const varsChanged = await ws.run(['apply', '-var', 'worker_count=3', 'plan.out']);
    expect(varsChanged.code).toBe(1);
    expect(varsChanged.stderr).toContain('the variable values changed since the plan was made');
    expect(ws.exists('test-store.json')).toBe(false);
  });

  it('names a file that is not a saved plan', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    ws.write('notes.txt', 'hello');
    const result = await ws.run(['apply', 'notes.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid plan file');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('streams one JSON event per line for plan -json and apply -json', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    const plan = await ws.run(['plan', '-json', '-out=plan.out']);
    expect(plan.code).toBe(0);
    const planEvents = plan.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; changes?: { add: number } });
    expect(planEvents[0]!.type).toBe('version');
    expect(planEvents.filter((e) => e.type === 'planned_change')).toHaveLength(7);
    expect(planEvents.at(-1)).toMatchObject({ type: 'change_summary', changes: { add: 7 } });

    const apply = await ws.run(['apply', '-json', 'plan.out']);
    expect(apply.code).toBe(0);
    const types = apply.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.filter((t) => t === 'apply_start')).toHaveLength(7);
    expect(types.filter((t) => t === 'apply_complete')).toHaveLength(7);
    expect(types).toContain('outputs');
    expect(apply.stdout).not.toContain('change-me');
  });

  it('draws the dependency graph in Mermaid, limited to what a saved plan changes', async () => {
    ws = workspace({}, { copyFrom: EXAMPLE_BASIC });
    const graph = await ws.run(['graph', '-format=mermaid']);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^flowchart LR\n/);
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    ws.write('main.hcl', ws.read('main.hcl').replace('value = "10.10.0.0/24"', 'value = "10.20.0.0/24"'));
    expect((await ws.run(['plan', '-out=plan.out'])).code).toBe(0);
    const changed = await ws.run(['graph', '-format=dot', '-plan=plan.out']);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('"test_resource.network" [label = "test_resource.network\\n(update)"');
    expect(changed.stdout).toContain('"test_resource.network" -> "test_resource.database"');
    expect(changed.stdout).not.toContain('test_resource.monitor'); // not changed, not next to a change
  });
});
