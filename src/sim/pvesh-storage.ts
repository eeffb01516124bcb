/**
 * The storage-content API paths of pvesh (pve-storage src/PVE/API2/Storage/Content.pm index/delete and
 * Status.pm download_url): list a storage's files, download a URL into it as a foreground task, delete
 * a file. Like every worker API called through pvesh, a failed task prints its error on stderr and pvesh
 * still exits 0 with the UPID on stdout.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from './core/context.js';
import { SimError, verificationError } from './core/errors.js';
import type { ParamSpec } from './core/schema.js';
import { findStorage } from './storage/config.js';
import { downloadFile, runForegroundTask, TaskFailure } from './storage/download.js';
import {
  contentDir, fileStorage, hostFilePath, ISO_FILE, listVolumes, normalizeContentFilename, parseFileVolid, UPLOAD_IMPORT_FILE, VZTMPL_FILE, type FileContent,
} from './storage/volumes.js';

const STORAGE_PATH = /^\/storage\/([^/]+)(\/.*)?$/;

/** Status.pm download_url parameters (the node and storage come from the path). */
export const DOWNLOAD_URL_OPTIONS: Record<string, ParamSpec> = {
  url: { type: 'string', pattern: /^https?:\/\/.*$/ },
  content: { type: 'string', enum: ['iso', 'vztmpl', 'import'] },
  filename: { type: 'string', maxLength: 255 },
  checksum: { type: 'string' },
  'checksum-algorithm': { type: 'string', enum: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] },
  compression: { type: 'string', enum: ['gz', 'lzo', 'zst', 'bz2'] },
  'verify-certificates': { type: 'boolean' },
};

/** GET /nodes/N/storage/S/content[?content=T]: Content.pm index. Undefined when the path is not ours. */
export function storageGet(ctx: CommandContext, rest: string, options: Record<string, string>): unknown {
  const match = STORAGE_PATH.exec(rest);
  if (!match || match[2] !== '/content') return undefined;
  const storage = findStorage(ctx.env, match[1]!);
  const content = options.content as FileContent | undefined;
  return listVolumes(ctx.env, storage, content).map((v) => ({ ...v }));
}

/** POST /nodes/N/storage/S/download-url. Undefined when the path is not ours. */
export function storageCreate(ctx: CommandContext, rest: string, options: Record<string, string>): unknown {
  const match = STORAGE_PATH.exec(rest);
  if (!match || match[2] !== '/download-url') return undefined;
  const missing = ['content', 'filename', 'url'].filter((p) => options[p] === undefined);
  if (missing.length) throw verificationError(Object.fromEntries(missing.map((p) => [p, 'property is missing and it is not optional'])));
  // JSONSchema `requires`: checksum and checksum-algorithm only together.
  if ((options.checksum === undefined) !== (options['checksum-algorithm'] === undefined)) {
    const [given, other] = options.checksum === undefined ? ['checksum-algorithm', 'checksum'] : ['checksum', 'checksum-algorithm'];
    throw verificationError({ [other]: `parameter is missing and it is required by '${given}'` });
  }
  const content = options.content as FileContent;
  const storage = fileStorage(ctx.env, match[1]!, content);
  const filename = normalizeContentFilename(options.filename!);
  const extension = { iso: ISO_FILE, vztmpl: VZTMPL_FILE, import: UPLOAD_IMPORT_FILE }[content];
  if (!extension.test(filename)) throw verificationError({ filename: content === 'import' ? 'invalid filename or wrong extension' : 'wrong file extension' });
  if (options.compression && content !== 'iso') {
    return runForegroundTask(ctx, 'download', filename, () => {
      throw new TaskFailure(`decompression not supported for ${content}`);
    });
  }
  return runForegroundTask(ctx, 'download', filename, (print) =>
    downloadFile(ctx, print, {
      dest: join(contentDir(ctx.env, storage, content), filename),
      hostDest: hostFilePath(storage, content, filename),
      url: options.url!,
      checksum: options.checksum ? { algorithm: options['checksum-algorithm']!, expected: options.checksum } : undefined,
      validity: content === 'import' && filename.endsWith('.qcow2') ? qcow2Validity : undefined,
    }),
  );
}

/** file_size_info(untrusted) runs qemu-img info with the expected format: a non-qcow2 file fails there. */
function qcow2Validity(content: Buffer): string | undefined {
  const magic = content.subarray(0, 4);
  return magic.equals(Buffer.from([0x51, 0x46, 0x49, 0xfb])) ? undefined : 'failed to query file information with qemu-img';
}

/** DELETE /nodes/N/storage/S/content/VOLUME. Undefined when the path is not ours. */
export function storageDelete(ctx: CommandContext, rest: string): unknown {
  const match = STORAGE_PATH.exec(rest);
  const volume = match?.[2]?.startsWith('/content/') ? decodeURIComponent(match[2].slice('/content/'.length)) : undefined;
  if (!match || volume === undefined) return undefined;
  const volid = volume.includes(':') ? volume : `${match[1]}:${volume}`;
  const parts = parseFileVolid(volid);
  if (!parts) throw new SimError(`unable to parse volume ID '${volid}'`);
  const storage = findStorage(ctx.env, parts.storage);
  const file = join(contentDir(ctx.env, storage, parts.content), parts.file);
  return runForegroundTask(ctx, 'imgdel', storage.id, (print) => {
    if (!existsSync(file)) {
      // Plugin.pm free_image warns and returns: the task ends with a warning, not an error.
      print(`WARN: disk image '${hostFilePath(storage, parts.content, parts.file)}' does not exist\n`);
      ctx.out.err('Task finished with 1 warning(s)!');
      return;
    }
    rmSync(file);
    print(`Removed volume '${volid}'\n`);
  });
}
