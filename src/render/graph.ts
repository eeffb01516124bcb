/**
 * Pictures of the dependency graph: Graphviz DOT (`phoenix graph | dot -Tsvg`) and Mermaid (GitHub
 * renders it in PR comments). Nodes are coloured by planned action; edges point from a dependency to
 * its dependent (apply order). `changedSubgraph` keeps what a plan touches plus its direct neighbours,
 * so a reviewer sees which guests change and what depends on them.
 */
import type { ChangeAction, Plan } from '../plan/model.js';

export interface GraphNode {
  id: string;
  type: string;
  action?: ChangeAction;
}

export interface GraphPicture {
  nodes: GraphNode[];
  edges: { from: string; to: string }[];
}

interface ActionLook {
  label: string;
  stroke: string;
  fill: string;
}

/** One palette for both formats: Terraform's green/yellow/red, replacements in purple. */
const ACTION_LOOKS: Record<Exclude<ChangeAction, 'no-op'>, ActionLook> = {
  create: { label: 'create', stroke: '#2da44e', fill: '#dafbe1' },
  update: { label: 'update', stroke: '#bf8700', fill: '#fff8c5' },
  replace: { label: 'replace', stroke: '#8250df', fill: '#fbefff' },
  delete: { label: 'destroy', stroke: '#cf222e', fill: '#ffebe9' },
};
const UNCHANGED_LOOK = { stroke: '#8c959f', fill: '#f6f8fa' };

function lookOf(action: ChangeAction | undefined): ActionLook | undefined {
  return action && action !== 'no-op' ? ACTION_LOOKS[action] : undefined;
}

/** The graph of a plan: one node per planned instance, edges between planned instances. */
export function planGraph(plan: Plan): GraphPicture {
  const ids = new Set(plan.changes.map((c) => c.address));
  return {
    nodes: plan.changes.map((c) => ({ id: c.address, type: c.type, action: c.action })),
    edges: plan.changes.flatMap((c) => c.dependencies.filter((d) => ids.has(d) && d !== c.address).map((d) => ({ from: d, to: c.address }))),
  };
}

/** Nodes with a real action plus their direct dependencies and dependents (unchanged, for context). */
export function changedSubgraph(graph: GraphPicture): GraphPicture {
  const changed = new Set(graph.nodes.filter((n) => lookOf(n.action)).map((n) => n.id));
  const kept = new Set(changed);
  for (const e of graph.edges) {
    if (changed.has(e.from)) kept.add(e.to);
    if (changed.has(e.to)) kept.add(e.from);
  }
  return {
    nodes: graph.nodes.filter((n) => kept.has(n.id)),
    edges: graph.edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
  };
}

export function renderDot(graph: GraphPicture): string {
  const quote = (s: string): string => JSON.stringify(s);
  const lines = ['digraph phoenix {', '  compound = "true"', '  newrank = "true"', '  rankdir = "LR"', '  node [shape = "box", style = "rounded,filled", fillcolor = "white"]'];
  for (const node of sortedNodes(graph)) {
    const look = lookOf(node.action);
    const label = look ? `${node.id}\n(${look.label})` : node.id;
    const colours = look
      ? `, color = ${quote(look.stroke)}, fillcolor = ${quote(look.fill)}, penwidth = "2"`
      : node.action === 'no-op'
        ? `, color = ${quote(UNCHANGED_LOOK.stroke)}, fillcolor = ${quote(UNCHANGED_LOOK.fill)}`
        : '';
    lines.push(`  ${quote(node.id)} [label = ${quote(label)}${colours}]`);
  }
  for (const edge of sortedEdges(graph)) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function renderMermaid(graph: GraphPicture): string {
  const nodes = sortedNodes(graph);
  // Addresses contain dots, brackets and quotes: Mermaid ids are positional, addresses go in labels.
  const idOf = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const node of nodes) {
    const look = lookOf(node.action);
    const label = look ? `${node.id}<br/><i>${look.label}</i>` : node.id;
    lines.push(`  ${idOf.get(node.id)}["${mermaidText(label)}"]`);
  }
  for (const edge of sortedEdges(graph)) {
    const from = idOf.get(edge.from);
    const to = idOf.get(edge.to);
    if (from && to) lines.push(`  ${from} --> ${to}`);
  }
  const used = new Set(nodes.map((n) => n.action ?? 'none'));
  for (const [action, look] of Object.entries(ACTION_LOOKS)) {
    if (used.has(action as ChangeAction)) lines.push(`  classDef ${action} fill:${look.fill},stroke:${look.stroke},stroke-width:2px,color:#1f2328`);
  }
  if (used.has('no-op')) lines.push(`  classDef unchanged fill:${UNCHANGED_LOOK.fill},stroke:${UNCHANGED_LOOK.stroke},color:#57606a`);
  for (const node of nodes) {
    if (!node.action) continue;
    const cls = node.action === 'no-op' ? 'unchanged' : node.action;
    lines.push(`  class ${idOf.get(node.id)} ${cls}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid labels: quotes and HTML specials as entity codes (`#quot;`), our own <br/> and <i> kept. */
function mermaidText(label: string): string {
  const escape = (s: string): string => s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  return label
    .split(/(<br\/>|<\/?i>)/)
    .map((part, i) => (i % 2 === 1 ? part : escape(part)))
    .join('');
}

function sortedNodes(graph: GraphPicture): GraphNode[] {
  return [...graph.nodes].sort((a, b) => compareText(a.id, b.id));
}

function sortedEdges(graph: GraphPicture): GraphPicture['edges'] {
  const unique = new Map(graph.edges.map((e) => [`${e.from}\u0000${e.to}`, e]));
  return [...unique.values()].sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
