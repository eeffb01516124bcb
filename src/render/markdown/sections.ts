/**
 * The parts of the PR view: headline and per-type table, the destroy/replace list, one collapsible
 * ```diff section per resource, drift, outputs and the Mermaid picture of what changes.
 */
import { restartSentence, restartSummaryLines } from '../restarts.js';
import type { OutputChange, Plan, ResourceChange, ResourceDrift } from '../../plan/model.js';
import { changedSubgraph, planGraph, renderMermaid } from '../graph.js';
import { attributeBlocks, type AttributeBlock, type PathMarks } from './attribute-diff.js';
import { codeSpan, details, escapeHtml, fenced } from './blocks.js';
import { dataLoss } from './data-loss.js';
import type { TrimmableItem } from './fit.js';

export const WARNING_SIGN = '⚠';

type Action = ResourceChange['action'];

const SYMBOLS: Record<Action, string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ' };
const COLUMNS: { action: Action; title: string }[] = [
  { action: 'create', title: 'Create' },
  { action: 'update', title: 'Update' },
  { action: 'replace', title: 'Replace' },
  { action: 'delete', title: 'Destroy' },
];

/** Destroys first, then replacements (the changes that lose objects), then creates and updates. */
const REVIEW_ORDER: Action[] = ['delete', 'replace', 'create', 'update'];

export function changesInReviewOrder(plan: Plan): ResourceChange[] {
  return REVIEW_ORDER.flatMap((action) => plan.changes.filter((c) => c.action === action));
}

export function headline(plan: Plan): string {
  const { add, change, destroy } = plan.summary;
  // A plan that only moves objects is still a plan to apply (state changes), as in Terraform.
  const changing = plan.changes.some((c) => c.action !== 'no-op' || c.previousAddress !== undefined);
  const restarts = restartSummaryLines(plan).map((line) => `\n\n${line}`).join('');
  if (!changing) return `**No changes.** Your infrastructure matches the configuration.${restarts}`;
  return `**Plan: ${add} to add, ${change} to change, ${destroy} to destroy.**${restarts}`;
}

/** Counts per resource type and action, with a total row. Only types with changes get a row. */
export function summaryTable(plan: Plan): string {
  const changing = plan.changes.filter((c) => c.action !== 'no-op');
  if (changing.length === 0) return '';
  const types = [...new Set(changing.map((c) => c.type))].sort();
  const count = (action: Action, type?: string) => changing.filter((c) => c.action === action && (type === undefined || c.type === type)).length;
  const row = (label: string, counts: number[]) => `| ${label} | ${counts.join(' | ')} |`;
  return [
    `| Resource type | ${COLUMNS.map((c) => c.title).join(' | ')} |`,
    `|:--|${COLUMNS.map(() => '--:').join('|')}|`,
    ...types.map((type) => row(codeSpan(type), COLUMNS.map((c) => count(c.action, type)))),
    row('**Total**', COLUMNS.map((c) => count(c.action))),
  ].join('\n');
}

/**
 * Every `moved` block this plan applies, `from → to` (the text view's "has moved to"), with what else
 * happens to the object; undefined when nothing moves. Never trimmed: a reviewer must see every rename.
 */
export function movesBlock(plan: Plan): string | undefined {
  const moves = plan.changes.filter((c) => c.previousAddress !== undefined);
  if (moves.length === 0) return undefined;
  const count = `${moves.length} object${moves.length === 1 ? '' : 's'}`;
  return [
    `**Moved: ${count} keep${moves.length === 1 ? 's' : ''} ${moves.length === 1 ? 'its' : 'their'} node object under a new address** (\`moved\` blocks; state only):`,
    ...moves.map((c) => `- ${codeSpan(c.previousAddress!)} → ${codeSpan(c.address)}${c.action === 'no-op' ? '' : ` — and ${changeVerb(c)}`}`),
  ].join('\n');
}

/** One line per destroy and replacement, ⚠ first when it loses data. Never trimmed. */
export function destroyLines(plan: Plan): string[] {
  return changesInReviewOrder(plan)
    .filter((c) => c.action === 'delete' || c.action === 'replace')
    .map((c) => {
      const loss = dataLoss(c);
      const mark = loss ? `${WARNING_SIGN} ` : '';
      return `- ${mark}${codeSpan(c.address)} **${changeVerb(c)}**${changeNote(c)}${loss ? ` — data loss: ${loss}` : ''}`;
    });
}

