/**
 * Attribute-level diff rendering in Terraform's grammar, shared by the plan renderer (changes, drift,
 * outputs) and `show` / `state show` (plain values, no symbols).
 *
 * Indentation model: a value rendered at `level` puts its own line at `level + 2` spaces followed by
 * the 1-char symbol and a space (`      ~ memory = 1 -> 2` at level 4), nested members at `level + 4`,
 * and its closing bracket at `level + 4`. The resource body is level 4, so the resource's `}` sits at 4.
 */
import { diffArrays, diffLines } from 'diff';
import { isObject, isUnknown, valuesEqual, type Attrs, type Value } from '../config/values.js';
import type { Style } from './style.js';

export type Sym = '+' | '-' | '~' | ' ';

export interface DiffContext {
  style: Style;
  /** Hide unchanged members entirely (no "# (N unchanged ...)" comments, no identifying attributes). */
  compact: boolean;
  sensitivePaths: string[][];
  replacePaths: string[][];
  restartPaths: string[][];
}

/** Attributes shown even when unchanged, so a reader can tell which object an update concerns. */
const IDENTIFYING_ATTRIBUTES = new Set(['id', 'name', 'hostname', 'vmid']);

interface RenderedMember {
  key: string;
  sym: Sym;
  /** First line continues after `key = `; the rest are complete lines. */
  lines: string[];
}

export function pad(level: number): string {
  return ' '.repeat(level);
}

export function symbolLine(level: number, sym: Sym, text: string, style: Style): string {
  return `${pad(level + 2)}${paintSymbol(sym, style)} ${text}`;
}

export function paintSymbol(sym: string, style: Style): string {
  if (sym === '+') return style.create(sym);
  if (sym === '-') return style.destroy(sym);
  if (sym === '~') return style.update(sym);
  if (sym === '-/+' || sym === '+/-') return `${style.destroy(sym[0]!)}${sym[1]}${style.create(sym[2]!)}`;
  return sym;
}

/**
 * The member lines of an attribute map (a resource body or a nested object) at `level`: changed members
 * with their symbol, unchanged ones hidden behind a count unless identifying.
 */
export function renderAttributeBody(
  before: Attrs | null,
  after: Attrs | null,
  level: number,
  path: string[],
  ctx: DiffContext,
): string[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  const shown: RenderedMember[] = [];
  let hidden = 0;
  for (const key of keys) {
    const b = before === null ? undefined : before[key];
    const a = after === null ? undefined : after[key];
    if (isAbsent(b) && isAbsent(a)) continue;
    const memberPath = [...path, key];
    const sym = memberSymbol(b, a, before === null, after === null);
    if (sym === ' ' && before !== null && after !== null) {
      const identifying = path.length === 0 && IDENTIFYING_ATTRIBUTES.has(key);
      if (ctx.compact || !identifying) {
        hidden++;
        continue;
      }
    }
    shown.push({ key, sym, lines: renderChange(b, a, sym, level, memberPath, ctx) });
  }
  const noun = path.length > 0 && isMapLike(before ?? after) ? 'element' : 'attribute';
  return [...alignMembers(shown, level, ctx), ...hiddenComment(hidden, noun, level, ctx)];
}

/** Plain rendering of an attribute map with no symbols (show / state show). */
export function renderPlainBody(attrs: Attrs, level: number, ctx: DiffContext): string[] {
  const members: RenderedMember[] = Object.keys(attrs)
    .sort()
    .filter((key) => !isAbsent(attrs[key]))
    .map((key) => ({ key, sym: ' ', lines: renderPlain(attrs[key]!, ' ', level, [key], ctx) }));
  return alignMembers(members, level, ctx);
}

function alignMembers(members: RenderedMember[], level: number, ctx: DiffContext): string[] {
  const width = Math.max(0, ...members.map((m) => displayKey(m.key).length));
  const out: string[] = [];
  for (const member of members) {
    const [first, ...rest] = member.lines;
    out.push(symbolLine(level, member.sym, `${displayKey(member.key).padEnd(width)} = ${first}`, ctx.style), ...rest);
  }
  return out;
}

