/**
 * `phoenix graph [-format=dot|mermaid] [-plan=FILE]`: the resources of the configuration (plus
 * instances only in state, marked for deletion) and their dependencies, edges pointing from a
 * dependency to its dependent (apply order). With -plan, only what the saved plan changes and its
 * direct neighbours, coloured by action. Reads no host and needs no variable values.
 */
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { resourceGraph } from '../../plan/resource-graph.js';
import { changedSubgraph, planGraph, renderDot, renderMermaid, type GraphPicture } from '../../render/graph.js';
import type { Command } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';
import { readPlanFile } from '../plan-output.js';
import { withStateSession } from '../session.js';
import { loadConfigOnly } from '../workdir.js';

export const GRAPH_FORMATS: Record<string, (graph: GraphPicture) => string> = {
  dot: renderDot,
  mermaid: renderMermaid,
};

export const graphCommand: Command = {
  name: 'graph',
  summary: 'Generate a graph of the resources and their dependencies',
  usage: 'phoenix [global options] graph [options]',
  description:
    'Prints the dependency graph of the resources (configuration and state) in DOT, e.g.\n' +
    'phoenix graph | dot -Tsvg > graph.svg, or in Mermaid (-format=mermaid). Edges point from a\n' +
    'dependency to its dependent (apply order). -plan=FILE draws only what a saved plan changes.',
  flags: [
    ...COLOR_FLAGS,
    { name: 'state', kind: 'string', metavar: 'PATH', description: 'Path of the local state file (default phoenix.state.json).' },
    { name: 'format', kind: 'string', default: 'dot', metavar: 'FORMAT', description: `Output format: ${Object.keys(GRAPH_FORMATS).join(', ')} (default dot).` },
    { name: 'plan', kind: 'string', metavar: 'FILE', description: 'Draw what this saved plan changes (and its direct neighbours), coloured by action.' },
  ],
  async run(ctx) {
    const format = ctx.args.flags.string('format')!;
    const render = GRAPH_FORMATS[format];
    if (!render) {
      throw new DiagnosticError([error(`Invalid value for -format: must be one of ${Object.keys(GRAPH_FORMATS).join(', ')}`)]);
    }
    const planPath = ctx.args.flags.string('plan');
    if (planPath !== undefined) {
      ctx.ui.out(render(changedSubgraph(planGraph(readPlanFile(ctx, planPath).plan))));
      return 0;
    }
    const { config } = loadConfigOnly(ctx.cwd, ctx.ui);
    const state = await withStateSession(ctx, config, { operation: 'graph', lock: false }, async (s) => s.state);
    ctx.ui.out(render(resourceGraph(config, state)));
    return 0;
  },
};
