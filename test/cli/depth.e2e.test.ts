/**
 * Deep nesting through the real CLI: `validate` accepts values nested to MAX_NESTING and reports one
 * positioned "Nesting too deep" past it; an output nested past MAX_VALUE_NESTING is refused with a
 * positioned error rather than reaching the plan renderer. Never "Internal error" or a stack overflow.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../src/config/syntax/cursor.js';
import { MAX_VALUE_NESTING } from '../../src/config/values.js';
import { workspace, type Workspace } from './harness.js';

const workspaces: Workspace[] = [];
afterAll(() => workspaces.forEach((ws) => ws.remove()));

/** `locals { x = <objects n deep> }`: the block is level 1, the attribute's value level 2. */
function deepLocals(objects: number, output?: string): Workspace {
  const value = '{ a = '.repeat(objects) + '1' + ' }'.repeat(objects);
  const ws = workspace({ 'main.hcl': `locals {\n  x = ${value}\n  y = ${'['.repeat(objects)}local.x${']'.repeat(objects)}\n}\n${output ?? ''}` });
  workspaces.push(ws);
  return ws;
}

describe('nesting depth through the CLI', () => {
  it(`validate and plan accept objects and tuples nested ${MAX_NESTING - 2} levels`, async () => {
    const ws = deepLocals(MAX_NESTING - 2, 'output "n" {\n  value = length(local.y)\n}\n');
    const result = await ws.run(['validate', '-no-color']);
    expect({ code: result.code, stdout: result.stdout.trim(), stderr: result.stderr }).toEqual({
      code: 0,
      stdout: 'Success! The configuration is valid.',
      stderr: '',
    });
    // The plan walks every expression (references, sensitivity of for collections) before evaluating.
    const plan = await ws.run(['plan', '-no-color']);
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
    expect(plan.stdout).toContain('+ n = 1');
  });

  it('validate past the limit gives one positioned "Nesting too deep"', async () => {
    const result = await deepLocals(MAX_NESTING + 10).run(['validate', '-no-color']);
    expect(result.code).toBe(1);
    const errors = result.stderr.match(/Error: [^\n]+/g);
    expect(errors).toEqual(['Error: Nesting too deep']);
    expect(result.stderr).toContain('on main.hcl line 2, in locals:');
    expect(result.stderr).toContain(`more than ${MAX_NESTING} levels deep`);
    expect(result.stderr).not.toMatch(/Internal|call stack/);
  });

  it(`an output nested past ${MAX_VALUE_NESTING} levels is refused at its expression`, async () => {
    const ws = deepLocals(MAX_VALUE_NESTING / 2 + 10, 'output "deep" {\n  value = local.y\n}\n');
    const result = await ws.run(['plan', '-no-color']);
    expect(result.code).toBe(1);
    expect(result.stderr.match(/Error: [^\n]+/g)).toEqual(['Error: Value nested too deeply']);
    expect(result.stderr).toContain('on main.hcl line 6, in output "deep":');
    expect(result.stderr).not.toMatch(/Internal|call stack/);
  });
});
