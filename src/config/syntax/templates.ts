/**
 * Template parser: the inside of a quoted string, a heredoc or a bare template file. Literal runs are
 * decoded (escapes, `$${`, `%%{`), `<<-` heredocs lose their common indentation, and the `~` strip
 * markers trim whitespace from the neighbouring literals.
 */
import type { Range, TemplatePart } from '../ast.js';
import type { Token, TokenList } from '../tokens.js';
import { trimmed, type Cursor } from './cursor.js';
import { parseExpr } from './expressions.js';

export type TemplateKind = 'quoted' | 'heredoc' | 'file';

type LiteralPart = Extract<TemplatePart, { kind: 'literal' }>;

/** What ended a directive body: `%{else}`, `%{endif}`, `%{endfor}` or the end of the template. */
type Terminator = { keyword: 'else' | 'endif' | 'endfor' | 'end'; token: Token };

class TemplateParser {
  /** The most recently emitted part, so a `~` on the next sequence can trim it. */
  private previous: TemplatePart | undefined;
  private stripNextLeading = false;

  constructor(
    private readonly c: Cursor,
    private readonly kind: TemplateKind,
    private readonly indentToStrip: number,
  ) {}

  /** Parse parts until a directive keyword or the closing token (which is left unconsumed). */
  parseSequence(into: TemplatePart[]): Terminator {
    const c = this.c;
    for (;;) {
      const t = c.peekRaw();
      if (t.type === 'lit') {
        c.nextRaw();
        this.pushLiteral(into, t);
      } else if (t.type === 'interp') {
        c.nextRaw();
        this.parseInterpolation(into, t);
      } else if (t.type === 'control') {
        c.nextRaw();
        const terminator = this.parseDirective(into, t);
        if (terminator) return terminator;
      } else {
        return { keyword: 'end', token: t };
      }
    }
  }

  private pushLiteral(into: TemplatePart[], t: Token): void {
    let raw = t.text;
    // Like HashiCorp's parser, a line only counts as starting a line if the literal before it still
    // ends with a newline after strip markers were applied.
    const previousLiteralEndsLine = this.previous?.kind !== 'literal' || this.previous.value.endsWith('\n');
    if (t.lineStart && previousLiteralEndsLine && this.indentToStrip > 0) raw = stripIndent(raw, this.indentToStrip);
    let value = nfc(decodeLiteral(raw, this.kind === 'quoted', this.c, t));
    if (this.stripNextLeading) value = value.replace(/^\s+/, '');
    this.stripNextLeading = false;
    const part: LiteralPart = { kind: 'literal', value, range: this.c.tokenRange(t) };
    into.push(part);
    this.previous = part;
  }

  /** Apply the strip markers of a `${~ ... ~}` or `%{~ ... ~}` sequence. */
  private applyStrip(stripLeft: boolean): void {
    this.stripNextLeading = false;
    if (stripLeft && this.previous?.kind === 'literal') this.previous.value = this.previous.value.replace(/\s+$/, '');
  }

  private closeSequence(open: Token): { stripRight: boolean } {
    const c = this.c;
    const close = c.withNewlines(false, () => c.peek());
    if (close.type === 'tend') {
      c.withNewlines(false, () => c.next());
      const stripRight = close.text.startsWith('~');
      this.stripNextLeading = stripRight;
      return { stripRight };
    }
    c.report(
      'Missing closing brace',
      `There is no closing "}" for this "${open.text}" template sequence; found ${c.describe(close)}.`,
      c.tokenRange(close),
    );
    // Skip the rest of the sequence so the template can continue.
    while (!['tend', 'eof', 'cquote', 'cheredoc'].includes(c.peekRaw().type)) c.nextRaw();
    if (c.peekRaw().type === 'tend') c.nextRaw();
    return { stripRight: false };
  }

  private parseInterpolation(into: TemplatePart[], open: Token): void {
    const stripLeft = open.text.endsWith('~');
    this.applyStrip(stripLeft);
    this.c.pushNewlines(false);
    const expr = parseExpr(this.c);
    this.c.popNewlines();
    const { stripRight } = this.closeSequence(open);
    const part: TemplatePart = { kind: 'interp', expr, stripLeft, stripRight, range: this.c.range(open.start) };
    into.push(part);
    this.previous = part;
  }

