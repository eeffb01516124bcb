/**
 * Expression parser: precedence climbing for operators, then postfix traversals (attributes, indexes,
 * splats) on primaries. On a syntax error it reports once and returns a null literal covering the bad
 * token, so callers keep going.
 */
import type { BinaryOp, Expr, ForExpr, ObjectItem, Pos, Range, TemplateExpr } from '../ast.js';
import type { Token } from '../lexer.js';
import { SourceRange } from '../source-range.js';
import { trimmed, type Cursor } from './cursor.js';
import { parseTemplateBody } from './templates.js';
import { parsePostfix } from './traversals.js';

/** Binary operators and their precedence level, lowest first (hclsyntax spec "Operations"). */
const BINARY_LEVEL: ReadonlyMap<string, number> = new Map([
  ['||', 0],
  ['&&', 1],
  ['==', 2], ['!=', 2],
  ['<', 3], ['>', 3], ['<=', 3], ['>=', 3],
  ['+', 4], ['-', 4],
  ['*', 5], ['/', 5], ['%', 5],
]);

export function parseExpr(c: Cursor): Expr {
  // Every nested construct comes through here, so this is where nesting depth is bounded.
  if (!c.enter()) return nullAt(c);
  const first = parseBinary(c);
  if (!c.isPunct('?')) {
    c.leave();
    return first;
  }
  // `a ? b : c ? d : e` nests to the right: the chain of false branches is read in a loop, not by recursion.
  const links: { cond: Expr; then: Expr }[] = [];
  let cond = first;
  let otherwise: Expr;
  for (;;) {
    c.next(); // ?
    const then = parseExpr(c);
    links.push({ cond, then });
    if (!c.eatPunct(':')) {
      expected(c, 'Missing false expression in conditional', 'The conditional operator (...?...:...) requires a false expression, delimited by a colon.');
      otherwise = nullAt(c);
      break;
    }
    const next = parseBinary(c);
    if (!c.isPunct('?')) {
      otherwise = next;
      break;
    }
    cond = next;
  }
  c.leave();
  const end = c.lastEnd();
  for (let i = links.length - 1; i >= 0; i--) {
    const link = links[i]!;
    otherwise = { kind: 'conditional', cond: link.cond, then: link.then, else: otherwise, range: c.range(link.cond.range.start, end) };
  }
  return otherwise;
}

/**
 * Operator precedence with explicit operand and operator stacks (left-associative), so a long
 * `a + b + ...` costs no call-stack depth and each nesting level only a few frames.
 */
function parseBinary(c: Cursor): Expr {
  const operands: Expr[] = [parseUnary(c)];
  const operators: { op: BinaryOp; level: number }[] = [];
  const reduce = (): void => {
    const right = operands.pop()!;
    const left = operands.pop()!;
    const { op } = operators.pop()!;
    operands.push({ kind: 'binary', op, left, right, range: SourceRange.spanning(left.range, right.range) });
  };
  for (;;) {
    const t = c.peek();
    const level = t.type === 'punct' ? BINARY_LEVEL.get(t.text) : undefined;
    if (level === undefined) break;
    while (operators.length > 0 && operators[operators.length - 1]!.level >= level) reduce();
    c.next();
    operators.push({ op: t.text as BinaryOp, level });
    operands.push(parseUnary(c));
  }
  while (operators.length > 0) reduce();
  return operands[0]!;
}

/** `-x`, `!x`, `- -x`: the operand is a term with its traversals, as HCL's parseExpressionWithTraversals. */
function parseUnary(c: Cursor): Expr {
  const operators: Token[] = [];
  for (let t = c.peek(); t.type === 'punct' && (t.text === '-' || t.text === '!'); t = c.peek()) operators.push(c.next());
  let expr = parsePostfix(c, parsePrimary(c));
  for (let i = operators.length - 1; i >= 0; i--) {
    const op = operators[i]!;
    expr = { kind: 'unary', op: op.text as '-' | '!', operand: expr, range: c.range(op.start) };
  }
  return expr;
}

