/**
 * Keeping the document under GitHub's comment limit (65,535 characters). The document is fixed text
 * (title, summary, the destroy/replace list) plus groups of trimmable items (per-resource details, the
 * graph). When too long: first every item drops its unchanged context, then whole items are omitted,
 * largest first. A note says what was trimmed. The fixed text is never trimmed, except as the very
 * last resort when the destroy list alone exceeds the limit (thousands of destroys), where its tail
 * becomes a count rather than letting GitHub reject the comment.
 */

export interface TrimmableItem {
  /** Full rendering, including unchanged context. */
  full: string;
  /** Without unchanged context (equal to full when there is none). */
  compact: string;
}

export interface ItemGroup {
  heading: string;
  items: TrimmableItem[];
}

export interface DocumentParts {
  head: string;
  /** Lines that must be visible (destroys and replacements), under `listHeading`. */
  listHeading: string;
  list: string[];
  groups: ItemGroup[];
  footer: string;
}

export interface TrimReport {
  contextHidden: number;
  omitted: number;
  total: number;
  listCut: number;
}

type Variant = 'full' | 'compact' | 'omitted';

const SEPARATOR = '\n\n';

/** The whole document, trimmed to `limit`; `note` writes the trimming note (placed after the head). */
export function fitDocument(parts: DocumentParts, limit: number, note: (report: TrimReport) => string): string {
  const items = parts.groups.flatMap((g) => g.items);
  const variants = new Map<TrimmableItem, Variant>(items.map((i) => [i, 'full']));
  const report: TrimReport = { contextHidden: 0, omitted: 0, total: items.length, listCut: 0 };
  const render = (withNote: boolean) => assemble(parts, variants, withNote ? note(report) : '', report.listCut);

  let text = render(false);
  if (text.length <= limit) return text;

  for (const item of items) {
    if (item.compact !== item.full) {
      variants.set(item, 'compact');
      report.contextHidden++;
    }
  }
  text = render(true);
  if (text.length <= limit) return text;

  // Omitting items one by one, largest first, tracking the length instead of re-rendering each time.
  // The estimate ignores the note growing by a digit; the final check below corrects for it.
  const largestFirst = [...items].sort((a, b) => b.compact.length - a.compact.length);
  let length = text.length;
  for (const item of largestFirst) {
    if (length <= limit) break;
    variants.set(item, 'omitted');
    report.omitted++;
    length -= item.compact.length + SEPARATOR.length;
  }
  text = render(true);
  for (const item of largestFirst) {
    if (text.length <= limit) break;
    if (variants.get(item) === 'omitted') continue;
    variants.set(item, 'omitted');
    report.omitted++;
    text = render(true);
  }
  while (text.length > limit && report.listCut < parts.list.length) {
    const excess = text.length - limit;
    // Cut roughly enough lines at once (a line is at least ~20 characters), then check again.
    report.listCut = Math.min(parts.list.length, report.listCut + Math.max(1, Math.ceil(excess / 60)));
    text = render(true);
  }
  return text;
}

function assemble(parts: DocumentParts, variants: Map<TrimmableItem, Variant>, note: string, listCut: number): string {
  const blocks: string[] = [parts.head];
  if (note) blocks.push(note);
  if (parts.list.length > 0) {
    const shown = parts.list.slice(0, parts.list.length - listCut);
    const cut = listCut > 0 ? [`- … and ${listCut} more (the list alone exceeds the comment limit; see the full plan)`] : [];
    blocks.push(`${parts.listHeading}\n\n${[...shown, ...cut].join('\n')}`);
  }
  for (const group of parts.groups) {
    const shown = group.items.filter((i) => variants.get(i) !== 'omitted').map((i) => (variants.get(i) === 'compact' ? i.compact : i.full));
    if (shown.length > 0) blocks.push(group.heading, ...shown);
  }
  if (parts.footer) blocks.push(parts.footer);
  return `${blocks.join(SEPARATOR)}\n`;
}
