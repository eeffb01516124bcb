/**
 * Guest configuration files (`/etc/pve/nodes/NODE/{lxc,qemu-server}/ID.conf`): `key: value` lines of the
 * current config, `#` comment lines holding the percent-encoded description, raw `lxc.*` keys, then
 * `[section]`s for snapshots and pending changes. Only the lines before the first section are in effect.
 */

export interface GuestConfig {
  /** Option lines of the current config (not snapshots, not pending), without raw `lxc.*` keys. */
  options: Record<string, string>;
  /** Raw `lxc.*` lines in file order, as `key: value`. */
  rawLxc: string[];
  /** Description from the `#` comment lines or a `description:` key, trailing newlines removed. */
  description: string | null;
  /** Names of snapshot sections. */
  snapshots: string[];
}

/** Sections that are not snapshots: pending changes and qemu's cloud-init state. */
function isSpecialSection(name: string): boolean {
  return name.includes(':') || name === 'PENDING';
}

export function decodeDescription(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseGuestConfig(text: string): GuestConfig {
  const options: Record<string, string> = {};
  const rawLxc: string[] = [];
  const descriptionLines: string[] = [];
  const snapshots: string[] = [];
  let inMain = true;
  for (const line of text.split('\n')) {
    const section = /^\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      inMain = false;
      if (!isSpecialSection(section[1]!)) snapshots.push(section[1]!);
      continue;
    }
    if (!inMain) continue;
    if (line.startsWith('#')) {
      descriptionLines.push(decodeDescription(line.slice(1)));
      continue;
    }
    const kv = /^([^:\s]+):\s?(.*)$/.exec(line);
    if (!kv) continue;
    const [, key, value] = kv as unknown as [string, string, string];
    if (key.startsWith('lxc.')) rawLxc.push(`${key}: ${value}`);
    else options[key] = value;
  }
  let description: string | null = descriptionLines.length > 0 ? descriptionLines.join('\n') : null;
  if (options.description !== undefined) description = decodeDescription(options.description);
  delete options.description;
  return { options, rawLxc, description: normalizeDescription(description), snapshots };
}

/** Proxmox appends a newline to LXC descriptions; compare without trailing newlines. */
export function normalizeDescription(text: string | null): string | null {
  if (text === null) return null;
  const trimmed = text.replace(/\n+$/, '');
  return trimmed === '' ? null : trimmed;
}

/**
 * Splits `grep -H '' FILE...` output into per-file contents. Files are matched by their known paths
 * (paths may contain characters that make splitting on `:` ambiguous): a line belongs to the longest
 * known path followed by `:` that starts it. Looked up per `:` of the line, so reading thousands of
 * guests stays linear in the output size.
 */
export function splitGrepOutput(output: string, paths: string[]): Map<string, string> {
  const known = new Set(paths);
  const lines = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    let path: string | undefined;
    for (let colon = line.indexOf(':'); colon !== -1; colon = line.indexOf(':', colon + 1)) {
      const candidate = line.slice(0, colon);
      if (known.has(candidate)) path = candidate;
    }
    if (path === undefined) continue;
    const list = lines.get(path) ?? [];
    list.push(line.slice(path.length + 1));
    lines.set(path, list);
  }
  return new Map([...lines].map(([p, l]) => [p, l.join('\n')]));
}

/** Tags as Proxmox stores them: lowercased, de-duplicated, sorted, `;`-separated on the host. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))].sort();
}

export function parseTags(text: string | undefined): string[] {
  return text === undefined ? [] : normalizeTags(text.split(/[;, ]/));
}
