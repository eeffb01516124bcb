/**
 * `phoenix graph [-format=dot]`: the resources of the configuration (plus instances only in state,
 * marked for deletion) and their dependencies, edges pointing from a dependency to its dependent (apply
 * order). Reads no host and needs no variable values. Formats are pluggable through GRAPH_FORMATS.
 */
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { resourceGraph, type ResourceGraph } from '../../plan/resource-graph.js';
import type { Command } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';
import { withStateSession } from '../session.js';
import { loadConfigOnly } from '../workdir.js';

export const GRAPH_FORMATS: Record<string, (graph: ResourceGraph) => string> = {
  dot: renderDot,
};

export const graphCommand: Command = {
  name: 'graph',
  summary: 'Generate a graph of the resources and their dependencies',
  usage: 'phoenix [global options] graph [options]',
  description:
    'Prints the dependency graph of the resources (configuration and state) in DOT format, e.g.\n' +
    'phoenix graph | dot -Tsvg > graph.svg. Edges point from a dependency to its dependent (apply order).',
  flags: [
    ...COLOR_FLAGS,
    { name: 'state', kind: 'string', metavar: 'PATH', description: 'Path of the local state file (default phoenix.state.json).' },
    { name: 'format', kind: 'string', default: 'dot', metavar: 'FORMAT', description: `Output format: ${Object.keys(GRAPH_FORMATS).join(', ')} (default dot).` },
  ],
  async run(ctx) {
    const format = ctx.args.flags.string('format')!;
    const render = GRAPH_FORMATS[format];
    if (!render) {
      throw new DiagnosticError([error(`Invalid value for -format: must be one of ${Object.keys(GRAPH_FORMATS).join(', ')}`)]);
    }
    const { config } = loadConfigOnly(ctx.cwd, ctx.ui);
    const state = await withStateSession(ctx, config, { operation: 'graph', lock: false }, async (s) => s.state);
    ctx.ui.out(render(resourceGraph(config, state)));
    return 0;
  },
};

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'orange', replace: 'purple', delete: 'red' };

function renderDot(graph: ResourceGraph): string {
  const quote = (s: string): string => JSON.stringify(s);
  const lines = ['digraph phoenix {', '  compound = "true"', '  newrank = "true"', '  rankdir = "LR"'];
  for (const node of [...graph.nodes].sort((a, b) => a.id.localeCompare(b.id))) {
    const color = node.action ? ACTION_COLORS[node.action] : undefined;
    const label = node.action && node.action !== 'no-op' ? `${node.id} (${node.action})` : node.id;
    lines.push(`  ${quote(node.id)} [label = ${quote(label)}, shape = "box"${color ? `, color = ${quote(color)}` : ''}]`);
  }
  for (const edge of [...graph.edges].sort((a, b) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`))) {
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}`);
  }
  lines.push('}');
  return lines.join('\n');
}
