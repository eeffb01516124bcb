/**
 * Entry points of the HCL native-syntax parser. Each returns whatever it could build plus every
 * diagnostic found; none throws. The grammar lives in ./syntax/ (body, expressions, templates).
 */
import type { Expr, HclFile, TemplateExpr } from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { lex } from './lexer.js';
import { parseBody } from './syntax/body.js';
import { Cursor, MAX_NESTING, STACK_NESTING } from './syntax/cursor.js';
import { parseExpr, parsePrimary } from './syntax/expressions.js';
import { parseTemplateBody } from './syntax/templates.js';

export function parseHcl(source: string, filename: string): { file: HclFile; diagnostics: Diagnostic[] } {
  let cursor: Cursor | undefined;
  return guarded(filename, () => cursor, () => {
    const { tokens, diagnostics: lexDiags } = lex(source, filename);
    cursor = new Cursor(tokens, source, filename);
    const body = parseBody(cursor);
    cursor.parseDeferred(parsePrimary);
    return { file: { filename, source, body }, diagnostics: combine(lexDiags, cursor.diagnostics) };
  }, (diagnostics) => ({ file: { filename, source, body: { items: [], range: emptyRange(filename) } }, diagnostics }));
}

/** A standalone expression, e.g. the value of `-var name=value`. */
export function parseExpression(source: string, filename: string): { expr?: Expr; diagnostics: Diagnostic[] } {
  let cursor: Cursor | undefined;
  return guarded(filename, () => cursor, () => {
    const { tokens, diagnostics: lexDiags } = lex(source, filename);
    const c = new Cursor(tokens, source, filename);
    cursor = c;
    const expr = c.withNewlines(false, () => {
      if (c.peek().type === 'eof') {
        c.report('Missing expression', 'Expected the start of an expression, but found the end of the input.', c.tokenRange(c.peek()));
        return undefined;
      }
      const parsed = parseExpr(c);
      const extra = c.peek();
      if (extra.type !== 'eof') {
        c.report('Extra characters after expression', 'An expression was successfully parsed, but extra characters were found after it.', c.tokenRange(extra));
      }
      c.parseDeferred(parsePrimary);
      return parsed;
    });
    return { expr, diagnostics: combine(lexDiags, c.diagnostics) };
  }, (diagnostics) => ({ diagnostics }));
}

/** A whole file as a template (the `templatefile()` function): literal text with `${}` and `%{}`. */
export function parseTemplate(source: string, filename: string): { expr?: TemplateExpr; diagnostics: Diagnostic[] } {
  let cursor: Cursor | undefined;
  return guarded(filename, () => cursor, () => {
    const { tokens, diagnostics: lexDiags } = lex(source, filename, true);
    const c = new Cursor(tokens, source, filename);
    cursor = c;
    const parts = parseTemplateBody(c, 'file', false);
    c.parseDeferred(parsePrimary);
    const eof = tokens.get(tokens.length - 1);
    const expr: TemplateExpr = { kind: 'template', parts, range: c.range(tokens.get(0).start, eof.end) };
    return { expr, diagnostics: combine(lexDiags, c.diagnostics) };
  }, (diagnostics) => ({ diagnostics }));
}

/**
 * Lexical errors (bad characters, broken strings) confuse the grammar that follows them on the same
 * line; the user needs one error per mistake, so grammar errors on such lines are dropped.
 */
function combine(lexical: Diagnostic[], grammatical: Diagnostic[]): Diagnostic[] {
  const brokenLines = new Set(lexical.map((d) => d.range?.start.line));
  const kept = grammatical.filter((d) => !brokenLines.has(d.range?.start.line));
  return sortByPosition([...lexical, ...kept]);
}

function sortByPosition(diags: Diagnostic[]): Diagnostic[] {
  return diags.sort((a, b) => (a.range?.start.offset ?? 0) - (b.range?.start.offset ?? 0));
}

function emptyRange(file: string) {
  const start = { line: 1, col: 1, offset: 0 };
  return { file, start, end: start };
}

/**
 * A parser bug must surface as a diagnostic, never as a stack trace in front of the user. Running out
 * of call stack (nesting deeper than this machine's stack allows, though within MAX_NESTING) is
 * reported where the parser stood.
 */
function guarded<R>(filename: string, cursor: () => Cursor | undefined, run: () => R, fallback: (diagnostics: Diagnostic[]) => R): R {
  try {
    return run();
  } catch (cause) {
    const at = cursor();
    if (cause instanceof RangeError && /call stack/.test(cause.message) && at) {
      const detail = `This configuration nests expressions, templates or blocks too deeply to be read (the limit is ${MAX_NESTING} levels, ${STACK_NESTING} for blocks, template directives and splats). Split the nesting into local values.`;
      return fallback([error('Nesting too deep', detail, at.tokenRange(at.peek()))]);
    }
    const detail = `The parser failed unexpectedly (${cause instanceof Error ? cause.message : String(cause)}). Please report this as a bug.`;
    return fallback([error('Internal parser error', detail, emptyRange(filename))]);
  }
}