export function parsePrimary(c: Cursor): Expr {
  if (c.shouldDefer() && c.atBracketedConstruct()) {
    // Parsed later on a fresh stack (Cursor.parseDeferred); the placeholder is filled in place.
    return c.defer<Expr>((first, last) => ({ kind: 'literal', value: null, range: c.range(first.start, last.end) }));
  }
  const t = c.peek();
  switch (t.type) {
    case 'number': {
      c.next();
      const value = Number(t.text);
      if (Number.isNaN(value)) c.report('Invalid number literal', 'Failed to recognize the value of this number literal.', c.tokenRange(t));
      return { kind: 'literal', value: Number.isNaN(value) ? null : value, range: c.tokenRange(t) };
    }
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
  const after = c.peekRaw();
  if (after.type === 'punct' && (after.text === '(' || after.text === '::')) return parseCall(c, t);
  if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', range };
  if (t.text === 'null') return { kind: 'literal', value: null, range };
  return { kind: 'scope', name: t.text, range };
}

function parseCall(c: Cursor, name: Token): Expr {
  // `provider::ns::f(...)`: a namespaced name, kept whole as HCL does ("a::b" cannot be declared).
  let fullName = name.text;
  while (c.eatPunct('::')) {
    const part = c.peek();
    if (part.type !== 'ident') {
      c.report('Missing function name', 'Function scope resolution symbol :: must be followed by a function name in this scope.', c.tokenRange(part));
      return { kind: 'literal', value: null, range: c.range(name.start) };
    }
    fullName += '::' + c.next().text;
  }
  const nameEnd = c.lastEnd();
  if (!c.eatPunct('(')) {
    expected(c, 'Missing open parenthesis', 'A function name must be followed by an opening parenthesis ("(").');
    return { kind: 'literal', value: null, range: c.range(name.start) };
  }
  c.pushNewlines(false);
  const { args, expandFinal } = parseArguments(c);
  c.popNewlines();
  return { kind: 'call', name: fullName, args, expandFinal, nameRange: c.range(name.start, nameEnd), range: c.range(name.start) };
}

/** Call arguments up to and including the closing parenthesis (newlines ignored). */
function parseArguments(c: Cursor): { args: Expr[]; expandFinal: boolean } {
  const args: Expr[] = [];
  let expandFinal = false;
  const result = () => ({ args: trimmed(args), expandFinal });
  while (!c.isPunct(')') && c.peek().type !== 'eof') {
    args.push(parseExpr(c));
    if (c.eatPunct('...')) {
      expandFinal = true;
      if (!c.isPunct(')')) {
        expected(c, 'Missing closing parenthesis', 'An expanded function argument (with "...") must be immediately followed by closing parentheses.');
        c.recoverTo(')');
        return result();
      }
    }
    if (c.eatPunct(',')) continue;
    if (!c.isPunct(')')) {
      expected(c, 'Missing argument separator', 'A comma is required to separate each function argument from the next.');
      c.recoverTo(')');
      return result();
    }
  }
  if (!c.eatPunct(')')) {
    expected(c, 'Unterminated function call', 'There is no closing parenthesis for this function call before the end of the file.');
  }
  return result();
}

function parseParen(c: Cursor): Expr {
  const open = c.next();
  c.pushNewlines(false);
  const inner = parseExpr(c);
  if (!c.eatPunct(')')) {
    expected(c, 'Missing closing parenthesis', 'Expected a closing parenthesis to terminate the expression.');
    c.recoverTo(')');
  }
  c.popNewlines();
  return { kind: 'paren', expr: inner, range: c.range(open.start) };
}

function parseTupleOrFor(c: Cursor): Expr {
  const open = c.next();
  c.pushNewlines(false);
  const tuple = isForStart(c) ? parseFor(c, open, false) : parseTupleItems(c, open);
  c.popNewlines();
  return tuple;
}

function parseTupleItems(c: Cursor, open: Token): Expr {
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
}

function parseObjectOrFor(c: Cursor): Expr {
  const open = c.next();
  c.pushNewlines(false);
  const isFor = isForStart(c);
  const forExpr = isFor ? parseFor(c, open, true) : undefined;
  c.popNewlines();
  if (forExpr) return forExpr;
  // Newlines separate object items, even when the object sits inside parentheses or brackets.
  c.pushNewlines(true);
  const object = parseObjectItems(c, open);
  c.popNewlines();
  return object;
}

function parseObjectItems(c: Cursor, open: Token): Expr {
  const items: ObjectItem[] = [];
  const skipSeparators = (): void => {
    while (c.peek().type === 'newline') c.next();
  };
  skipSeparators();
  while (!c.isPunct('}') && c.peek().type !== 'eof') {
    const key = parseExpr(c);
    const name = keywordKey(c, key);
    const bare = name !== undefined;
    const itemKey: Expr = bare ? { kind: 'literal', value: name, range: key.range } : key;
    if (!c.eatPunct('=') && !c.eatPunct(':')) {
      expected(c, 'Missing key/value separator', 'Expected an equals sign ("=") to mark the beginning of the attribute value.');
      c.recoverTo('}');
      return { kind: 'object', items: trimmed(items), range: c.range(open.start) };
    }
    const value = parseExpr(c);
    const ambiguous = !bare && isStaticTraversal(key);
    items.push({ key: itemKey, bareKey: bare, ...(ambiguous ? { ambiguousKey: true } : {}), value, range: c.range(key.range.start) });
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

/** A naked name as an object key is a string, keywords included (`{ null = 1 }`), as HCL's ExprAsKeyword. */
function keywordKey(c: Cursor, key: Expr): string | undefined {
  if (key.kind === 'scope') return key.name;
  if (key.kind !== 'literal' || typeof key.value === 'number' || typeof key.value === 'string') return undefined;
  const text = c.source.slice(key.range.start.offset, key.range.end.offset);
  return text === 'null' || text === 'true' || text === 'false' ? text : undefined;
}

/** `a.b` or `a["k"]` unparenthesised: HCL's multi-step ScopeTraversalExpr (literal keys only). */
function isStaticTraversal(e: Expr): boolean {
  let step = e;
  while (step.kind === 'getattr' || (step.kind === 'index' && isLiteralKey(step.key))) step = step.target;
  return step !== e && step.kind === 'scope';
}

function isLiteralKey(key: Expr): boolean {
  return key.kind === 'literal' || (key.kind === 'template' && key.parts.every((p) => p.kind === 'literal'));
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
