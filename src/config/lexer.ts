/**
 * The HCL native-syntax scanner. It is modal, like HashiCorp's: outside strings it produces expression
 * tokens; inside a quoted string or heredoc it produces template tokens (literal runs, `${`, `%{`), and
 * each `${`/`%{` pushes an expression mode that ends at its matching `}`. The parser and the formatter
 * both consume the flat token list, so comments and newlines are kept as tokens.
 */
import type { Pos, Range } from './ast.js';
import { error, type Diagnostic } from './diagnostics.js';
import { heredocLiteralEnd, ID_CONTINUE, ID_START, isAsciiIdContinue, isAsciiIdStart, isDigit, MULTI_LINE_STRING_DETAIL, numberLength, PUNCT1 } from './lexer-chars.js';
import { TokenList, type TokenType } from './tokens.js';

export { Token, TokenList, type TokenType } from './tokens.js';

type Frame =
  | { kind: 'expr'; braces: number }
  | { kind: 'quoted' }
  | { kind: 'heredoc'; marker: string; atLineStart: boolean };

export interface LexResult {
  tokens: TokenList;
  diagnostics: Diagnostic[];
}

/** Tokenise `source`. `startInTemplate` scans a bare template (templatefile contents) instead of a body. */
export function lex(source: string, filename: string, startInTemplate = false): LexResult {
  return new Lexer(source, filename, startInTemplate).run();
}

class Lexer {
  private offset = 0;
  private line = 1;
  private col = 1;
  private readonly tokens: TokenList;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly frames: Frame[];

  constructor(
    private readonly src: string,
    private readonly filename: string,
    startInTemplate: boolean,
  ) {
    this.tokens = new TokenList(src);
    // A bare template is a heredoc without a closing marker: no escapes, ends at EOF.
    this.frames = [startInTemplate ? { kind: 'heredoc', marker: '', atLineStart: true } : { kind: 'expr', braces: 0 }];
    // A byte-order mark (Windows editors write one) is skipped, as HashiCorp's scanner does; columns
    // of line 1 count from after it.
    if (src.charCodeAt(0) === 0xfeff) {
      this.offset = 1;
      this.tokens.lineStarts[0] = 1;
    }
  }

  run(): LexResult {
    while (this.offset < this.src.length) {
      const frame = this.frames[this.frames.length - 1]!;
      if (frame.kind === 'expr') this.scanExpr(frame);
      else if (frame.kind === 'quoted') this.scanQuoted();
      else this.scanHeredoc(frame);
    }
    this.closeUnterminatedAtEof();
    this.emptyToken('eof');
    return { tokens: this.tokens, diagnostics: this.diagnostics };
  }

  private pos(): Pos {
    return { line: this.line, col: this.col, offset: this.offset };
  }

  private range(start: Pos, end: Pos): Range {
    return { file: this.filename, start, end };
  }

  /** Move forward `count` UTF-16 units, keeping line/column (columns count code points). */
  private advance(count: number): void {
    const stop = Math.min(this.offset + count, this.src.length);
    while (this.offset < stop) {
      const c = this.src.charCodeAt(this.offset);
      if (c === 10) {
        this.line++;
        this.col = 1;
        this.offset++;
        this.tokens.lineStarts.push(this.offset);
      } else if (c >= 0xd800 && c <= 0xdbff) {
        this.tokens.astralOffsets.push(this.offset);
        this.col++;
        this.offset += 2;
      } else {
        this.col++;
        this.offset++;
      }
    }
  }

  /** Record a token of `length` UTF-16 units at the cursor and move past it; returns its index. */
  private emit(type: TokenType, length: number): number {
    const { line, col, offset } = this;
    this.advance(length);
    return this.tokens.push(type, line, col, offset, this.line, this.col, this.offset);
  }

  /** A zero-width token at the cursor (EOF, or a closer invented for error recovery). */
  private emptyToken(type: TokenType, synthetic = false): void {
    const index = this.tokens.push(type, this.line, this.col, this.offset, this.line, this.col, this.offset);
    if (synthetic) this.tokens.markSynthetic(index);
  }

  /** Fast path for tokens known to be on one line and ASCII-only (punctuation, numbers, ASCII names). */
  private emitAscii(type: TokenType, length: number): void {
    const { line, col, offset } = this;
    this.offset += length;
    this.col += length;
    this.tokens.push(type, line, col, offset, line, this.col, this.offset);
  }

