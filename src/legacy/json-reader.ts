/**
 * A forgiving JSON reader for the hand-edited legacy files. Beyond strict JSON it accepts `//` and
 * `/* *\/` comments and trailing commas (with a warning), and reports duplicate object keys (the legacy
 * tool reads with jq, where the last one wins, so we keep the last one too). JSON.parse would silently
 * drop duplicates and give no line numbers.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { legacyDiagnostic, type JsonPath } from './json-path.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class Reader {
  private pos = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  parseDocument(): JsonValue {
    const value = this.value([]);
    this.skipSpace();
    if (this.pos < this.text.length) throw new SyntaxProblem('unexpected text after the end of the document', this.pos);
    return value;
  }

  private value(path: JsonPath): JsonValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, result] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return result;
      }
    }
    throw new SyntaxProblem(c === undefined ? 'unexpected end of file' : `unexpected character ${JSON.stringify(c)}`, this.pos);
  }

  private object(path: JsonPath): JsonObject {
    const result: JsonObject = {};
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return result;
      }
      if (this.text[this.pos] !== '"') throw new SyntaxProblem('expected a quoted key or "}"', this.pos);
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw new SyntaxProblem(`expected ":" after key ${JSON.stringify(key)}`, this.pos);
      this.pos++;
      if (Object.hasOwn(result, key)) {
        this.diagnostics.push(
          legacyDiagnostic('warning', { file: this.file, path: [...path, key] }, `Duplicate key "${key}"`, 'The key appears more than once in the same object; the last value is used, as jq does.'),
        );
      }
      result[key] = this.value([...path, key]);
      if (this.separator('}', path)) return result;
    }
  }

  private array(path: JsonPath): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return result;
      }
      result.push(this.value([...path, result.length]));
      if (this.separator(']', path)) return result;
    }
  }

  /** After a member: `,` (tolerating a trailing one) or the closer. Returns true when the container ended. */
  private separator(closer: '}' | ']', path: JsonPath): boolean {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === closer) {
      this.pos++;
      return true;
    }
    if (c !== ',') throw new SyntaxProblem(`expected "," or "${closer}"`, this.pos);
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === closer) {
      this.diagnostics.push(legacyDiagnostic('warning', { file: this.file, path }, 'Trailing comma', `${this.lineCol(this.pos)}: a comma before "${closer}" is not JSON; it was ignored.`));
      this.pos++;
      return true;
    }
    return false;
  }

  private string(): string {
    const start = this.pos;
    const end = this.findStringEnd(start + 1);
    this.pos = end + 1;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      throw new SyntaxProblem('invalid string (bad escape or control character)', start);
    }
  }

  private findStringEnd(from: number): number {
    for (let i = from; i < this.text.length; i++) {
      if (this.text[i] === '\\') i++;
      else if (this.text[i] === '"') return i;
    }
    throw new SyntaxProblem('unterminated string', from - 1);
  }

  private number(): number {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) throw new SyntaxProblem('invalid number', this.pos);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private skipSpace(): void {
    for (;;) {
      const rest = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(this.text.slice(this.pos, this.pos + 4096));
      if (!rest || rest[0].length === 0) return;
      if (rest[0].startsWith('/')) this.noteComment();
      this.pos += rest[0].length;
    }
  }

  private commentNoted = false;
  private noteComment(): void {
    if (this.commentNoted) return;
    this.commentNoted = true;
    this.diagnostics.push(legacyDiagnostic('warning', { file: this.file, path: [] }, 'Comments in JSON', `${this.lineCol(this.pos)}: comments are not JSON; they were ignored.`));
  }

  lineCol(offset: number): string {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length;
    return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
  }
}

/** Parses one legacy file; on a syntax error the value is undefined and the error names line and column. */
export function readLegacyJson(text: string, file: string): { value?: JsonValue; diagnostics: Diagnostic[] } {
  const reader = new Reader(text.replace(/^\uFEFF/, ''), file);
  try {
    const value = reader.parseDocument();
    return { value, diagnostics: reader.diagnostics };
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
    return {
      diagnostics: [
        ...reader.diagnostics,
        legacyDiagnostic('error', { file, path: [] }, `Cannot parse ${file}`, `${reader.lineCol(e.offset)}: ${e.message}. The file was skipped.`),
      ],
    };
  }
}
