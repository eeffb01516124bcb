/**
 * A small HCL document model and printer for generated configuration. Layout details (indentation,
 * `=` alignment) are left to the project formatter, so generated files look exactly like `phoenix fmt`
 * output.
 */
import { hasErrors, type Diagnostic } from '../config/diagnostics.js';
import { formatHcl } from '../config/fmt.js';

/** An expression written verbatim: a reference (`var.bridge`), a function call... */
export class HclRaw {
  constructor(readonly text: string) {}
}

export type HclExpr = string | number | boolean | null | HclRaw | HclExpr[] | { [key: string]: HclExpr };

export type HclItem =
  | { kind: 'attribute'; name: string; value: HclExpr }
  | { kind: 'block'; type: string; labels: string[]; body: HclItem[] }
  | { kind: 'comment'; lines: string[] }
  | { kind: 'blank' };

export const raw = (text: string): HclRaw => new HclRaw(text);
export const attr = (name: string, value: HclExpr): HclItem => ({ kind: 'attribute', name, value });
export const block = (type: string, labels: string[], body: HclItem[]): HclItem => ({ kind: 'block', type, labels, body });
export const comment = (...lines: string[]): HclItem => ({ kind: 'comment', lines });
export const blank: HclItem = { kind: 'blank' };

/** A function call: `call('file', path)` → `file("...")`. */
export function call(fn: string, ...args: HclExpr[]): HclRaw {
  return raw(`${fn}(${args.map((a) => renderExpr(a, 0)).join(', ')})`);
}

/** A template mixing literal text and expressions: `template('', raw('var.dir'), '/x.sh')`. */
export function template(...parts: (string | HclRaw)[]): HclRaw {
  return raw(`"${parts.map((p) => (typeof p === 'string' ? escapeTemplate(p) : `\${${p.text}}`)).join('')}"`);
}

/** A multi-line string as a heredoc (`<<EOT`); template sequences stay literal. `text` ends with a newline. */
export function heredoc(text: string): HclRaw {
  const body = text.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  return raw(`<<EOT\n${body.endsWith('\n') ? body : `${body}\n`}EOT`);
}

/** Escapes for a quoted HCL string: backslash escapes, and `${` / `%{` doubled so they stay literal. */
export function escapeTemplate(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, '$${')
    .replace(/%\{/g, '%%{');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function renderKey(key: string): string {
  return IDENTIFIER.test(key) ? key : `"${escapeTemplate(key)}"`;
}

function isScalar(value: HclExpr): boolean {
  return value === null || typeof value !== 'object' || value instanceof HclRaw;
}

export function renderExpr(value: HclExpr, indent: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${escapeTemplate(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof HclRaw) return value.text;
  const pad = '  '.repeat(indent + 1);
  const closePad = '  '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) return `[${value.map((v) => renderExpr(v, indent)).join(', ')}]`;
    return `[\n${value.map((v) => `${pad}${renderExpr(v, indent + 1)},`).join('\n')}\n${closePad}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${pad}${renderKey(k)} = ${renderExpr(v, indent + 1)}`).join('\n')}\n${closePad}}`;
}

function renderItems(items: HclItem[], indent: number): string[] {
  const pad = '  '.repeat(indent);
  const lines: string[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'blank':
        lines.push('');
        break;
      case 'comment':
        lines.push(...item.lines.map((l) => (l === '' ? `${pad}#` : `${pad}# ${l}`)));
        break;
      case 'attribute':
        lines.push(`${pad}${item.name} = ${renderExpr(item.value, indent)}`);
        break;
      case 'block': {
        const header = [item.type, ...item.labels.map((l) => `"${escapeTemplate(l)}"`)].join(' ');
        lines.push(`${pad}${header} {`, ...renderItems(item.body, indent + 1), `${pad}}`);
        break;
      }
    }
  }
  return lines;
}

/**
 * Prints a file and runs it through the formatter. A formatter error means the writer produced invalid
 * HCL: that is a bug, reported as a diagnostic rather than written out.
 */
export function printHclFile(items: HclItem[], filename: string): { text: string; diagnostics: Diagnostic[] } {
  const source = renderItems(items, 0).join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
  const { output, diagnostics } = formatHcl(source, filename);
  if (hasErrors(diagnostics)) {
    return { text: source, diagnostics: diagnostics.map((d) => ({ ...d, summary: `Internal error: generated ${filename} is not valid HCL: ${d.summary}` })) };
  }
  return { text: output, diagnostics: [] };
}
