/**
 * Input variable values from every source, in precedence order (later wins): the declared default,
 * `PHOENIX_VAR_<name>` environment variables, `*.auto.hcl` files (sorted by name), then `-var-file`
 * files and `-var` options in the order given. Each value is converted to the declared type and checked
 * against the variable's validation rules.
 */
import type { Range } from './ast.js';
import { convert } from './convert.js';
import { error, warning, type Diagnostic } from './diagnostics.js';
import { evaluateConstant } from './eval/constant.js';
import { evaluate } from './eval/index.js';
import type { EvalScope } from './eval/scope.js';
import { suggest } from './eval/suggest.js';
import type { Config, VariableDecl, VariableValidation } from './model.js';
import { parseExpression, parseHcl } from './parser.js';
import { isUnknown, typeToString, type Value } from './values.js';

export interface VariableInputs {
  /** `-var` option values, `NAME=VALUE`, in command-line order. */
  cliVars: string[];
  /** `-var-file` files in command-line order (applied before `-var` options). */
  varFiles: { name: string; source: string }[];
  /** `*.auto.hcl` files of the working directory. */
  autoVarFiles: { name: string; source: string }[];
  env: Record<string, string | undefined>;
}

export const ENV_PREFIX = 'PHOENIX_VAR_';

export function resolveVariables(config: Config, inputs: VariableInputs): { values: Record<string, Value>; diagnostics: Diagnostic[] } {
  const resolver = new Resolver(config);
  for (const decl of config.variables.values()) {
    const raw = inputs.env[ENV_PREFIX + decl.name];
    if (raw !== undefined) resolver.assignRaw(decl, raw, `the environment variable ${ENV_PREFIX}${decl.name}`);
  }
  const autoFiles = [...inputs.autoVarFiles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const file of [...autoFiles, ...inputs.varFiles]) resolver.assignFile(file.name, file.source);
  for (const option of inputs.cliVars) resolver.assignOption(option);
  resolver.requireAll();
  resolver.validate();
  return { values: resolver.values, diagnostics: resolver.diagnostics };
}

class Resolver {
  readonly values: Record<string, Value> = {};
  readonly diagnostics: Diagnostic[] = [];
  /** Variables some source tried to set, even if the value was invalid (no "missing value" error then). */
  private readonly attempted = new Set<string>();

  constructor(private readonly config: Config) {
    for (const decl of config.variables.values()) if (decl.hasDefault) this.values[decl.name] = decl.default ?? null;
  }

  private set(decl: VariableDecl, value: Value): void {
    // Assigning null means "use the default", as in Terraform.
    this.values[decl.name] = value === null && decl.hasDefault ? (decl.default ?? null) : value;
  }

  private invalidValue(decl: VariableDecl, source: string, problem: string, range?: Range): void {
    // Conversion and syntax errors quote the value: for a sensitive variable say only what was expected,
    // and point at no source line (it would print the value too).
    const why = decl.sensitive
      ? `it is not a valid ${decl.type ? typeToString(decl.type) : 'value'} (the variable is sensitive, so the value is not shown)`
      : problem;
    const shownRange = decl.sensitive ? undefined : range;
    const d = error('Invalid value for input variable', `The value for variable "${decl.name}" given by ${source} is not suitable: ${why}.`, shownRange);
    this.diagnostics.push(shownRange ? d : { ...d, subject: `var.${decl.name}` });
  }

  /**
   * `-var` and environment values. As in Terraform, the text is the value itself for untyped and
   * primitive-typed variables (converted: `-var count=3` is the number 3) and an expression for
   * collection types and `any`.
   */
  assignRaw(decl: VariableDecl, raw: string, source: string): void {
    this.attempted.add(decl.name);
    if (decl.type === undefined || (typeof decl.type === 'string' && decl.type !== 'any')) {
      const converted = convert(raw, decl.type ?? 'string');
      return 'error' in converted ? this.invalidValue(decl, source, converted.error) : this.set(decl, converted.value);
    }
    const parsed = parseExpression(raw, `<value for var.${decl.name}>`);
    const syntaxError = parsed.diagnostics.find((d) => d.severity === 'error');
    if (!parsed.expr || syntaxError) {
      return this.invalidValue(decl, source, `${syntaxError?.summary ?? 'invalid expression'}${syntaxError?.detail ? ` (${syntaxError.detail})` : ''}`);
    }
    const { value, diagnostics } = evaluateConstant(parsed.expr, 'in variable values');
    if (diagnostics.length > 0) return this.invalidValue(decl, source, diagnostics[0]!.detail ?? diagnostics[0]!.summary);
    const converted = convert(value, decl.type);
    if ('error' in converted) return this.invalidValue(decl, source, converted.error);
    this.set(decl, converted.value);
  }

