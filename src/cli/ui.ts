/**
 * Where the CLI writes: results to stdout, diagnostics and notes to stderr, colours only when wanted
 * (no -no-color, stdout a TTY, NO_COLOR unset). Commands never touch process.stdout directly, which keeps
 * them testable and lets the live status line know what else was printed.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { SensitiveTexts } from '../plan/redaction.js';
import { formatDiagnostics } from '../render/diagnostics.js';
import { createStyle, type Style } from '../render/style.js';

export interface Ui {
  readonly color: boolean;
  readonly style: Style;
  /** stdout is a terminal: live status lines are allowed. */
  readonly interactive: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Diagnostics go to stderr with every registered sensitive text redacted. */
  diagnostics(diags: readonly Diagnostic[], sources?: ReadonlyMap<string, string>): void;
  /**
   * The text of every sensitive value this run has seen (variables, attributes): the workdir seeds it,
   * the engine adds to it, and diagnostics, host errors and progress are redacted with it.
   */
  readonly sensitive: SensitiveTexts;
  /** Called before anything is printed (the live status line clears itself). */
  beforeWrite?: () => void;
}

export function wantsColor(noColorFlag: boolean, env: NodeJS.ProcessEnv): boolean {
  return !noColorFlag && process.stdout.isTTY === true && (env.NO_COLOR ?? '') === '';
}

export function createUi(color: boolean, sensitive = new SensitiveTexts()): Ui {
  const ui: Ui = {
    color,
    sensitive,
    style: createStyle(color),
    interactive: process.stdout.isTTY === true,
    out(text) {
      ui.beforeWrite?.();
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    err(text) {
      ui.beforeWrite?.();
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    diagnostics(diags, sources = new Map()) {
      if (diags.length === 0) return;
      ui.beforeWrite?.();
      process.stderr.write(formatDiagnostics(diags.map((d) => sensitive.redactDiagnostic(d)), sources, { color: ui.color }));
    },
  };
  return ui;
}
