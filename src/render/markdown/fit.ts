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
  const fitter = new Fitter(parts, note);
  let text = fitter.render(false);
  for (const step of [() => fitter.hideContext(), () => fitter.omitLargest(limit), () => fitter.cutList(limit)]) {
    if (text.length <= limit) break;
    text = step();
  }
  return text;
}

/** The trimming steps, mildest first; each returns the document as trimmed so far. */
class Fitter {
  readonly report: TrimReport;
  private readonly items: TrimmableItem[];
  private readonly variants: Map<TrimmableItem, Variant>;

  constructor(
    private readonly parts: DocumentParts,
    private readonly note: (report: TrimReport) => string,
  ) {
    this.items = parts.groups.flatMap((g) => g.items);
    this.variants = new Map(this.items.map((i) => [i, 'full']));
    this.report = { contextHidden: 0, omitted: 0, total: this.items.length, listCut: 0 };
  }

  render(withNote = true): string {
    return assemble(this.parts, this.variants, withNote ? this.note(this.report) : '', this.report.listCut);
  }

  hideContext(): string {
    for (const item of this.items) {
      if (item.compact === item.full) continue;
      this.variants.set(item, 'compact');
      this.report.contextHidden++;
    }
    return this.render();
  }

  omitLargest(limit: number): string {
    const largestFirst = [...this.items].sort((a, b) => b.compact.length - a.compact.length);
    // Estimated without re-rendering; the loop after it corrects for the note growing by a digit.
    let length = this.render().length;
    for (const item of largestFirst) {
      if (length <= limit) break;
      this.omit(item);
      length -= item.compact.length + SEPARATOR.length;
    }
    let text = this.render();
    for (const item of largestFirst) {
      if (text.length <= limit) break;
      if (this.variants.get(item) === 'omitted') continue;
      this.omit(item);
      text = this.render();
    }
    return text;
  }

  /** Last resort: the tail of the destroy list becomes a count. */
  cutList(limit: number): string {
    const { list } = this.parts;
    let excess = this.render().length - limit;
    while (this.report.listCut < list.length && excess > 0) {
      excess -= list[list.length - 1 - this.report.listCut]!.length + 1;
      this.report.listCut++;
    }
    // The cut adds a line ("… and N more") and lengthens the note: one more line at a time if needed.
    let text = this.render();
    while (text.length > limit && this.report.listCut < list.length) {
      this.report.listCut++;
      text = this.render();
    }
    return text;
  }

  private omit(item: TrimmableItem): void {
    this.variants.set(item, 'omitted');
    this.report.omitted++;
  }
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