  /** Returns a terminator for else/endif/endfor; handles `if` and `for` by recursing. */
  private parseDirective(into: TemplatePart[], open: Token): Terminator | undefined {
    const c = this.c;
    this.applyStrip(open.text.endsWith('~'));
    const keyword = c.withNewlines(false, () => c.peek());
    if (keyword.type !== 'ident' || !['if', 'for', 'else', 'endif', 'endfor'].includes(keyword.text)) {
      c.report('Invalid template directive', 'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.', c.tokenRange(keyword));
      this.closeSequence(open);
      return undefined;
    }
    c.withNewlines(false, () => c.next());
    if (keyword.text === 'else' || keyword.text === 'endif' || keyword.text === 'endfor') {
      this.closeSequence(open);
      this.previous = undefined;
      return { keyword: keyword.text, token: open };
    }
    if (!c.enter()) return undefined;
    if (keyword.text === 'if') this.parseIf(into, open);
    else this.parseForDirective(into, open);
    c.leave();
    return undefined;
  }

  private parseIf(into: TemplatePart[], open: Token): void {
    const c = this.c;
    const cond = c.withNewlines(false, () => parseExpr(c));
    this.closeSequence(open);
    this.previous = undefined;
    const then: TemplatePart[] = [];
    let end = this.parseSequence(then);
    let otherwise: TemplatePart[] | undefined;
    if (end.keyword === 'else') {
      otherwise = [];
      end = this.parseSequence(otherwise);
    }
    if (end.keyword !== 'endif') this.reportUnclosedDirective(open, 'if', 'endif', end);
    this.previous = undefined;
    into.push({ kind: 'if', cond, then, ...(otherwise ? { else: otherwise } : {}), range: c.range(open.start) });
  }

  private parseForDirective(into: TemplatePart[], open: Token): void {
    const c = this.c;
    const header = c.withNewlines(false, () => {
      const first = c.next();
      let keyVar: string | undefined;
      let valueVar = first.text;
      if (c.eatPunct(',')) {
        keyVar = first.text;
        valueVar = c.next().text;
      }
      const inKw = c.peek();
      if (inKw.type === 'ident' && inKw.text === 'in') c.next();
      else c.report('Invalid "for" directive', 'The "for" variable names must be followed by the "in" keyword.', c.tokenRange(inKw));
      return { keyVar, valueVar, collection: parseExpr(c) };
    });
    this.closeSequence(open);
    this.previous = undefined;
    const body: TemplatePart[] = [];
    const end = this.parseSequence(body);
    if (end.keyword !== 'endfor') this.reportUnclosedDirective(open, 'for', 'endfor', end);
    this.previous = undefined;
    into.push({ kind: 'for', ...header, body, range: c.range(open.start) });
  }

  private reportUnclosedDirective(open: Token, directive: string, closer: string, end: Terminator): void {
    const found = end.keyword === 'end' ? 'the end of the template' : `%{${end.keyword}}`;
    const range: Range = this.c.tokenRange(open);
    this.c.report('Unterminated template directive', `The %{${directive}} directive has no matching %{${closer}}; found ${found}.`, range);
  }
}

/**
 * Parse the template contents at the cursor up to (not including) the closing quote / heredoc marker / EOF.
 * Stray `%{else}`/`%{endif}`/`%{endfor}` at the top level are reported and skipped.
 */
export function parseTemplateBody(c: Cursor, kind: TemplateKind, stripHeredocIndent: boolean): TemplatePart[] {
  const indent = stripHeredocIndent ? commonIndent(c) : 0;
  const parser = new TemplateParser(c, kind, indent);
  const parts: TemplatePart[] = [];
  for (;;) {
    const end = parser.parseSequence(parts);
    if (end.keyword === 'end') break;
    c.report('Unexpected template directive', `There is no open directive for this %{${end.keyword}}.`, c.tokenRange(end.token));
  }
  return trimmed(parts.filter((p) => p.kind !== 'literal' || p.value !== ''));
}