export function countDataLoss(plan: Plan): number {
  return plan.changes.filter((c) => dataLoss(c) !== undefined).length;
}

export function resourceItem(change: ResourceChange): TrimmableItem {
  const mark = dataLoss(change) ? `${WARNING_SIGN} ` : '';
  const moved = change.previousAddress !== undefined ? ` (moved from ${change.previousAddress})` : '';
  const summary = `${mark}<code>${escapeHtml(SYMBOLS[change.action])}</code> <b>${escapeHtml(change.address)}</b> ${escapeHtml(changeVerb(change) + changeNote(change) + moved)}`;
  const before = change.action === 'create' ? null : change.before;
  const after = change.action === 'delete' ? null : change.after;
  return diffItem(summary, attributeBlocks(before, after, change));
}

export function driftItem(drift: ResourceDrift): TrimmableItem {
  const verb = drift.action === 'delete' ? 'has been deleted outside phoenix' : 'has changed outside phoenix';
  const summary = `<code>${drift.action === 'delete' ? '-' : '~'}</code> <b>${escapeHtml(drift.address)}</b> ${verb}`;
  return diffItem(summary, attributeBlocks(drift.before, drift.after, { sensitivePaths: drift.sensitivePaths, replacePaths: [], restartPaths: [] }));
}

/** Output changes as one diff block (kept whole: outputs are few and small). */
export function outputsItem(outputs: OutputChange[]): TrimmableItem | undefined {
  const changed = outputs.filter((o) => o.action !== 'no-op');
  if (changed.length === 0) return undefined;
  const before: Record<string, NonNullable<OutputChange['before']>> = {};
  const after: Record<string, NonNullable<OutputChange['after']>> = {};
  for (const o of changed) {
    if (o.action !== 'create' && o.before !== null) before[o.name] = o.before;
    if (o.action !== 'delete' && o.after !== null) after[o.name] = o.after;
  }
  const marks: PathMarks = { sensitivePaths: changed.filter((o) => o.sensitive).map((o) => [o.name]), replacePaths: [], restartPaths: [] };
  const text = fenced(attributeBlocks(before, after, marks).flatMap((b) => b.lines), 'diff');
  return { full: text, compact: text };
}

/** The Mermaid picture of what changes and its direct neighbours; undefined when nothing changes. */
export function graphItem(plan: Plan): TrimmableItem | undefined {
  const graph = changedSubgraph(planGraph(plan));
  if (graph.nodes.length === 0) return undefined;
  const text = details('Dependency graph of the changes', fenced(renderMermaid(graph).trimEnd().split('\n'), 'mermaid'));
  return { full: text, compact: text };
}

function diffItem(summaryHtml: string, blocks: AttributeBlock[]): TrimmableItem {
  const full = details(summaryHtml, fenced(blocks.flatMap((b) => b.lines), 'diff'));
  const hidden = blocks.filter((b) => b.unchanged).length;
  if (hidden === 0) return { full, compact: full };
  const changed = blocks.filter((b) => !b.unchanged).flatMap((b) => b.lines);
  const note = `  # (${hidden} unchanged attribute${hidden === 1 ? '' : 's'} hidden)`;
  return { full, compact: details(summaryHtml, fenced([...changed, note], 'diff')) };
}

function changeVerb(change: ResourceChange): string {
  switch (change.action) {
    case 'create':
      return 'will be created';
    case 'update':
      return change.restart ? `will be updated in-place; ${restartSentence(change.restart)}` : 'will be updated in-place';
    case 'replace':
      return change.reason === 'replace_by_request' ? 'will be replaced, as requested' : 'must be replaced';
    case 'delete':
      return 'will be destroyed';
    default:
      return 'has no changes';
  }
}

/** Why and how: the replacing attributes and order, or why an instance is deleted. */
function changeNote(change: ResourceChange): string {
  if (change.action === 'replace') {
    const order = change.replaceOrder === 'create-before-destroy' ? 'create, then destroy' : 'destroy, then create';
    const forcing = [...new Set(change.replacePaths.map((p) => p[0]))];
    return forcing.length > 0 ? ` (${order}; forced by ${forcing.join(', ')})` : ` (${order})`;
  }
  if (change.action === 'delete') {
    if (change.reason === 'not_in_config') return ' (not in configuration)';
    if (change.reason === 'count_index') return typeof change.index === 'string' ? ' (key not in for_each)' : ' (index out of range for count)';
  }
  return '';
}
