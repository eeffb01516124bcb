/** `phoenix show [-json] [PLANFILE]`: the current state in readable form, or a saved plan in any format. */
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { renderOutputValues, renderResourceState } from '../../render/human.js';
import { renderPlanJson } from '../../render/json.js';
import type { StateFile } from '../../state/model.js';
import type { Command, CommandContext } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';
import { FORMAT_FLAG, planFormat, readPlanFile, renderPlanAs } from '../plan-output.js';
import { readStoredState } from '../state-read.js';
import { PHOENIX_VERSION } from '../version.js';

export const showCommand: Command = {
  name: 'show',
  summary: 'Show the current state or a saved plan',
  usage: 'phoenix [global options] show [options] [PATH]',
  description:
    'Shows the resources and outputs recorded in the state. With PATH, shows a saved plan file\n(-json, -format=human|markdown).\n\n' +
    'Note: -json of the state prints sensitive values in plain text (as Terraform does); the human form\nand plans redact them.',
  flags: [
    ...COLOR_FLAGS,
    { name: 'json', kind: 'bool', description: 'Print machine-readable JSON (for a plan: the format of docs/plan-json.md). For the state, sensitive values are printed in plain text.' },
    FORMAT_FLAG,
    { name: 'compact', kind: 'bool', description: 'Hide unchanged attributes in a plan.' },
    { name: 'state', kind: 'string', metavar: 'PATH', description: 'Path of the local state file (default phoenix.state.json).' },
  ],
  async run(ctx) {
    const [path, ...extra] = ctx.args.positionals;
    if (extra.length > 0) throw new DiagnosticError([error('Too many arguments', 'The show command takes at most one argument: a saved plan file.')]);
    if (path !== undefined) return showPlanFile(ctx, path);
    const state = await readStoredState(ctx);
    if (ctx.args.flags.bool('json')) {
      ctx.ui.out(JSON.stringify(stateAsJson(state), null, 2));
    } else if (!state || (state.resources.length === 0 && Object.keys(state.outputs).length === 0)) {
      ctx.ui.out('The state file is empty. No resources are represented.');
    } else {
      ctx.ui.out(renderState(state, ctx.ui.color));
    }
    return 0;
  },
};

/** A saved plan (`phoenix plan -out=FILE`) as JSON, markdown or terminal text. */
async function showPlanFile(ctx: CommandContext, path: string): Promise<number> {
  const format = planFormat(ctx);
  const { plan } = readPlanFile(ctx, path);
  if (ctx.args.flags.bool('json')) ctx.ui.out(renderPlanJson(plan));
  else ctx.ui.out(renderPlanAs(plan, format, { color: ctx.ui.color, compact: ctx.args.flags.bool('compact'), fullPlanCommand: `phoenix show ${path}` }));
  return 0;
}

function renderState(state: StateFile, color: boolean): string {
  const blocks = [...state.resources]
    .sort((a, b) => a.address.localeCompare(b.address))
    .map((r) => renderResourceState(r, { color }));
  if (Object.keys(state.outputs).length > 0) blocks.push(`Outputs:\n\n${renderOutputValues(state.outputs)}`);
  return blocks.join('\n\n') + '\n';
}

/** Terraform's `show -json` shape for state: values.outputs and values.root_module.resources. */
function stateAsJson(state: StateFile | null): unknown {
  return {
    format_version: '1.0',
    phoenix_version: PHOENIX_VERSION,
    ...(state
      ? {
          values: {
            outputs: state.outputs,
            root_module: {
              resources: state.resources.map((r) => ({
                address: r.address,
                mode: 'managed',
                type: r.type,
                name: r.name,
                ...(r.index !== undefined ? { index: r.index } : {}),
                provider_name: r.provider,
                values: r.attributes,
                sensitive_attributes: r.sensitive_attributes,
                depends_on: r.dependencies,
              })),
            },
          },
        }
      : {}),
  };
}
