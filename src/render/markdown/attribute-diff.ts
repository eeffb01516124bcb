/**
 * The lines of a resource's ```diff block, one block per top-level attribute, each line starting with
 * the character GitHub colours: `+` added, `-` removed, a space for context. Unchanged attributes are
 * kept as context blocks (the first thing trimmed when a comment gets too long). Multi-line strings
 * (scripts, descriptions, cloud-init) are shown as unified diff hunks, so a one-line edit of a long
 * script stays a few lines.
 */
import { diffArrays, structuredPatch } from 'diff';
import { valuesEqual, type Attrs, type Value } from '../../config/values.js';
import { isSensitivePath } from '../value-marks.js';
import { displayKey, memberLines, withoutFingerprint } from './values.js';

export interface AttributeBlock {
  key: string;
  /** Unchanged attributes are context: shown in full detail, hidden first when trimming. */
  unchanged: boolean;
  lines: string[];
}

export interface PathMarks {
  sensitivePaths: string[][];
  replacePaths: string[][];
  restartPaths: string[][];
}

const CONTEXT_LINES = 3;

export function attributeBlocks(before: Attrs | null, after: Attrs | null, marks: PathMarks): AttributeBlock[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])]
    .filter((k) => present(before?.[k]) || present(after?.[k]))
    .sort();
  const width = Math.max(0, ...keys.map((k) => displayKey(k).length));
  return keys.map((key) => {
    const b = before?.[key];
    const a = after?.[key];
    const unchanged = present(b) && present(a) && valuesEqual(b, a);
    const lines = unchanged ? memberLines(key, a!, marks.sensitivePaths, [key], width).map((l) => `  ${l}`) : changedLines(key, b, a, width, marks);
    return { key, unchanged, lines: annotate(lines, key, marks) };
  });
}

function changedLines(key: string, b: Value | undefined, a: Value | undefined, width: number, marks: PathMarks): string[] {
  const sensitive = isSensitivePath(marks.sensitivePaths, [key]);
  if (!sensitive && typeof b === 'string' && typeof a === 'string' && (b.includes('\n') || a.includes('\n'))) {
    return unifiedTextDiff(`${displayKey(key).padEnd(width)} = `, b, a);
  }
  // Fingerprinted secrets make a changed secret a changed line without ever printing it.
  const render = (v: Value | undefined) => (present(v) ? memberLines(key, v, marks.sensitivePaths, [key], width, { fingerprintSecrets: true }) : []);
  const lines: string[] = [];
  for (const part of diffArrays(render(b), render(a))) {
    const sym = part.added ? '+' : part.removed ? '-' : ' ';
    lines.push(...part.value.map((line) => `${sym} ${withoutFingerprint(line)}`));
  }
  return lines;
}

/** `key = <<EOT`, the hunks of a unified diff (with @@ headers), `EOT`. */
function unifiedTextDiff(lead: string, before: string, after: string): string[] {
  const patch = structuredPatch('', '', withNewline(before), withNewline(after), '', '', { context: CONTEXT_LINES });
  const lines = [`  ${lead}<<EOT`];
  for (const hunk of patch.hunks) {
    lines.push(`  @@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file" says nothing to a reviewer
      lines.push(`${line[0]}   ${line.slice(1)}`);
    }
  }
  lines.push('  EOT');
  return lines;
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** `# forces replacement` / `# requires restart` on the attribute's first changed line. */
function annotate(lines: string[], key: string, marks: PathMarks): string[] {
  const under = (paths: string[][]) => paths.some((p) => p[0] === key);
  const note = under(marks.replacePaths) ? '# forces replacement' : under(marks.restartPaths) ? '# requires restart' : undefined;
  if (!note) return lines;
  let at = lines.findIndex((l) => l.startsWith('+'));
  if (at < 0) at = 0;
  return lines.map((line, i) => (i === at ? `${line}  ${note}` : line));
}

function present(v: Value | undefined): v is Value {
  return v !== undefined && v !== null;
}
