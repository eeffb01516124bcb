/**
 * Expression parser: precedence climbing for operators, then postfix traversals (attributes, indexes,
 * splats) on primaries. On a syntax error it reports once and returns a null literal covering the bad
 * token, so callers keep going.
 */
import type { BinaryOp, Expr, ForExpr, ObjectItem, Pos, Range, TemplateExpr } from '../ast.js';
import type { Token } from '../lexer.js';
import { trimmed, type Cursor } from './cursor.js';
import { parseTemplateBody } from './templates.js';

/** Binary operators by precedence level, lowest first (hclsyntax spec "Operations"). */
const BINARY_LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

export function parseExpr(c: Cursor): Expr {
  const cond = parseBinary(c, 0);
  if (!c.isPunct('?')) return cond;
  c.next();
  const then = parseExpr(c);
  if (!c.eatPunct(':')) {
    expected(c, 'Missing false expression in conditional', 'The conditional operator (...?...:...) requires a false expression, delimited by a colon.');
    return { kind: 'conditional', cond, then, else: nullAt(c), range: c.range(cond.range.start) };
  }
  const otherwise = parseExpr(c);
  return { kind: 'conditional', cond, then, else: otherwise, range: c.range(cond.range.start) };
}

function parseBinary(c: Cursor, level: number): Expr {
  if (level >= BINARY_LEVELS.length) return parseUnary(c);
  let left = parseBinary(c, level + 1);
  for (;;) {
    const t = c.peek();
    if (t.type !== 'punct' || !(BINARY_LEVELS[level] as readonly string[]).includes(t.text)) return left;
    c.next();
    const right = parseBinary(c, level + 1);
    left = { kind: 'binary', op: t.text as BinaryOp, left, right, range: c.range(left.range.start) };
  }
}

function parseUnary(c: Cursor): Expr {
  const t = c.peek();
  if (t.type === 'punct' && (t.text === '-' || t.text === '!')) {
    c.next();
    const operand = parseUnary(c);
    return { kind: 'unary', op: t.text, operand, range: c.range(t.start) };
  }
  return parsePostfix(c, parsePrimary(c));
}

function parsePostfix(c: Cursor, target: Expr): Expr {
  let expr = target;
  for (;;) {
    if (c.isPunct('.')) {
      const after = c.peekSecond();
      if (after.type === 'punct' && after.text === '*') {
        c.next();
        c.next();
        expr = parseSplat(c, expr, false);
        continue;
      }
      c.next();
      const step = c.next();
      if (step.type === 'ident') {
        expr = { kind: 'getattr', target: expr, name: step.text, range: c.range(expr.range.start) };
      } else if (step.type === 'number' && /^\d+(\.\d+)?$/.test(step.text)) {
        // Legacy index `a.0`; `a.0.1` arrives as one number token.
        for (const digits of step.text.split('.')) {
          const key: Expr = { kind: 'literal', value: Number(digits), range: c.tokenRange(step) };
          expr = { kind: 'index', target: expr, key, range: c.range(expr.range.start) };
        }
      } else {
        c.report('Invalid attribute name', 'An attribute name is required after a dot.', c.tokenRange(step));
        return expr;
      }
    } else if (c.isPunct('[')) {
      // `[` on a new line is a new tuple, not an index; the cursor only sees it here if newlines are ignored.
      c.next();
      const star = c.peek();
      if (star.type === 'punct' && star.text === '*' && c.peekSecond().text === ']') {
        c.next();
        c.next();
        expr = parseSplat(c, expr, true);
        continue;
      }
      const key = c.withNewlines(false, () => parseExpr(c));
      if (!c.withNewlines(false, () => c.eatPunct(']'))) {
        expected(c, 'Missing close bracket on index', 'The index operator must end with a closing bracket ("]").');
        c.withNewlines(false, () => c.recoverTo(']'));
      }
      expr = { kind: 'index', target: expr, key, range: c.range(expr.range.start) };
    } else {
      return expr;
    }
  }
}

/** After `.*` (attribute-only) or `[*]` (full): collect the traversal applied to each element. */
function parseSplat(c: Cursor, target: Expr, full: boolean): Expr {
  const itemRange = c.range(c.lastEnd(), c.lastEnd());
  let each: Expr = { kind: 'splatItem', range: itemRange };
  for (;;) {
    if (c.isPunct('.') && c.peekSecond().type === 'ident') {
      c.next();
      const name = c.next();
      each = { kind: 'getattr', target: each, name: name.text, range: c.range(itemRange.start) };
    } else if (full && c.isPunct('[') && !(c.peekSecond().type === 'punct' && c.peekSecond().text === '*')) {
      c.next();
      const key = c.withNewlines(false, () => parseExpr(c));
      if (!c.withNewlines(false, () => c.eatPunct(']'))) {
        expected(c, 'Missing close bracket on index', 'The index operator must end with a closing bracket ("]").');
      }
      each = { kind: 'index', target: each, key, range: c.range(itemRange.start) };
    } else {
      break;
    }
  }
  return { kind: 'splat', target, each, full, range: c.range(target.range.start) };
}

