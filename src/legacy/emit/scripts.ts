/**
 * A legacy script as the estate reads it: `file("${var.features_dir}/...")` where the legacy tool would have
 * found it, else (never a `file()` of a missing file, which would make the whole estate fail to load) a
 * script that fails with the lookup's message — the estate validates, the plan shows that script, and the
 * apply of that one feature or check stops with it. The convert warning names guest, field and paths.
 */
import { legacyDiagnostic, type JsonLocation } from '../json-path.js';
import { call, heredoc, template, type HclExpr, type HclRaw } from '../hcl-writer.js';
import type { LegacyGuest } from '../model.js';
import { lookUpScript, missingScript, SCRIPT_DIR_VARIABLES, type ScriptDir, type ScriptRequest } from '../scripts.js';
import type { EmitContext } from './context.js';

export function guestLabel(guest: LegacyGuest): string {
  return `${guest.kind === 'lxc' ? 'container' : 'VM'} ${guest.id}${guest.name ? ` (${guest.name})` : ''}`;
}

/** The `*_dir` variable of a script folder, declared on first use. */
export function scriptDirReference(ctx: EmitContext, dir: ScriptDir): HclRaw {
  const { variable, description } = SCRIPT_DIR_VARIABLES[dir];
  return ctx.declare({ name: variable, type: 'string', default: ctx.options.scriptDirs[dir], description });
}

export type ScriptText = { found: true; expr: HclExpr; file: string; dir: ScriptDir } | { found: false; expr: HclExpr; text: string };

/** The script's text as an expression; `what` says what it is for ("script of feature \"docker\" of VM 1001"). */
export function locateLegacyScript(ctx: EmitContext, request: ScriptRequest, what: string, location: JsonLocation): ScriptText {
  const lookup = lookUpScript(request, ctx.options.locateScript);
  if (lookup.found) {
    const dir = scriptDirReference(ctx, lookup.found.dir);
    return { found: true, expr: call('file', template(dir, `/${lookup.found.file}`)), file: lookup.found.file, dir: lookup.found.dir };
  }
  ctx.diagnostics.push(
    legacyDiagnostic(
      'warning',
      location,
      `No ${what} found: tried ${lookup.tried.map((t) => t.path).join(', ')}`,
      'It was written as a script that fails with this message: the estate validates and plans, and its apply stops there until the script is provided (copy it there and convert again, or point the *_dir variable at it).',
    ),
  );
  const text = missingScript(what, lookup.tried.map((t) => t.written));
  return { found: false, expr: heredoc(text), text };
}

export function scriptExpression(ctx: EmitContext, request: ScriptRequest, what: string, location: JsonLocation): HclExpr {
  return locateLegacyScript(ctx, request, what, location).expr;
}
