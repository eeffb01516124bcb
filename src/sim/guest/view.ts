/** What `pct/qm config` and `pending` print, and the merged (pending applied) view of a config. */
import type { Output } from '../core/output.js';
import { encodeText, type ConfigSection, type GuestConfigFile } from './config-file.js';

export interface ConfigView {
  values: Record<string, string>;
  description?: string;
  lxc: [string, string][];
}

export function pendingDeletes(file: GuestConfigFile): string[] {
  return (file.pending?.values.delete ?? '').split(',').map((key) => key.replace(/^!/, '')).filter(Boolean);
}

/** The current config with pending changes applied (Proxmox's default view), or only the current one. */
export function configView(file: GuestConfigFile, currentOnly: boolean): ConfigView {
  const view: ConfigView = { values: { ...file.current.values }, description: file.current.description, lxc: file.current.lxc };
  if (currentOnly || !file.pending) return view;
  for (const [key, value] of Object.entries(file.pending.values)) {
    if (key !== 'delete') view.values[key] = value;
  }
  if (file.pending.description !== undefined) view.description = file.pending.description;
  for (const key of pendingDeletes(file)) {
    if (key === 'description') view.description = undefined;
    else delete view.values[key];
  }
  return view;
}

export function sectionView(section: ConfigSection): ConfigView {
  return { values: { ...section.values }, description: section.description, lxc: section.lxc };
}

const MASKED = new Set(['cipassword']);

/** Sorted `key: value` lines; description percent-encoded; raw lxc lines last. */
export function printConfig(out: Output, view: ConfigView): void {
  const entries: Record<string, string> = { ...view.values };
  if (view.description !== undefined) entries.description = encodeText(view.description);
  delete entries.digest;
  for (const key of Object.keys(entries).sort()) {
    out.line(`${key}: ${MASKED.has(key) ? '**********' : entries[key]}`);
  }
  for (const [key, value] of view.lxc) out.line(`${key}: ${value}`);
}

/** GuestHelpers::format_pending: `cur`, `new` and `del` lines sorted by key. */
export function printPending(out: Output, file: GuestConfigFile): void {
  const current: Record<string, string> = { ...file.current.values };
  if (file.current.description !== undefined) current.description = encodeText(file.current.description);
  const pending: Record<string, string> = { ...(file.pending?.values ?? {}) };
  delete pending.delete;
  if (file.pending?.description !== undefined) pending.description = encodeText(file.pending.description);
  const deletes = new Set(pendingDeletes(file));
  const keys = new Set([...Object.keys(current), ...Object.keys(pending), ...deletes]);
  for (const key of [...keys].sort()) {
    if (key === 'digest') continue;
    const value = current[key];
    const next = pending[key];
    if (value !== undefined) {
      if (deletes.has(key)) out.line(`del ${key}: ${value}`);
      else if (next !== undefined) {
        out.line(`cur ${key}: ${value}`);
        out.line(`new ${key}: ${next}`);
      } else out.line(`cur ${key}: ${value}`);
    } else if (next !== undefined) {
      out.line(`new ${key}: ${next}`);
    }
  }
}
