/**
 * Proxmox guest config files (`/etc/pve/nodes/N/lxc/ID.conf`, `.../qemu-server/ID.conf`): `key: value`
 * lines, the description as `#` comment lines, raw `lxc.*` lines kept verbatim and in order, then a
 * pending section (`[pve:pending]` for containers, `[PENDING]` for VMs) and one `[name]` section per snapshot. Lines we do not understand survive a
 * rewrite, because providers edit these files too (under the guest lock).
 */
import { createHash } from 'node:crypto';
import type { GuestKind } from '../core/env.js';

export interface ConfigSection {
  /** Decoded description; every line ends in "\n" as Proxmox reassembles it. */
  description?: string;
  /** Options in file order (written back sorted, as Proxmox does). */
  values: Record<string, string>;
  /** Raw `lxc.*` lines, in order. */
  lxc: [string, string][];
  /** Lines that are neither options, comments nor raw lines: kept as they are. */
  unparsed: string[];
}

export interface GuestConfigFile {
  current: ConfigSection;
  pending?: ConfigSection;
  /** Snapshot sections (and special sections such as `[special:cloudinit]`), by name. */
  sections: Map<string, ConfigSection>;
}

/** pve-container names its pending section `[pve:pending]`; qemu-server writes `[PENDING]`. */
export function pendingSectionName(kind: GuestKind): string {
  return kind === 'lxc' ? 'pve:pending' : 'PENDING';
}
const PENDING_SECTIONS = new Set(['pve:pending', 'PENDING']);

export function emptySection(): ConfigSection {
  return { values: {}, lxc: [], unparsed: [] };
}

/** A new guest's config: no values, no snapshots. */
export function emptyConfigFile(): GuestConfigFile {
  return { current: emptySection(), sections: new Map() };
}

/**
 * PVE::Tools::encode_text (pve-common src/PVE/ParseUtils.pm: unsafe = "^\x20-\x24\x26-\x39\x3b-\x7e"):
 * control, non-ASCII, ':' and '%' characters percent-encoded. Without '%' a description holding "%41"
 * would read back as "A".
 */
export function encodeText(text: string): string {
  let result = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const safe = byte >= 0x20 && byte <= 0x7e && byte !== 0x3a && byte !== 0x25;
    result += safe ? String.fromCharCode(byte) : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return result;
}

export function decodeText(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseConfigFile(raw: string): GuestConfigFile {
  const file = emptyConfigFile();
  let section = file.current;
  for (const line of raw.split('\n')) {
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = emptySection();
      if (PENDING_SECTIONS.has(header[1]!)) file.pending = section;
      else file.sections.set(header[1]!, section);
      continue;
    }
    if (line.trim() === '') continue;
    const comment = /^#(.*)$/.exec(line);
    if (comment) {
      section.description = (section.description ?? '') + decodeText(comment[1]!) + '\n';
      continue;
    }
    const raw = /^(lxc\.[^\s:]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (raw) {
      section.lxc.push([raw[1]!, raw[2]!]);
      continue;
    }
    const option = /^([a-z][a-z0-9_-]*)\s*:\s*(.*?)\s*$/i.exec(line);
    if (option) {
      if (option[1] === 'description') section.description = decodeText(option[2]!);
      else section.values[option[1]!] = option[2]!;
      continue;
    }
    section.unparsed.push(line);
  }
  return file;
}

function renderSection(section: ConfigSection): string {
  let text = '';
  if (section.description !== undefined) {
    const lines = section.description.replace(/\n$/, '').split('\n');
    for (const line of lines) text += '#' + encodeText(line) + '\n';
  }
  for (const key of Object.keys(section.values).sort()) text += `${key}: ${section.values[key]}\n`;
  for (const [key, value] of section.lxc) text += `${key}: ${value}\n`;
  for (const line of section.unparsed) text += line + '\n';
  return text;
}

export function renderConfigFile(file: GuestConfigFile, kind: GuestKind): string {
  let text = renderSection(file.current);
  if (file.pending && !sectionIsEmpty(file.pending)) text += `\n[${pendingSectionName(kind)}]\n` + renderSection(file.pending);
  for (const name of [...file.sections.keys()].sort()) {
    text += `\n[${name}]\n` + renderSection(file.sections.get(name)!);
  }
  return text;
}

export function sectionIsEmpty(section: ConfigSection): boolean {
  return (
    section.description === undefined &&
    Object.keys(section.values).length === 0 &&
    section.lxc.length === 0 &&
    section.unparsed.length === 0
  );
}

export function cloneSection(section: ConfigSection): ConfigSection {
  return {
    description: section.description,
    values: { ...section.values },
    lxc: section.lxc.map(([k, v]) => [k, v] as [string, string]),
    unparsed: [...section.unparsed],
  };
}

export function configDigest(raw: string): string {
  return createHash('sha1').update(raw).digest('hex');
}

/** Snapshot sections only (special sections such as `special:cloudinit` are not snapshots). */
export function snapshotNames(file: GuestConfigFile): string[] {
  return [...file.sections.keys()].filter((name) => !name.includes(':'));
}
