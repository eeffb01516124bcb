/**
 * Guest configuration files (`/etc/pve/nodes/NODE/{lxc,qemu-server}/ID.conf`): `key: value` lines of the
 * current config, `#` comment lines holding the percent-encoded description, raw `lxc.*` keys, then
 * `[section]`s for snapshots and pending changes. Only the lines before the first section are in effect.
 */

export interface GuestConfig {
  /**
   * Option lines of the config with its pending changes applied (what the guest runs with from its next
   * start, and what `pvesh get .../config` returns by default), without raw `lxc.*` keys.
   */
  options: Record<string, string>;
  /** Keys with a change waiting in the pending section (`[pve:pending]` / `[PENDING]`) for the next start. */
  pendingKeys: string[];
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

/** pve-container writes its pending section as `[pve:pending]`, qemu-server as `[PENDING]`. */
function isPendingSection(name: string): boolean {
  return name === 'pve:pending' || name === 'PENDING';
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
  const pending: Record<string, string> = {};
  let inMain = true;
  let inPending = false;
  for (const line of text.split('\n')) {
    const section = /^\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      inMain = false;
      inPending = isPendingSection(section[1]!);
      if (!isSpecialSection(section[1]!)) snapshots.push(section[1]!);
      continue;
    }
    if (inPending) {
      const kv = /^([^:\s#]+):\s?(.*)$/.exec(line);
      if (kv && !kv[1]!.startsWith('lxc.')) pending[kv[1]!] = kv[2]!;
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
  const pendingKeys = applyPendingSection(options, pending);
  let description: string | null = descriptionLines.length > 0 ? descriptionLines.join('\n') : null;
  if (options.description !== undefined) description = decodeDescription(options.description);
  delete options.description;
  return { options, pendingKeys, rawLxc, description: normalizeDescription(description), snapshots };
}

/**
 * Applies the pending section to `options` as the next start will (AbstractConfig's pending handling:
 * values replace, `delete: a,b` removes; a `!` prefix marks a forced delete). Returns the pending keys.
 */
function applyPendingSection(options: Record<string, string>, pending: Record<string, string>): string[] {
  const deletes = (pending.delete ?? '').split(/[,;\s]+/).map((k) => k.replace(/^!/, '')).filter(Boolean);
  delete pending.delete;
  for (const [key, value] of Object.entries(pending)) options[key] = value;
  for (const key of deletes) delete options[key];
  return [...new Set([...Object.keys(pending), ...deletes])].sort();
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
