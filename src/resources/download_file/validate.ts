/**
 * Plan-time checks of downloads with the rules pve-storage applies (src/PVE/API2/Storage/Status.pm
 * download_url, src/PVE/Storage.pm extension regexes, pve-common JSONSchema.pm pve-storage-id).
 */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import { str } from '../proxmox/attrs.js';
import { normalizeContentFilename, validateStorageId, type FileContent } from '../proxmox/storage-files.js';

/** What download-url accepts per content type (ISO_EXT_RE_0, VZTMPL_EXT_RE_1, SAFE_CHAR_CLASS_RE + UPLOAD_IMPORT_EXT_RE_1). */
export const FILE_PATTERNS: Record<FileContent, { pattern: RegExp; what: string }> = {
  iso: { pattern: /^[^/]+\.(?:iso|img)$/i, what: 'end in .iso or .img' },
  vztmpl: { pattern: /^[^/]+\.tar(?:\.(?:gz|xz|zst|bz2))?$/i, what: 'end in .tar, .tar.gz, .tar.xz, .tar.zst or .tar.bz2' },
  import: { pattern: /^[a-zA-Z0-9\-.+=_]+\.(?:ova|qcow2|raw|vmdk)$/, what: 'use only letters, digits and - . + = _ and end in .qcow2, .raw, .vmdk or .ova' },
};

export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
const HEX_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };

/** The file name the node will use: `filename`, or the URL's last path segment, normalised as Proxmox does. */
export function downloadFilename(attrs: Attrs): string | undefined {
  const given = str(attrs, 'filename');
  if (given !== undefined) return normalizeContentFilename(given);
  const url = str(attrs, 'url');
  const last = url?.replace(/[?#].*$/, '').split('/').pop();
  return last ? normalizeContentFilename(last) : undefined;
}

export function validateDownload(attrs: Attrs): Diagnostic[] {
  const diagnostics = validateStorageId(attrs);
  const error = (summary: string, detail: string) => diagnostics.push({ severity: 'error', summary, detail });
  const url = str(attrs, 'url');
  if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url)) error(`Invalid url "${url}"`, 'Proxmox downloads http:// and https:// URLs only.');
  const content = str(attrs, 'content') as FileContent | undefined;
  const rule = content === undefined ? undefined : FILE_PATTERNS[content];
  if (content !== undefined && !rule) error(`Invalid content "${content}"`, 'Use "iso", "import" (disk images for `import_from`) or "vztmpl".');
  const filename = downloadFilename(attrs);
  if (rule && filename !== undefined && !rule.pattern.test(filename)) {
    error(`Invalid file name "${filename}" for content "${content}"`, `Proxmox refuses it: ${content} files must ${rule.what}. Set \`filename\`.`);
  }
  if (filename === undefined && url !== undefined) error('No file name', `The URL ends without a file name: set \`filename\`.`);
  const checksum = str(attrs, 'checksum');
  const algorithm = str(attrs, 'checksum_algorithm');
  if ((checksum === undefined) !== (algorithm === undefined)) {
    error('"checksum" and "checksum_algorithm" go together', 'Proxmox requires both, or neither.');
  } else if (algorithm !== undefined && !(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
    error(`Invalid checksum_algorithm "${algorithm}"`, `Use one of ${CHECKSUM_ALGORITHMS.join(', ')}.`);
  } else if (algorithm !== undefined && checksum !== undefined && !new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[algorithm]}}$`).test(checksum)) {
    error(`Invalid ${algorithm} checksum`, `A ${algorithm} checksum is ${HEX_LENGTH[algorithm]} hexadecimal digits.`);
  }
  return diagnostics;
}