/** Smallest leading-whitespace width over the heredoc's non-blank lines (spaces and tabs count 1 each). */
function commonIndent(c: Cursor): number {
  let min = Infinity;
  for (let i = c.tokenIndex; i < c.tokens.length; i++) {
    const t = c.tokens.get(i);
    if (t.type === 'cheredoc' || t.type === 'eof') break;
    if (t.type !== 'lit' || !t.lineStart || followsStrippedNewline(c.tokens, i)) continue;
    let width = 0;
    while (width < t.text.length && (t.text[width] === ' ' || t.text[width] === '\t')) width++;
    const blankLine = t.text.slice(width).replace(/\r?\n$/, '') === '' && t.text.endsWith('\n');
    if (!blankLine) min = Math.min(min, width);
  }
  return min === Infinity ? 0 : min;
}

/** True for a line-start literal whose preceding newline is removed by a `~}` strip marker. */
function followsStrippedNewline(tokens: TokenList, i: number): boolean {
  if (i < 2) return false;
  const newline = tokens.get(i - 1);
  const marker = tokens.get(i - 2);
  return newline.type === 'lit' && newline.text.trim() === '' && marker.type === 'tend' && marker.text.startsWith('~');
}

function stripIndent(raw: string, width: number): string {
  let i = 0;
  while (i < width && i < raw.length && (raw[i] === ' ' || raw[i] === '\t')) i++;
  return raw.slice(i);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Decode a literal run: `$${`/`%%{` always; backslash escapes only in quoted strings. */
function decodeLiteral(raw: string, quoted: boolean, c: Cursor, token: Token): string {
  const hasEscape = raw.includes('\\') && quoted;
  if (!hasEscape && !raw.includes('${') && !raw.includes('%{')) return raw;
  let out = '';
  let runStart = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if ((ch === '$' || ch === '%') && raw[i + 1] === ch && raw[i + 2] === '{') {
      out += raw.slice(runStart, i) + ch + '{';
      i += 2;
      runStart = i + 1;
    } else if (ch === '\\' && quoted) {
      out += raw.slice(runStart, i);
      const selector = raw[i + 1] ?? '';
      if (selector in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[selector];
        i += 1;
      } else if (selector === 'u' || selector === 'U') {
        const digits = selector === 'u' ? 4 : 8;
        const hex = raw.slice(i + 2, i + 2 + digits);
        const codePoint = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
        if (Number.isNaN(codePoint)) {
          reportEscape(c, token, i, `The \\${selector} escape sequence must be followed by ${digits} hexadecimal digits.`);
          i += 1;
        } else if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
          // Surrogates and values past U+10FFFF are not characters (Go's utf8.RuneLen is -1 for them).
          reportEscape(c, token, i, `Cannot encode character U+${hex.toLowerCase().replace(/^0+(?=[0-9a-f]{4})/, '')} in UTF-8.`, 2 + digits);
          i += 1 + digits;
        } else {
          out += String.fromCodePoint(codePoint);
          i += 1 + digits;
        }
      } else {
        reportEscape(c, token, i, `The symbol ${JSON.stringify(selector)} is not a valid escape sequence selector.`);
        i += 1;
      }
      runStart = i + 1;
    }
  }
  return out + raw.slice(runStart);
}

/** cty stores every string NFC-normalised, so `"l\u0301"` is the one character "ĺ" in HCL. */
export function nfc(text: string): string {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x300) return text.normalize('NFC');
  return text;
}

function reportEscape(c: Cursor, token: Token, index: number, detail: string, length = 2): void {
  // Literal runs never span lines in quoted strings, so columns advance one per UTF-16 unit here
  // except after astral characters; that slight drift is acceptable for an escape diagnostic. The
  // offsets may fall inside a token, so this is a plain Range rather than the cursor's compact one.
  const start = { line: token.start.line, col: token.start.col + index, offset: token.start.offset + index };
  const end = { line: start.line, col: start.col + length, offset: start.offset + length };
  c.report('Invalid escape sequence', detail, { file: c.filename, start, end });
}
