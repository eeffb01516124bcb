/**
 * How plan, show and apply output plans: `-format=human|markdown`, `-json` event streams, and saved
 * plan files (`-out=FILE`, `apply FILE`, `show FILE`). The file encoding itself is src/plan/planfile.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DiagnosticError, error } from '../config/diagnostics.js';
import type { Plan } from '../plan/model.js';
import { decodePlanFile, encodePlanFile, type PlanFile } from '../plan/planfile.js';
import { createEventWriter, type EventWriter } from '../render/events.js';
import { renderPlanHuman } from '../render/human.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { createStyle } from '../render/style.js';
import type { StateFile } from '../state/model.js';
import type { FlagSpec } from './args.js';
import type { CommandContext } from './command.js';
import type { Ui } from './ui.js';
import { PHOENIX_VERSION } from './version.js';

export const PLAN_FORMATS = ['human', 'markdown'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export const FORMAT_FLAG: FlagSpec = {
  name: 'format',
  kind: 'string',
  default: 'human',
  metavar: 'FORMAT',
  description: 'How to render the plan: human, or markdown for a pull-request comment (default human).',
};

export const JSON_EVENTS_FLAG: FlagSpec = {
  name: 'json',
  kind: 'bool',
  description: 'Print machine-readable events instead of text, one JSON object per line (docs/plan-json.md).',
};

export const OUT_FLAG: FlagSpec = {
  name: 'out',
  kind: 'string',
  metavar: 'FILE',
  description: 'Save the plan to FILE; "phoenix apply FILE" then applies exactly these actions.',
};

export function planFormat(ctx: CommandContext): PlanFormat {
  const format = ctx.args.flags.string('format') ?? 'human';
  if (!(PLAN_FORMATS as readonly string[]).includes(format)) {
    throw new DiagnosticError([error(`Invalid value for -format: must be one of ${PLAN_FORMATS.join(', ')}`)]);
  }
  return format as PlanFormat;
}

export interface RenderChoices {
  color: boolean;
  compact: boolean;
  /** Named in the markdown trimming note: how to see the untrimmed plan. */
  fullPlanCommand?: string;
}

export function renderPlanAs(plan: Plan, format: PlanFormat, choices: RenderChoices): string {
  if (format === 'markdown') return renderPlanMarkdown(plan, choices.fullPlanCommand ? { fullPlanCommand: choices.fullPlanCommand } : {});
  return renderPlanHuman(plan, { color: choices.color, compact: choices.compact });
}

/** Writes the saved plan (owner-only: like the state, it holds sensitive values). */
export function writePlanFile(ctx: CommandContext, path: string, plan: Plan, priorState: StateFile): void {
  try {
    writeFileSync(resolvePath(ctx, path), encodePlanFile(plan, priorState), { mode: 0o600 });
  } catch (e) {
    throw new DiagnosticError([error('Failed to write the plan file', `Cannot write ${path}: ${(e as Error).message}`)]);
  }
}

export function readPlanFile(ctx: CommandContext, path: string): PlanFile {
  let text: string;
  try {
    text = readFileSync(resolvePath(ctx, path), 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DiagnosticError([
      error('Failed to read the plan file', missing ? `The file ${path} does not exist. Create it with "phoenix plan -out=${path}".` : `Cannot read ${path}: ${(e as Error).message}`),
    ]);
  }
  return decodePlanFile(text, path);
}

function resolvePath(ctx: CommandContext, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.cwd, path);
}

/**
 * For `-json`: events go to stdout one per line, human text is suppressed, diagnostics become
 * `diagnostic` events. Returns the context to run the command with and the event writer.
 */
export function jsonContext(ctx: CommandContext): { ctx: CommandContext; events: EventWriter } {
  const { sensitive } = ctx.ui;
  const writer = createEventWriter((line) => ctx.ui.out(line));
  const events: EventWriter = { ...writer, diagnostic: (d) => writer.diagnostic(sensitive.redactDiagnostic(d)) };
  const ui: Ui = {
    color: false,
    style: createStyle(false),
    interactive: false,
    sensitive,
    out: () => undefined,
    err: (text) => ctx.ui.err(text),
    diagnostics: (diags) => diags.forEach((d) => events.diagnostic(d)),
  };
  events.version(PHOENIX_VERSION);
  return { ctx: { ...ctx, ui }, events };
}

/** Runs a -json command: a DiagnosticError becomes diagnostic events and exit code 1. */
export async function reportingDiagnostics(events: EventWriter, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    e.diagnostics.forEach((d) => events.diagnostic(d));
    return 1;
  }
}