function parsePrimary(c: Cursor): Expr {
  const t = c.peek();
  switch (t.type) {
    case 'number':
      c.next();
      return { kind: 'literal', value: Number(t.text), range: c.tokenRange(t) };
    case 'ident':
      return parseIdentStart(c);
    case 'oquote':
    case 'oheredoc':
      return parseStringTemplate(c);
    case 'punct':
      if (t.text === '(') return parseParen(c);
      if (t.text === '[') return parseTupleOrFor(c);
      if (t.text === '{') return parseObjectOrFor(c);
      break;
    default:
      break;
  }
  if (t.type === 'invalid') c.next(); // the lexer has reported it
  else expected(c, 'Invalid expression', 'Expected the start of an expression, but found ' + c.describe(t) + '.');
  return { kind: 'literal', value: null, range: c.tokenRange(t) };
}

function parseIdentStart(c: Cursor): Expr {
  const t = c.next();
  const range = c.tokenRange(t);
  if (c.peekRaw().type === 'punct' && c.peekRaw().text === '(') return parseCall(c, t);
  if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', range };
  if (t.text === 'null') return { kind: 'literal', value: null, range };
  return { kind: 'scope', name: t.text, range };
}

function parseCall(c: Cursor, name: Token): Expr {
  c.next(); // (
  const args: Expr[] = [];
  let expandFinal = false;
  c.withNewlines(false, () => {
    while (!c.isPunct(')') && c.peek().type !== 'eof') {
      args.push(parseExpr(c));
      if (c.eatPunct('...')) {
        expandFinal = true;
        if (!c.isPunct(')')) {
          expected(c, 'Missing closing parenthesis', 'An expanded function argument (with "...") must be immediately followed by closing parentheses.');
          c.recoverTo(')');
          return;
        }
      }
      if (c.eatPunct(',')) continue;
      if (!c.isPunct(')')) {
        expected(c, 'Missing argument separator', 'A comma is required to separate each function argument from the next.');
        c.recoverTo(')');
        return;
      }
    }
    if (!c.eatPunct(')')) {
      expected(c, 'Unterminated function call', 'There is no closing parenthesis for this function call before the end of the file.');
    }
  });
  return { kind: 'call', name: name.text, args: trimmed(args), expandFinal, nameRange: c.tokenRange(name), range: c.range(name.start) };
}

function parseParen(c: Cursor): Expr {
  const open = c.next();
  const inner = c.withNewlines(false, () => {
    const expr = parseExpr(c);
    if (!c.eatPunct(')')) {
      expected(c, 'Missing closing parenthesis', 'Expected a closing parenthesis to terminate the expression.');
      c.recoverTo(')');
    }
    return expr;
  });
  return { kind: 'paren', expr: inner, range: c.range(open.start) };
}

function parseTupleOrFor(c: Cursor): Expr {
  const open = c.next();
  return c.withNewlines(false, () => {
    if (isForStart(c)) return parseFor(c, open, false);
    const items: Expr[] = [];
    while (!c.isPunct(']') && c.peek().type !== 'eof') {
      items.push(parseExpr(c));
      if (c.eatPunct(',')) continue;
      if (!c.isPunct(']')) {
        expected(c, 'Missing item separator', 'Expected a comma to mark the beginning of the next item.');
        c.recoverTo(']');
        return { kind: 'tuple', items: trimmed(items), range: c.range(open.start) };
      }
    }
    if (!c.eatPunct(']')) reportUnclosed(c, open, 'bracket', ']');
    return { kind: 'tuple', items: trimmed(items), range: c.range(open.start) };
  });
}

function parseObjectOrFor(c: Cursor): Expr {
  const open = c.next();
  if (c.withNewlines(false, () => isForStart(c))) return c.withNewlines(false, () => parseFor(c, open, true));
  // Newlines separate object items, even when the object sits inside parentheses or brackets.
  return c.withNewlines(true, () => parseObjectItems(c, open));
}

