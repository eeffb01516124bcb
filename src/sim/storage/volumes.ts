/**
 * Files on file-based storages by content type — templates, ISO images, import images — as
 * pve-storage lists and names them (src/PVE/Storage/Plugin.pm get_subdir / $get_subdir_files,
 * src/PVE/Storage.pm extension regexes and normalize_content_filename).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SimEnv } from '../core/env.js';
import { SimError } from '../core/errors.js';
import type { StorageEntry } from './config.js';
import { findStorage, storageContent } from './config.js';

export type FileContent = 'iso' | 'vztmpl' | 'import';

/** Plugin.pm get_subdir: where each content type lives below the storage's path. */
const SUBDIR: Record<FileContent, string> = { iso: 'template/iso', vztmpl: 'template/cache', import: 'import' };

/** Storage.pm $ISO_EXT_RE_0. */
export const ISO_FILE = /^[^/]+\.(?:iso|img)$/i;
/** Storage.pm $VZTMPL_EXT_RE_1 (`.tar` alone, or `.tar.gz|xz|zst|bz2`); group 1 is the compression. */
export const VZTMPL_FILE = /^[^/]+\.tar(?:\.(gz|xz|zst|bz2))?$/i;
/** Storage.pm $SAFE_CHAR_CLASS_RE + $IMPORT_EXT_RE_1 (listing; case-insensitive there). */
const IMPORT_FILE = /^[a-zA-Z0-9\-.+=_]+\.(ova|ovf|qcow2|raw|vmdk)$/i;
/** $SAFE_CHAR_CLASS_RE + $UPLOAD_IMPORT_EXT_RE_1: what download-url accepts for `import` (no ovf, case-sensitive). */
export const UPLOAD_IMPORT_FILE = /^[a-zA-Z0-9\-.+=_]+\.(ova|qcow2|raw|vmdk)$/;

export interface VolumeInfo {
  volid: string;
  content: FileContent;
  format: string;
  size: number;
  ctime: number;
}

/** Storage.pm normalize_content_filename: basename only, anything unusual becomes `_`. */
export function normalizeContentFilename(filename: string): string {
  return filename.replace(/\n$/, '').replace(/^.*[/\\]/, '').replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/** A file-based storage configured for `content`, or Proxmox's error for why not. */
export function fileStorage(env: SimEnv, id: string, content: FileContent): StorageEntry {
  const storage = findStorage(env, id);
  if (storage.props.path === undefined) throw new SimError(`can't upload to storage type '${storage.type}', not a file based storage!`);
  if (!storageContent(storage).has(content)) throw new SimError(`storage '${id}' is not configured for content-type '${content}'`);
  return storage;
}

/** The directory (in the simulator's tree) holding `content` files of a dir storage. */
export function contentDir(env: SimEnv, storage: StorageEntry, content: FileContent): string {
  return env.path(storage.props.path!, SUBDIR[content]);
}

/** The host path Proxmox reports for a file (PVE::Storage::path): what `import-from` takes. */
export function hostFilePath(storage: StorageEntry, content: FileContent, file: string): string {
  return join(storage.props.path!, SUBDIR[content], file);
}

function formatOf(content: FileContent, file: string): string | undefined {
  if (content === 'iso') return ISO_FILE.test(file) ? 'iso' : undefined;
  if (content === 'vztmpl') {
    const match = VZTMPL_FILE.exec(file);
    return match ? (match[1] ? `t${match[1]}` : 'tar') : undefined;
  }
  return IMPORT_FILE.exec(file)?.[1];
}

/** $get_subdir_files for the file content types the storage has (or only `content`), sorted by volid. */
export function listVolumes(env: SimEnv, storage: StorageEntry, content?: FileContent): VolumeInfo[] {
  if (storage.props.path === undefined) return [];
  const types = (Object.keys(SUBDIR) as FileContent[]).filter((t) => storageContent(storage).has(t) && (content === undefined || t === content));
  const volumes: VolumeInfo[] = [];
  for (const type of types) {
    const dir = contentDir(env, storage, type);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const format = formatOf(type, file);
      const stat = statSync(join(dir, file));
      if (!format || stat.isDirectory() || file.includes('.tmp_dwnl.')) continue;
      volumes.push({ volid: `${storage.id}:${SUBDIR_VOLID[type]}/${file}`, content: type, format, size: stat.size, ctime: Math.floor(stat.ctimeMs / 1000) });
    }
  }
  return volumes.sort((a, b) => a.volid.localeCompare(b.volid));
}

const SUBDIR_VOLID: Record<FileContent, string> = { iso: 'iso', vztmpl: 'vztmpl', import: 'import' };

/** `STORAGE:TYPE/FILE` of a file volume, or undefined. */
export function parseFileVolid(volid: string): { storage: string; content: FileContent; file: string } | undefined {
  const match = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(iso|vztmpl|import)\/([^/]+)$/i.exec(volid);
  return match ? { storage: match[1]!, content: match[2] as FileContent, file: match[3]! } : undefined;
}