  assignOption(option: string): void {
    const eq = option.indexOf('=');
    if (eq <= 0) {
      this.diagnostics.push({
        ...error('Invalid -var option', `The given -var option "${option}" is not correctly specified. It must be a variable name and value separated by an equals sign, like -var="key=value".`),
        subject: '-var',
      });
      return;
    }
    const name = option.slice(0, eq).trim();
    const decl = this.config.variables.get(name);
    if (!decl) {
      const detail = `A variable named "${name}" was assigned on the command line (-var), but the configuration does not declare a variable of that name.${suggest(name, this.config.variables.keys(), '')}`;
      this.diagnostics.push({ ...error('Value for undeclared variable', detail), subject: '-var' });
      return;
    }
    this.assignRaw(decl, option.slice(eq + 1), `-var "${name}=..."`);
  }

  /** A variables file: attributes only, `name = value`, values may not reference anything. */
  assignFile(name: string, source: string): void {
    const { file, diagnostics } = parseHcl(source, name);
    this.diagnostics.push(...diagnostics);
    if (diagnostics.some((d) => d.severity === 'error')) return;
    for (const item of file.body.items) {
      if (item.kind === 'block') {
        this.diagnostics.push(error('Unexpected block in variables file', `A variables file may only assign values (name = value); blocks of type "${item.type}" are not allowed.`, item.typeRange));
        continue;
      }
      const decl = this.config.variables.get(item.name);
      if (!decl) {
        const detail = `The variables file assigns "${item.name}", but the configuration does not declare a variable of that name.${suggest(item.name, this.config.variables.keys(), '')}`;
        this.diagnostics.push(warning('Value for undeclared variable', detail, item.nameRange));
        continue;
      }
      this.attempted.add(decl.name);
      const { value, diagnostics: evalDiags } = evaluateConstant(item.expr, 'in variables files');
      this.diagnostics.push(...evalDiags);
      if (evalDiags.length > 0) continue;
      const converted = decl.type ? convert(value, decl.type) : { value };
      const where = `${name}:${item.expr.range.start.line}:${item.expr.range.start.col}`;
      if ('error' in converted) this.invalidValue(decl, where, converted.error, item.expr.range);
      else this.set(decl, converted.value);
    }
  }

  requireAll(): void {
    for (const decl of this.config.variables.values()) {
      if (decl.name in this.values || this.attempted.has(decl.name)) continue;
      const detail = `The input variable "${decl.name}" is not set, and has no default value. Use a -var or -var-file command line argument, a *.auto.hcl file, or the ${ENV_PREFIX}${decl.name} environment variable to provide a value for this variable.`;
      this.diagnostics.push(error('No value for required variable', detail, decl.range));
    }
  }

  validate(): void {
    const sensitiveVariables = new Set([...this.config.variables.values()].filter((d) => d.sensitive).map((d) => d.name));
    const scope: EvalScope = {
      variables: this.values,
      sensitiveVariables,
      locals: {},
      resource: () => undefined,
      path: { root: '.', cwd: '.' },
      readFile: (path) => {
        throw new Error(`files cannot be read in validation rules (${path})`);
      },
    };
    for (const decl of this.config.variables.values()) {
      if (!(decl.name in this.values)) continue;
      for (const rule of decl.validations) this.check(rule, scope);
    }
  }

  private check({ condition, errorMessage, range }: VariableValidation, scope: EvalScope): void {
    const result = evaluate(condition, scope);
    this.diagnostics.push(...result.diagnostics);
    if (result.diagnostics.length > 0 || isUnknown(result.value)) return;
    if (typeof result.value !== 'boolean') {
      this.diagnostics.push(error('Invalid validation result', 'The condition of a validation rule must be true or false.', condition.range));
      return;
    }
    if (result.value) return;
    const text = evaluate(errorMessage, scope);
    this.diagnostics.push(...text.diagnostics);
    const shown = typeof text.value === 'string' ? (text.sensitive ? '(the error message refers to sensitive values)' : text.value) : 'The value is not valid.';
    const where = `${range.file}:${range.start.line}:${range.start.col}`;
    this.diagnostics.push(error('Invalid value for variable', `${shown}\n\nThis was checked by the validation rule at ${where}.`, range));
  }
}