  private scanExpr(frame: { kind: 'expr'; braces: number }): void {
    const src = this.src;
    const c = src.charCodeAt(this.offset);
    if (c === 32 || c === 9 || (c === 13 && src.charCodeAt(this.offset + 1) === 10)) {
      // Spaces and tabs; a CR only as part of a CRLF newline (a lone CR is an invalid character).
      let end = this.offset + 1;
      while (end < src.length && (src[end] === ' ' || src[end] === '\t' || (src[end] === '\r' && src[end + 1] === '\n'))) end++;
      this.advance(end - this.offset);
      return;
    }
    if (c === 10) {
      this.emit('newline', 1);
      return;
    }
    if (c === 35 || (c === 47 && src.charCodeAt(this.offset + 1) === 47)) {
      let end = src.indexOf('\n', this.offset);
      if (end < 0) end = src.length;
      if (src[end - 1] === '\r') end--;
      this.emit('comment', end - this.offset);
      return;
    }
    if (c === 47 && src.charCodeAt(this.offset + 1) === 42) {
      const close = src.indexOf('*/', this.offset + 2);
      if (close < 0) {
        const start = this.pos();
        this.emit('comment', src.length - this.offset);
        this.diagnostics.push(
          error('Unterminated comment', 'There is no closing "*/" for this block comment.', this.range(start, start)),
        );
      } else {
        this.emit('comment', close + 2 - this.offset);
      }
      return;
    }
    if (isDigit(c)) {
      this.emitAscii('number', numberLength(this.src, this.offset));
      return;
    }
    if (isAsciiIdStart(c) || (c > 127 && ID_START.test(String.fromCodePoint(src.codePointAt(this.offset)!)))) {
      const length = this.identLength();
      if (this.asciiOnly(length)) this.emitAscii('ident', length);
      else this.emit('ident', length);
      return;
    }
    if (c === 34) {
      this.emit('oquote', 1);
      this.frames.push({ kind: 'quoted' });
      return;
    }
    if (c === 60 && this.tryHeredocOpen()) return;
    if (frame.braces === 0 && this.frames.length > 1) {
      if (c === 125) {
        this.emit('tend', 1);
        this.frames.pop();
        return;
      }
      if (c === 126 && src.charCodeAt(this.offset + 1) === 125) {
        this.emit('tend', 2);
        this.frames.pop();
        return;
      }
    }
    const length = this.punctLength(c);
    if (length > 0) {
      if (c === 123) frame.braces++;
      else if (c === 125) frame.braces--;
      this.emitAscii('punct', length);
    } else if (c === 39) {
      // A single-quoted string becomes one invalid token, so it yields one error, not two.
      // Scan only to the closing quote or the line end, whichever comes first, so a line of many
      // quotes stays linear.
      let close = this.offset + 1;
      while (close < src.length && src[close] !== "'" && src[close] !== '\n') close++;
      const length = src[close] === "'" ? close + 1 - this.offset : 1;
      const start = this.pos();
      this.emit('invalid', length);
      const detail = 'Single quotes are not valid. Use double quotes (") to enclose strings.';
      this.diagnostics.push(error('Invalid character', detail, this.range(start, this.pos())));
    } else {
      const start = this.pos();
      this.emit('invalid', c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      const text = this.src.slice(start.offset, this.offset);
      this.diagnostics.push(
        error('Invalid character', `This character is not used within the language: ${JSON.stringify(text)}.`, this.range(start, this.pos())),
      );
    }
  }

  private asciiOnly(length: number): boolean {
    for (let i = this.offset; i < this.offset + length; i++) if (this.src.charCodeAt(i) > 127) return false;
    return true;
  }

  /** Length of the operator or delimiter at the cursor (longest match), 0 if none. */
  private punctLength(c: number): number {
    const src = this.src;
    if (c === 46 && src.startsWith('...', this.offset)) return 3;
    const next = src.charCodeAt(this.offset + 1);
    if (next === 61 && (c === 61 || c === 33 || c === 60 || c === 62)) return 2; // == != <= >=
    if ((c === 38 && next === 38) || (c === 124 && next === 124) || (c === 61 && next === 62)) return 2; // && || =>
    if (c === 58 && next === 58) return 2; // `::` of provider function names
    return PUNCT1.has(src[this.offset]!) ? 1 : 0;
  }

  private identLength(): number {
    const src = this.src;
    let end = this.offset;
    while (end < src.length) {
      const c = src.charCodeAt(end);
      if (c < 128) {
        if (!isAsciiIdContinue(c)) break;
        end++;
      } else {
        const ch = String.fromCodePoint(src.codePointAt(end)!);
        if (!ID_CONTINUE.test(ch)) break;
        end += ch.length;
      }
    }
    return end - this.offset;
  }

  /** `<<MARKER` / `<<-MARKER` followed directly by a newline opens a heredoc. */
  private tryHeredocOpen(): boolean {
    const match = /^<<-?([\p{ID_Start}_][\p{ID_Continue}\-]*)\r?\n/u.exec(this.src.slice(this.offset, this.offset + 200));
    if (!match) return false;
    this.emit('oheredoc', match[0].length);
    this.frames.push({ kind: 'heredoc', marker: match[1]!, atLineStart: true });
    return true;
  }

  /** Length of a `${` / `%{` opener (with optional `~`) at the cursor, or 0. Doubled `$${`/`%%{` are escapes. */
  private templateOpenerLength(): number {
    const c = this.src[this.offset];
    if ((c === '$' || c === '%') && this.src[this.offset + 1] === '{') return this.src[this.offset + 2] === '~' ? 3 : 2;
    return 0;
  }

  private openTemplateSequence(length: number): void {
    this.emit(this.src[this.offset] === '$' ? 'interp' : 'control', length);
    this.frames.push({ kind: 'expr', braces: 0 });
  }

  private scanQuoted(): void {
    const src = this.src;
    const opener = this.templateOpenerLength();
    if (opener) {
      this.openTemplateSequence(opener);
      return;
    }
    const c = src[this.offset];
    if (c === '"') {
      this.emit('cquote', 1);
      this.frames.pop();
      return;
    }
    if (c === '\n' || (c === '\r' && src[this.offset + 1] === '\n')) {
      this.unterminatedString();
      return;
    }
    let end = this.offset;
    while (end < src.length) {
      const ch = src[end];
      if (ch === '"' || ch === '\n' || ch === '\r') break;
      if (ch === '\\') {
        end += src[end + 1] === '\n' || end + 1 >= src.length ? 1 : 2;
        continue;
      }
      if ((ch === '$' || ch === '%') && src[end + 1] === ch && src[end + 2] === '{') {
        end += 3;
        continue;
      }
      if ((ch === '$' || ch === '%') && src[end + 1] === '{') break;
      end++;
    }
    if (end > this.offset) this.emit('lit', end - this.offset);
    else this.bareCarriageReturn();
  }

  /** HCL's scanner takes a CR in a quoted string as a line break, which quoted strings may not hold. */
  private bareCarriageReturn(): void {
    const start = this.pos();
    this.advance(1);
    this.diagnostics.push(error('Invalid multi-line string', MULTI_LINE_STRING_DETAIL, this.range(start, this.pos())));
  }

  /** HCL's heredoc and template scanner has no rule for a CR that no LF follows: the file is invalid. */
  private loneCarriageReturn(): void {
    const start = this.pos();
    this.advance(1);
    const detail = 'This character is not used within the language: "\\r". A carriage return in a heredoc or template must be followed by a line feed.';
    this.diagnostics.push(error('Invalid character', detail, this.range(start, this.pos())));
  }

  /** A newline inside a quoted string: report it and end the string there. */
  private unterminatedString(): void {
    const here = this.pos();
    const nextLine = { line: here.line + 1, col: 1, offset: this.src.indexOf('\n', here.offset) + 1 };
    this.diagnostics.push(error('Invalid multi-line string', MULTI_LINE_STRING_DETAIL, this.range(here, nextLine)));
    this.emptyToken('cquote', true);
    this.frames.pop();
  }

  private scanHeredoc(frame: { kind: 'heredoc'; marker: string; atLineStart: boolean }): void {
    const src = this.src;
    if (frame.atLineStart) {
      frame.atLineStart = false;
      if (frame.marker && this.atClosingMarker(frame.marker)) return;
      // Always emit a line-start literal, even empty, so `<<-` can see lines starting with `${`.
      const end = heredocLiteralEnd(this.src, this.offset);
      const empty = end === this.offset;
      this.tokens.markLineStart(this.emit('lit', end - this.offset));
      frame.atLineStart = !empty && src[end - 1] === '\n';
      return;
    }
    const opener = this.templateOpenerLength();
    if (opener) {
      this.openTemplateSequence(opener);
      return;
    }
    if (src[this.offset] === '\r' && src[this.offset + 1] !== '\n') {
      this.loneCarriageReturn();
      return;
    }
    const end = heredocLiteralEnd(this.src, this.offset);
    this.emit('lit', end - this.offset);
    frame.atLineStart = end > 0 && src[end - 1] === '\n';
  }

  private atClosingMarker(marker: string): boolean {
    const src = this.src;
    let at = this.offset;
    while (src[at] === ' ' || src[at] === '\t') at++;
    if (!src.startsWith(marker, at)) return false;
    at += marker.length;
    if (src[at] === '\r') at++;
    // HashiCorp's scanner needs the newline after the marker; at EOF the heredoc stays unterminated.
    if (src[at] !== '\n') return false;
    this.emit('cheredoc', at - this.offset - (src[at - 1] === '\r' ? 1 : 0));
    this.frames.pop();
    return true;
  }

  private closeUnterminatedAtEof(): void {
    let reported = false;
    for (let i = this.frames.length - 1; i >= 1; i--) {
      const frame = this.frames[i]!;
      if (frame.kind === 'expr') continue; // the parser reports the missing `}`
      const here = this.pos();
      if (frame.kind === 'heredoc' && !frame.marker) continue;
      const detail =
        frame.kind === 'quoted'
          ? 'No closing marker was found for the string.'
          : `The heredoc has no closing "${frame.marker}" marker line before the end of the file.`;
      // Nested unterminated strings share one cause; report only the innermost.
      if (!reported) this.diagnostics.push(error('Unterminated template string', detail, this.range(here, here)));
      reported = true;
      this.emptyToken(frame.kind === 'quoted' ? 'cquote' : 'cheredoc', true);
    }
    this.frames.length = 1;
  }
}
