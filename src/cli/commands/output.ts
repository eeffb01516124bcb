/** `phoenix output [NAME] [-json] [-raw]`: output values from the state. */
import { DiagnosticError, didYouMean, error, warning } from '../../config/diagnostics.js';
import { isObject, type Value } from '../../config/values.js';
import { renderOutputValues, renderValueHcl } from '../../render/human.js';
import type { OutputState } from '../../state/model.js';
import type { Command } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';
import { readStoredState } from '../state-read.js';

export const outputCommand: Command = {
  name: 'output',
  summary: 'Show output values from your root module',
  usage: 'phoenix [global options] output [options] [NAME]',
  description:
    'Reads output values from the state. With NAME, prints only that output (sensitive values included).\n' +
    '-raw prints a string, number or bool without quotes, for scripts.\n\n' +
    'Note: with -json or -raw, sensitive values in the state are printed in plain text (as Terraform does).',
  flags: [
    ...COLOR_FLAGS,
    { name: 'json', kind: 'bool', description: 'Print machine-readable JSON. Sensitive values are printed in plain text.' },
    { name: 'raw', kind: 'bool', description: 'Print the value of one output as raw text (plain text even when sensitive).' },
    { name: 'state', kind: 'string', metavar: 'PATH', description: 'Path of the local state file (default phoenix.state.json).' },
  ],
  async run(ctx) {
    const { flags, positionals } = ctx.args;
    if (positionals.length > 1) throw new DiagnosticError([error('Unexpected argument', 'The output command takes at most one output name.')]);
    if (flags.bool('json') && flags.bool('raw')) throw new DiagnosticError([error('Invalid options', 'The -raw and -json options are mutually exclusive.')]);
    const outputs = (await readStoredState(ctx))?.outputs ?? {};
    const name = positionals[0];

    if (name === undefined) {
      if (flags.bool('raw')) throw new DiagnosticError([error('Output name required', 'The -raw option needs an output name: phoenix output -raw NAME.')]);
      if (flags.bool('json')) {
        ctx.ui.out(JSON.stringify(outputsAsJson(outputs), null, 2));
      } else if (Object.keys(outputs).length === 0) {
        ctx.ui.diagnostics([
          warning('No outputs found', 'The state has no outputs: either none are defined in the configuration, or apply has not run yet.'),
        ]);
      } else {
        ctx.ui.out(renderOutputValues(outputs));
      }
      return 0;
    }

    const output = outputs[name];
    if (!output) {
      const suggestion = didYouMean(name, Object.keys(outputs));
      throw new DiagnosticError([
        error(
          `Output "${name}" not found`,
          `The output variable requested could not be found in the state.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
        ),
      ]);
    }
    if (flags.bool('json')) ctx.ui.out(JSON.stringify(output.value, null, 2));
    else if (flags.bool('raw')) process.stdout.write(rawValue(name, output.value));
    else ctx.ui.out(renderValueHcl(output.value, 0));
    return 0;
  },
};

function rawValue(name: string, value: Value): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new DiagnosticError([
    error('Unsupported value for raw output', `Output "${name}" is not a string, number or bool; use -json for complex values.`),
  ]);
}

function outputsAsJson(outputs: Record<string, OutputState>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(outputs).sort()) {
    const { value, sensitive } = outputs[name]!;
    result[name] = { sensitive, type: typeOf(value), value };
  }
  return result;
}

/** Terraform's JSON type notation: "string", ["tuple", [...]], ["object", {...}]. */
function typeOf(value: Value): unknown {
  if (value === null) return 'dynamic';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(typeOf)];
  if (isObject(value)) return ['object', Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOf(v)]))];
  return 'dynamic';
}