function parseObjectItems(c: Cursor, open: Token): Expr {
  const items: ObjectItem[] = [];
  const skipSeparators = (): void => {
    while (c.peek().type === 'newline') c.next();
  };
  skipSeparators();
  while (!c.isPunct('}') && c.peek().type !== 'eof') {
    const key = parseExpr(c);
    const bare = key.kind === 'scope';
    const itemKey: Expr = bare ? { kind: 'literal', value: key.name, range: key.range } : key;
    if (!c.eatPunct('=') && !c.eatPunct(':')) {
      expected(c, 'Missing key/value separator', 'Expected an equals sign ("=") to mark the beginning of the attribute value.');
      c.recoverTo('}');
      return { kind: 'object', items: trimmed(items), range: c.range(open.start) };
    }
    const value = parseExpr(c);
    items.push({ key: itemKey, bareKey: bare, value, range: c.range(key.range.start) });
    const sep = c.peek();
    if (sep.type === 'newline' || (sep.type === 'punct' && sep.text === ',')) {
      c.next();
      skipSeparators();
      continue;
    }
    if (!c.isPunct('}')) {
      expected(c, 'Missing attribute separator', 'Expected a newline or comma to mark the beginning of the next attribute.');
      c.recoverTo('}');
      return { kind: 'object', items: trimmed(items), range: c.range(open.start) };
    }
  }
  if (!c.eatPunct('}')) reportUnclosed(c, open, 'brace', '}');
  return { kind: 'object', items: trimmed(items), range: c.range(open.start) };
}

function isForStart(c: Cursor): boolean {
  const t = c.peek();
  return t.type === 'ident' && t.text === 'for' && c.peekSecond().type === 'ident';
}

/** `for k, v in coll : [key =>] value [...] [if cond]` followed by `]` or `}` (newlines ignored). */
function parseFor(c: Cursor, open: Token, isObject: boolean): ForExpr {
  const close = isObject ? '}' : ']';
  c.next(); // for
  const first = c.next();
  let keyVar: string | undefined;
  let valueVar = first.text;
  if (c.eatPunct(',')) {
    keyVar = first.text;
    valueVar = expectIdent(c, 'Invalid "for" expression', 'The "for" keyword must be followed by one or two variable names.');
  }
  const inKw = c.peek();
  if (inKw.type !== 'ident' || inKw.text !== 'in') {
    expected(c, 'Invalid "for" expression', 'The "for" variable names must be followed by the "in" keyword.');
  } else {
    c.next();
  }
  const collection = parseExpr(c);
  if (!c.eatPunct(':')) expected(c, 'Invalid "for" expression', 'The collection of a "for" expression must be followed by a colon.');
  let keyExpr: Expr | undefined;
  let valueExpr = parseExpr(c);
  if (isObject) {
    if (c.eatPunct('=>')) {
      keyExpr = valueExpr;
      valueExpr = parseExpr(c);
    } else {
      expected(c, 'Invalid "for" expression', 'An object "for" expression needs a key expression and "=>" before the value.');
    }
  }
  const group = isObject && !!c.eatPunct('...');
  let cond: Expr | undefined;
  const ifKw = c.peek();
  if (ifKw.type === 'ident' && ifKw.text === 'if') {
    c.next();
    cond = parseExpr(c);
  }
  if (!c.eatPunct(close)) {
    expected(c, 'Invalid "for" expression', `Expected "${close}" to close the "for" expression.`);
    c.recoverTo(close);
  }
  return { kind: 'for', keyVar, valueVar, collection, keyExpr, valueExpr, cond, group, isObject, range: c.range(open.start) };
}

function expectIdent(c: Cursor, summary: string, detail: string): string {
  const t = c.peek();
  if (t.type === 'ident') return c.next().text;
  expected(c, summary, detail);
  return '';
}

/** A quoted string or heredoc starting at the cursor. */
export function parseStringTemplate(c: Cursor): TemplateExpr {
  const open = c.next();
  const heredoc = open.type === 'oheredoc' ? parseHeredocHeader(open.text) : undefined;
  const parts = parseTemplateBody(c, heredoc ? 'heredoc' : 'quoted', heredoc?.strip ?? false);
  c.nextRaw(); // closing quote or marker (possibly synthetic; the lexer reported it)
  return { kind: 'template', parts, ...(heredoc ? { heredoc } : {}), range: c.range(open.start) };
}

function parseHeredocHeader(text: string): { marker: string; strip: boolean } {
  const strip = text.startsWith('<<-');
  return { marker: text.slice(strip ? 3 : 2).trim(), strip };
}

function reportUnclosed(c: Cursor, open: Token, what: string, close: string): void {
  c.report(
    `Missing closing ${what}`,
    `There is no closing "${close}" for this opening "${open.text}" before the end of the file.`,
    c.tokenRange(open),
  );
}

/** Report that the next token is not what was expected, pointing at that token. */
export function expected(c: Cursor, summary: string, detail: string): void {
  const t = c.peek();
  c.report(summary, detail, c.tokenRange(t));
}

function nullAt(c: Cursor): Expr {
  const at: Pos = c.lastEnd();
  const range: Range = c.range(at, at);
  return { kind: 'literal', value: null, range };
}
