/**
 * The plan as a pull-request comment (`phoenix plan -format=markdown`, `phoenix show -format=markdown
 * FILE`): headline, counts per resource type and action, destroys and replacements first with ⚠ where
 * data is lost, then one collapsible ```diff section per resource, drift, outputs and an optional
 * Mermaid picture. Always under GitHub's 65,535-character comment limit (see markdown/fit.ts).
 */
import type { Plan } from '../plan/model.js';
import { alert, codeSpan } from './markdown/blocks.js';
import { fitDocument, type ItemGroup, type TrimReport } from './markdown/fit.js';
import {
  changesInReviewOrder,
  countDataLoss,
  destroyLines,
  driftItem,
  graphItem,
  headline,
  movesBlock,
  outputsItem,
  resourceItem,
  summaryTable,
  WARNING_SIGN,
} from './markdown/sections.js';

export const GITHUB_COMMENT_LIMIT = 65_535;
/** Room left for what CI adds around the document (a marker to find the comment again, a header). */
const CI_HEADROOM = 1_000;

export interface MarkdownOptions {
  /** Embed the Mermaid picture of what changes (default true). */
  graph?: boolean;
  /** Maximum length of the document in characters (default: GitHub's comment limit less 1,000 for CI's additions). */
  limit?: number;
  /** How a reader sees the untrimmed plan, e.g. `phoenix show -format=markdown plan.out`. */
  fullPlanCommand?: string;
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const title = plan.mode === 'destroy' ? '### phoenix destroy plan' : '### phoenix plan';
  const losses = countDataLoss(plan);
  const head = [
    title,
    headline(plan),
    summaryTable(plan),
    movesBlock(plan) ?? '',
    losses > 0 ? alert('CAUTION', [`**${losses} change${losses === 1 ? '' : 's'} lose${losses === 1 ? 's' : ''} data** (marked ${WARNING_SIGN} below).`]) : '',
    ...plan.warnings.map((w) => alert('WARNING', [w])),
  ].filter((part) => part !== '');

  const groups: ItemGroup[] = [
    { heading: '#### Resource changes', items: changesInReviewOrder(plan).map(resourceItem) },
    { heading: '#### Objects changed outside phoenix', items: plan.drift.map(driftItem) },
    { heading: '#### Output changes', items: optional(outputsItem(plan.outputs)) },
    { heading: '#### What the changes touch', items: options.graph === false ? [] : optional(graphItem(plan)) },
  ];
  const parts = {
    head: head.join('\n\n'),
    listHeading: '#### Destroys and replacements',
    list: destroyLines(plan),
    groups,
    footer: footer(plan),
  };
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT - CI_HEADROOM;
  return fitDocument(parts, limit, (report) => trimNote(report, limit, options.fullPlanCommand));
}

function trimNote(report: TrimReport, limit: number, fullPlanCommand: string | undefined): string {
  const what: string[] = [];
  if (report.contextHidden > 0) what.push(`unchanged attributes hidden in ${report.contextHidden} section${report.contextHidden === 1 ? '' : 's'}`);
  if (report.omitted > 0) what.push(`${report.omitted} of ${report.total} detail sections omitted, largest first`);
  if (report.listCut > 0) what.push(`the last ${report.listCut} destroys and replacements listed only as a count`);
  const full = fullPlanCommand ? ` Run ${codeSpan(fullPlanCommand)} for everything.` : ' The saved plan file has everything.';
  const kept = report.listCut > 0 ? 'The summary above is complete.' : 'The summary and every destroy and replacement are complete.';
  return alert('NOTE', [`**Trimmed to fit a comment (at most ${limit.toLocaleString('en-US')} characters):** ${what.join('; ')}. ${kept}${full}`]);
}

function footer(plan: Plan): string {
  const state = `state serial ${plan.prior_state.serial}, lineage ${plan.prior_state.lineage.slice(0, 8)}`;
  return `<sub>phoenix ${plan.phoenix_version} · planned against ${state} · config ${plan.config_hash.slice(0, 12)} · ${plan.created_at}</sub>`;
}

function optional<T>(item: T | undefined): T[] {
  return item === undefined ? [] : [item];
}
