import { describe as group, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { resolveVariables, type VariableInputs } from '../../src/config/variables.js';
import { describe } from './helpers.js';

const DECLARATIONS = `
variable "name" {
  default = "from-default"
}
variable "count" {
  type    = number
  default = 1
}
variable "tags" {
  type    = list(string)
  default = []
}
variable "token" {
  type      = string
  sensitive = true
}
variable "size" {
  type    = number
  default = 8
  validation {
    condition     = var.size >= 4 && var.size <= 64
    error_message = "size must be between 4 and 64 GiB, got \${var.size}."
  }
}
`;

function resolve(inputs: Partial<VariableInputs>, declarations = DECLARATIONS) {
  const { config, diagnostics } = loadConfig([{ name: 'variables.hcl', source: declarations }]);
  expect(diagnostics).toEqual([]);
  const result = resolveVariables(config, { cliVars: [], varFiles: [], autoVarFiles: [], env: {}, ...inputs });
  return { values: result.values, messages: result.diagnostics.map((d) => `${d.severity}: ${describe(d)}`) };
}

const withToken = { env: { PHOENIX_VAR_token: 't' } };

group('resolveVariables: precedence', () => {
  test('defaults apply when nothing else is given', () => {
    const { values, messages } = resolve(withToken);
    expect(messages).toEqual([]);
    expect(values).toEqual({ name: 'from-default', count: 1, tags: [], token: 't', size: 8 });
  });

  test('environment < auto files (sorted) < -var-file < -var, later options winning', () => {
    const { values, messages } = resolve({
      env: { PHOENIX_VAR_name: 'env', PHOENIX_VAR_count: '2', PHOENIX_VAR_token: 't' },
      autoVarFiles: [
        { name: 'b.auto.hcl', source: 'name = "auto-b"\ncount = 4\n' },
        { name: 'a.auto.hcl', source: 'name = "auto-a"\ncount = 3\ntags = ["x"]\n' },
      ],
      varFiles: [{ name: 'prod.hcl', source: 'name = "file"\n' }],
      cliVars: ['name=cli-1', 'name=cli-2'],
    });
    expect(messages).toEqual([]);
    expect(values).toMatchObject({ name: 'cli-2', count: 4, tags: ['x'] });
  });

  test('each source alone overrides the default', () => {
    expect(resolve({ env: { PHOENIX_VAR_count: '5', PHOENIX_VAR_token: 't' } }).values.count).toBe(5);
    expect(resolve({ ...withToken, autoVarFiles: [{ name: 'x.auto.hcl', source: 'count = 6' }] }).values.count).toBe(6);
    expect(resolve({ ...withToken, varFiles: [{ name: 'x.hcl', source: 'count = 7' }] }).values.count).toBe(7);
    expect(resolve({ ...withToken, cliVars: ['count=8'] }).values.count).toBe(8);
  });

  test('-var text is the value for primitive types and an expression for collections', () => {
    const { values, messages } = resolve({ ...withToken, cliVars: ['name=a=b "c"', 'tags=["a", "b"]', 'count= 6'] });
    expect(messages).toEqual([]);
    expect(values).toMatchObject({ name: 'a=b "c"', tags: ['a', 'b'], count: 6 });
  });

  test('untyped variables take -var text as a string, `any` parses it', () => {
    expect(resolve({ ...withToken, cliVars: ['name=[1]'] }).values.name).toBe('[1]');
    const anyTyped = 'variable "opts" {\n  type = any\n}\n';
    expect(resolve({ cliVars: ['opts={ a = [1] }'] }, anyTyped).values.opts).toEqual({ a: [1] });
  });
});

group('resolveVariables: errors', () => {
  test('missing required variable', () => {
    expect(resolve({}).messages).toEqual([
      'error: variables.hcl:13:1: No value for required variable: The input variable "token" is not set, and has no default value. Use a -var or -var-file command line argument, a *.auto.hcl file, or the PHOENIX_VAR_token environment variable to provide a value for this variable.',
    ]);
  });

  test.each([
    [{ cliVars: ['count'] }, 'error: Invalid -var option: The given -var option "count" is not correctly specified.'],
    [{ cliVars: ['cuont=1'] }, 'error: Value for undeclared variable: A variable named "cuont" was assigned on the command line (-var), but the configuration does not declare a variable of that name. Did you mean "count"?'],
    [{ cliVars: ['count=abc'] }, 'error: Invalid value for input variable: The value for variable "count" given by -var "count=..." is not suitable:'],
    [{ cliVars: ['tags=[1, [2]]'] }, 'error: Invalid value for input variable: The value for variable "tags" given by -var "tags=..." is not suitable: [1]: string required.'],
    [{ env: { PHOENIX_VAR_count: 'many', PHOENIX_VAR_token: 't' } }, 'error: Invalid value for input variable: The value for variable "count" given by the environment variable PHOENIX_VAR_count is not suitable'],
    [{ varFiles: [{ name: 'prod.hcl', source: '\ncount = "many"' }] }, 'error: prod.hcl:2:9: Invalid value for input variable: The value for variable "count" given by prod.hcl:2:9 is not suitable: a number is required, got "many".'],
    [{ varFiles: [{ name: 'prod.hcl', source: 'cuont = 1' }] }, 'warning: prod.hcl:1:1: Value for undeclared variable'],
    [{ varFiles: [{ name: 'prod.hcl', source: 'count = var.size' }] }, 'error: prod.hcl:1:9: Variables not allowed'],
    [{ varFiles: [{ name: 'prod.hcl', source: 'variable "x" {}' }] }, 'error: prod.hcl:1:1: Unexpected block in variables file'],
    [{ cliVars: ['size=100'] }, 'error: variables.hcl:20:3: Invalid value for variable: size must be between 4 and 64 GiB, got 100.\n\nThis was checked by the validation rule at variables.hcl:20:3.'],
  ])('%j', (inputs, message) => {
    const { messages } = resolve({ ...withToken, ...inputs, env: { ...withToken.env, ...(inputs as Partial<VariableInputs>).env } });
    expect(messages.some((m) => m.startsWith(message)), messages.join('\n')).toBe(true);
  });

  test('a type error on a sensitive variable never echoes the value, nor points at its source line', () => {
    const declarations = 'variable "pin" {\n  type      = number\n  sensitive = true\n}\n';
    for (const inputs of [
      { cliVars: ['pin=TopSecret123'] },
      { env: { PHOENIX_VAR_pin: 'TopSecret123' } },
      { varFiles: [{ name: 'secret.hcl', source: 'pin = "TopSecret123"' }] },
    ]) {
      const { messages } = resolve(inputs, declarations);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^error: Invalid value for input variable: .* is not suitable: it is not a valid number \(the variable is sensitive, so the value is not shown\)\.$/);
      expect(messages[0]).not.toContain('TopSecret123');
    }
  });

  test('a passing validation reports nothing', () => {
    expect(resolve({ ...withToken, cliVars: ['size=16'] }).messages).toEqual([]);
  });
});
