/** Markdown and HTML building blocks that stay valid whatever text (addresses, scripts) goes inside. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An inline code span that survives backticks in the text (CommonMark: a longer delimiter run). */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run inside (a script may contain ```). */
export function fenced(lines: readonly string[], language: string): string {
  const longest = Math.max(0, ...lines.flatMap((l) => [...l.matchAll(/`{3,}/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...lines, fence].join('\n');
}

/** A collapsible section; GitHub needs the blank lines around markdown inside HTML blocks. */
export function details(summaryHtml: string, body: string): string {
  return `<details><summary>${summaryHtml}</summary>\n\n${body}\n\n</details>`;
}

/** A GitHub alert block (`> [!CAUTION]`). */
export function alert(kind: 'NOTE' | 'WARNING' | 'CAUTION', lines: readonly string[]): string {
  return [`> [!${kind}]`, ...lines.map((l) => `> ${l}`)].join('\n');
}