function hiddenComment(count: number, noun: string, level: number, ctx: DiffContext): string[] {
  if (count === 0 || ctx.compact) return [];
  return [`${pad(level + 4)}${ctx.style.dim(`# (${count} unchanged ${noun}${count === 1 ? '' : 's'} hidden)`)}`];
}

function memberSymbol(b: Value | undefined, a: Value | undefined, creating: boolean, deleting: boolean): Sym {
  if (creating) return '+';
  if (deleting) return '-';
  if (isAbsent(b)) return '+';
  if (isAbsent(a)) return '-';
  return valuesEqual(b, a) ? ' ' : '~';
}

/** Lines for one member's value given its symbol; the first line continues the `key = ` line. */
function renderChange(
  b: Value | undefined,
  a: Value | undefined,
  sym: Sym,
  level: number,
  path: string[],
  ctx: DiffContext,
): string[] {
  const lines = renderChangeValue(b, a, sym, level, path, ctx);
  const note = annotation(path, ctx);
  if (note) lines[0] = `${lines[0]} ${ctx.style.dim(note)}`;
  return lines;
}

function renderChangeValue(
  b: Value | undefined,
  a: Value | undefined,
  sym: Sym,
  level: number,
  path: string[],
  ctx: DiffContext,
): string[] {
  if (isSensitive(path, ctx)) return [sym === '-' ? '(sensitive value) -> null' : '(sensitive value)'];
  if (sym === '+' || sym === ' ') return renderPlain(a!, sym === '+' ? '+' : ' ', level, path, ctx);
  if (sym === '-') return withSuffix(renderPlain(b!, '-', level, path, ctx), ' -> null');
  // Update ('~').
  if (isUnknown(a)) return withSuffix(renderPlain(b!, isComposite(b!) ? '-' : ' ', level, path, ctx), ' -> (known after apply)');
  if (Array.isArray(b) && Array.isArray(a)) return renderListDiff(b, a, level, path, ctx);
  if (isObject(b) && isObject(a)) {
    return ['{', ...renderAttributeBody(b, a, level + 4, path, ctx), `${pad(level + 4)}}`];
  }
  if (typeof b === 'string' && typeof a === 'string' && (b.includes('\n') || a.includes('\n'))) {
    return renderTextDiff(b, a, level, ctx);
  }
  if (isComposite(b!) || isComposite(a!)) {
    const old = renderPlain(b!, '-', level, path, ctx);
    return withSuffix(old, ` -> ${renderPlain(a!, ' ', level, path, ctx).join('\n')}`);
  }
  return [`${primitive(b!)} -> ${primitive(a!)}`];
}

/** Element-wise list diff; a removed object followed by an added one at the same spot is an in-place `~`. */
function renderListDiff(b: Value[], a: Value[], level: number, path: string[], ctx: DiffContext): string[] {
  const parts = diffArrays<Value>(b, a, { comparator: (x, y) => valuesEqual(x, y) });
  const lines: string[] = ['['];
  let hidden = 0;
  let index = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const next = parts[p + 1];
    if (part.removed && next?.added && next.count === part.count && part.value.every(isObject)) {
      part.value.forEach((old, i) => {
        const itemPath = [...path, String(index + i)];
        const inner = renderChangeValue(old, next.value[i], '~', level + 4, itemPath, ctx);
        lines.push(...itemLines('~', inner, level, ctx));
      });
      index += part.count ?? part.value.length;
      p++;
      continue;
    }
    if (!part.added && !part.removed) {
      hidden += part.value.length;
      index += part.value.length;
      continue;
    }
    const sym: Sym = part.added ? '+' : '-';
    for (const item of part.value) {
      lines.push(...itemLines(sym, renderPlain(item, sym, level + 4, [...path, String(index)], ctx), level, ctx));
      if (part.added) index++;
    }
  }
  lines.push(...hiddenComment(hidden, 'element', level + 4, ctx), `${pad(level + 4)}]`);
  return lines;
}

function itemLines(sym: Sym, inner: string[], level: number, ctx: DiffContext): string[] {
  const [first, ...rest] = withSuffix(inner, ',');
  return [symbolLine(level + 4, sym, first!, ctx.style), ...rest];
}

/** A multi-line string as a heredoc with an inline line diff. */
function renderTextDiff(b: string, a: string, level: number, ctx: DiffContext): string[] {
  const lines = ['<<-EOT'];
  for (const part of diffLines(b, a)) {
    const sym: Sym = part.added ? '+' : part.removed ? '-' : ' ';
    for (const text of splitHeredocLines(part.value)) lines.push(symbolLine(level + 4, sym, text, ctx.style));
  }
  lines.push(`${pad(level + 4)}EOT`);
  return lines;
}

/** A value rendered whole, every nested member carrying the same symbol. */
export function renderPlain(value: Value, sym: Sym, level: number, path: string[], ctx: DiffContext): string[] {
  if (isSensitive(path, ctx)) return ['(sensitive value)'];
  if (Array.isArray(value)) {
    if (value.length === 0) return ['[]'];
    const lines = ['['];
    value.forEach((item, i) => {
      lines.push(...itemLines(sym, renderPlain(item, sym, level + 4, [...path, String(i)], ctx), level, ctx));
    });
    return [...lines, `${pad(level + 4)}]`];
  }
  if (isObject(value)) {
    // Like Terraform, a null member of an object shown whole (created or destroyed) says nothing: omit it.
    const keys = Object.keys(value)
      .filter((key) => value[key] !== null)
      .sort();
    if (keys.length === 0) return ['{}'];
    const members = keys.map((key) => ({
      key,
      sym,
      lines: renderPlain(value[key]!, sym, level + 4, [...path, key], ctx),
    }));
    return ['{', ...alignMembers(members, level + 4, ctx), `${pad(level + 4)}}`];
  }
  if (typeof value === 'string' && value.includes('\n')) {
    const body = splitHeredocLines(value).map((text) => symbolLine(level + 4, ' ', text, ctx.style));
    return ['<<-EOT', ...body, `${pad(level + 4)}EOT`];
  }
  return [primitive(value)];
}

export function primitive(value: Value): string {
  if (isUnknown(value)) return '(known after apply)';
  if (typeof value === 'string') return JSON.stringify(value).replace(/\$\{/g, '$${');
  return String(value);
}

function annotation(path: string[], ctx: DiffContext): string | undefined {
  if (ctx.replacePaths.some((p) => samePath(p, path))) return '# forces replacement';
  if (ctx.restartPaths.some((p) => samePath(p, path))) return '# requires restart';
  return undefined;
}

function isSensitive(path: string[], ctx: DiffContext): boolean {
  return ctx.sensitivePaths.some((p) => p.length <= path.length && p.every((segment, i) => segment === path[i]));
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === String(b[i]));
}

function withSuffix(lines: string[], suffix: string): string[] {
  const out = [...lines];
  out[out.length - 1] = `${out[out.length - 1]}${suffix}`;
  return out;
}

function splitHeredocLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isAbsent(v: Value | undefined): v is null | undefined {
  return v === undefined || v === null;
}

function isComposite(v: Value): boolean {
  return Array.isArray(v) || isObject(v);
}

/** Keys that are not identifiers are shown quoted, as map keys are in HCL. */
function displayKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
}

function isMapLike(v: Attrs | null): boolean {
  return v !== null && Object.keys(v).some((k) => displayKey(k) !== k);
}
