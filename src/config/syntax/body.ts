/**
 * Body parser: attributes (`name = expr`) and blocks (`type "label" label { ... }`, including one-line
 * blocks). Errors are reported and the parser resumes at the next line, so one file yields every error.
 */
import type { Attribute, Block, Body, Expr, Pos, Range } from '../ast.js';
import type { Token } from '../tokens.js';
import { trimmed, type Cursor } from './cursor.js';
import { parseExpr, parseStringTemplate } from './expressions.js';

const ITEM_REQUIRED = 'Argument or block definition required';

/** Parse items until EOF (top level) or the `}` matching `open`, which is left for the caller. */
export function parseBody(c: Cursor, open?: Token): Body {
  const items: (Attribute | Block)[] = [];
  const start: Pos = open ? open.start : c.tokens.get(0).start;
  for (;;) {
    const t = c.peek();
    if (t.type === 'newline') {
      c.next();
    } else if (t.type === 'eof') {
      if (open) {
        c.report(
          'Missing closing brace',
          'There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.',
          c.tokenRange(open),
        );
      }
      break;
    } else if (t.type === 'punct' && t.text === '}') {
      if (open) break;
      c.report(ITEM_REQUIRED, 'An argument or block definition is required here; this closing brace has no matching opening brace.', c.tokenRange(t));
      c.next();
    } else if (t.type === 'ident') {
      const item = parseItem(c);
      if (item) items.push(item);
    } else {
      // The lexer has already reported invalid characters; one error per mistake is enough.
      if (t.type !== 'invalid') c.report(ITEM_REQUIRED, 'An argument or block definition is required here.', c.tokenRange(t));
      c.recoverToLineEnd();
    }
  }
  const end = open ? c.peek().end : c.peek().start;
  return { items: trimmed(items), range: c.range(start, end) };
}

function parseItem(c: Cursor): Attribute | Block | undefined {
  const name = c.next();
  const after = c.peek();
  if (after.type === 'punct' && after.text === '=') {
    const errorsBefore = c.diagnostics.length;
    const attr = parseAttributeRest(c, name);
    // After a broken expression the rest of the line is noise: skip it rather than report it again.
    if (c.diagnostics.length > errorsBefore) c.recoverToLineEnd();
    else requireLineEnd(c, 'Missing newline after argument', 'An argument definition must end with a newline.');
    return attr;
  }
  if (after.type === 'ident' || after.type === 'oquote' || (after.type === 'punct' && after.text === '{')) {
    return parseBlockRest(c, name);
  }
  c.report(
    ITEM_REQUIRED,
    'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
    c.tokenRange(after),
  );
  c.recoverToLineEnd();
  return undefined;
}

function parseAttributeRest(c: Cursor, name: Token): Attribute {
  c.next(); // =
  const expr: Expr = parseExpr(c);
  return { kind: 'attribute', name: name.text, nameRange: c.tokenRange(name), expr, range: c.range(name.start) };
}

function parseBlockRest(c: Cursor, type: Token): Block | undefined {
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  for (;;) {
    const t = c.peek();
    if (t.type === 'ident') {
      c.next();
      labels.push(t.text);
      labelRanges.push(c.tokenRange(t));
    } else if (t.type === 'oquote') {
      const label = parseQuotedLabel(c);
      if (label === undefined) return undefined;
      labels.push(label.value);
      labelRanges.push(label.range);
    } else {
      break;
    }
  }
  const open = c.eatPunct('{');
  if (!open) {
    c.report('Invalid block definition', 'Either a quoted string block label or an opening brace ("{") is expected here.', c.tokenRange(c.peek()));
    c.recoverToLineEnd();
    return undefined;
  }
  if (!c.enter()) return undefined;
  const body = c.peek().type === 'newline' || c.peek().type === 'eof' ? parseBody(c, open) : parseSingleLineBody(c, open);
  c.leave();
  const close = c.eatPunct('}');
  if (close) requireLineEnd(c, 'Missing newline after block definition', 'A block definition must end with a newline.');
  return {
    kind: 'block',
    type: type.text,
    typeRange: c.tokenRange(type),
    labels: trimmed(labels),
    labelRanges: trimmed(labelRanges),
    body,
    range: c.range(type.start),
  };
}

/** `name { arg = value }`: at most one argument, closed on the same line. */
function parseSingleLineBody(c: Cursor, open: Token): Body {
  const items: Attribute[] = [];
  const first = c.peek();
  if (first.type === 'ident' && c.peekSecond().type === 'punct' && c.peekSecond().text === '=') {
    items.push(parseAttributeRest(c, c.next()));
  }
  if (!c.isPunct('}')) {
    c.report(
      'Invalid single-argument block definition',
      'A single-line block definition can contain only a single argument. If you meant to define multiple arguments or a nested block, place the block contents on separate lines.',
      c.tokenRange(c.peek()),
    );
    c.recoverToLineEnd();
  }
  return { items: trimmed(items), range: c.range(open.start, c.peek().end) };
}

function parseQuotedLabel(c: Cursor): { value: string; range: Range } | undefined {
  const expr = parseStringTemplate(c);
  if (expr.parts.every((p) => p.kind === 'literal')) {
    return { value: expr.parts.map((p) => (p.kind === 'literal' ? p.value : '')).join(''), range: expr.range };
  }
  c.report('Invalid block label', 'Template sequences are not allowed in block labels.', expr.range);
  c.recoverToLineEnd();
  return undefined;
}

/**
 * An argument or block ends at a newline or the end of the file, as in HCL: `value = 1}` is an error
 * even where the brace could close the enclosing block.
 */
function requireLineEnd(c: Cursor, summary: string, detail: string): void {
  const t = c.peek();
  if (t.type === 'newline') {
    c.next();
    return;
  }
  if (t.type === 'eof') return;
  const comma = t.type === 'punct' && t.text === ',';
  if (comma && summary === 'Missing newline after argument') {
    c.report('Unexpected comma after argument', `Argument definitions must be separated by newlines, not commas. ${detail}`, c.tokenRange(t));
  } else if (t.type !== 'invalid') {
    // An invalid character was already reported by the lexer; one error per mistake.
    c.report(summary, detail, c.tokenRange(t));
  }
  // A brace is left to close the enclosing block, so the block itself is not reported as unclosed.
  c.recoverToLineEnd();
}
