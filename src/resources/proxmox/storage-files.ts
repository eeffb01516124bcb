/**
 * Files on Proxmox storages — container templates, ISO images, disk images to import — as the
 * os_template and download_file resources see them: listed through the storage-content API (one
 * `pvesh get` per storage), located through storage.cfg, and downloaded by worker tasks whose failure
 * `pveam`/`pvesh` report on stderr while exiting 0 (pve-common RESTEnvironment.pm tee_worker).
 */
import type { Attrs } from '../../config/values.js';
import { CreateRefused, NotOwned, OWNER_KEY, type AttributeDiagnostic, type NodeHandle, type ProviderContext, type ReadRequest } from '../provider.js';
import { Checks } from './checks.js';
import { STORAGE_ID } from './formats.js';
import { readStorageCfg } from '../zfs_dataset/host.js';
import { diagnosticError, hostErrorDiagnostic, taskErrorLines } from './errors.js';
import { requireNode, runOnHost } from './host.js';
import { DiagnosticError, type Diagnostic } from '../../config/diagnostics.js';

export type FileContent = 'iso' | 'vztmpl' | 'import';

export interface StoredFile {
  volid: string;
  size: number;
  /** Absolute path on the node (what `import-from` takes), when the storage has a path. */
  path: string | null;
  /** The file's ctime (seconds) as the content listing reports it (Plugin.pm get_subdir_files). */
  ctime: number;
}

/** pve-storage Plugin.pm get_subdir. */
const SUBDIR: Record<FileContent, string> = { iso: 'template/iso', vztmpl: 'template/cache', import: 'import' };

export function volidOf(storage: string, content: FileContent, file: string): string {
  return `${storage}:${content}/${file}`;
}

/** Storage.pm normalize_content_filename: what a download-url `filename` becomes on the node. */
export function normalizeContentFilename(filename: string): string {
  return filename.replace(/^.*[/\\]/, '').replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/** `storage` in pve-common JSONSchema.pm pve-storage-id format, with the caret on it. */
export function validateStorageId(attrs: Attrs): AttributeDiagnostic[] {
  const checks = new Checks();
  checks.string(['storage'], attrs.storage, STORAGE_ID);
  return checks.diagnostics;
}

/** The files of every storage named in `storages`, by volid: one content listing per storage. */
export async function readStorageFiles(node: NodeHandle, storages: string[]): Promise<Map<string, StoredFile>> {
  const files = new Map<string, StoredFile>();
  const unique = [...new Set(storages)].sort();
  if (unique.length === 0) return files;
  const paths = new Map((await readStorageCfg(node)).map((entry) => [entry.id, entry.props.path]));
  for (const storage of unique) {
    const base = paths.get(storage);
    if (!paths.has(storage)) continue; // no such storage: none of its files exist
    const listing = await runOnHost(node, ['pvesh', 'get', `/nodes/${node.name}/storage/${storage}/content`, '--output-format', 'json'], {
      what: `listing storage ${storage}`,
    });
    for (const entry of JSON.parse(listing.stdout || '[]') as { volid: string; content: string; size?: number; ctime?: number }[]) {
      const file = entry.volid.slice(entry.volid.indexOf('/') + 1);
      const subdir = SUBDIR[entry.content as FileContent];
      const path = base !== undefined && subdir ? `${base}/${subdir}/${file}` : null;
      files.set(entry.volid, { volid: entry.volid, size: entry.size ?? 0, path, ctime: entry.ctime ?? 0 });
    }
  }
  return files;
}

/**
 * Runs a command that starts a worker task in the foreground (`pveam download`, `pvesh create …/download-url`,
 * `pvesh delete …/content/…`): exit 0 with the task's error on stderr is a failure.
 */
export async function runWorkerTask(node: NodeHandle, argv: string[], what: string): Promise<void> {
  const result = await runOnHost(node, argv, { what, allowFailure: true });
  const errors = taskErrorLines(result.stderr);
  if (result.exitCode !== 0 || errors.length > 0) throw new DiagnosticError([hostErrorDiagnostic(what, { ...result, stderr: errors.join('\n') })]);
}

/**
 * Never take over a file phoenix did not put there: a create finding its target already on the node
 * stops, naming the `phoenix import` command that would adopt it.
 */
export function refuseExisting(type: string, volid: string, node: NodeHandle): CreateRefused {
  return new CreateRefused([
    {
      severity: 'error',
      summary: `${volid} already exists on node ${node.name}`,
      detail: `phoenix did not download it, so it will neither overwrite nor adopt it. To manage it with phoenix, import it: phoenix import ${type}.NAME ${volid}`,
    },
  ]);
}

/** Identity of a file resource: its volume id, which is also what `phoenix import` takes. */
export function fileIdentity(planned: Attrs, volid: string | undefined): Attrs {
  return { node: planned.node ?? null, id: volid ?? null };
}

/** Two resources (or a resource and a file on the node) naming one volume collide. */
export function fileIdentityKeys(planned: Attrs, volid: string | undefined, attribute: string): { key: string; attribute: string; label: string }[] {
  return volid === undefined ? [] : [{ key: `file:${typeof planned.node === 'string' ? planned.node : ''}/${volid}`, attribute, label: `file ${volid}` }];
}

/** A file resource's batch read: each request's file by the volid its prior names, or null when absent. */
export async function readFileResources(ctx: ProviderContext, requests: ReadRequest[], volidOfAttrs: (attrs: Attrs) => string): Promise<(Attrs | null)[]> {
  const node = requireNode(ctx);
  const files = await readStorageFiles(node, requests.map((r) => storageOf(r.prior)));
  return requests.map(({ prior }) => {
    const file = files.get(volidOfAttrs(prior));
    return file ? fileAttrs(prior, node, file) : null;
  });
}

/**
 * Creates a file by running the worker task `argv` — unless the file is already there (then it is not
 * phoenix's: refused) — and reads it back.
 */
export async function createFile(ctx: ProviderContext, planned: Attrs, request: { type: string; volid: string; argv: string[]; what: string }): Promise<Attrs> {
  const node = requireNode(ctx);
  const storage = storageOf(planned);
  if ((await readStorageFiles(node, [storage])).has(request.volid)) throw refuseExisting(request.type, request.volid, node);
  ctx.progress(request.what);
  await runWorkerTask(node, request.argv, request.what);
  const file = (await readStorageFiles(node, [storage])).get(request.volid);
  if (!file) throw diagnosticError(`${request.volid} is missing after the download`, `The node reported success, but storage ${storage} does not list ${request.volid}.`);
  return fileAttrs(planned, node, file);
}

export function storageOf(attrs: Attrs): string {
  return typeof attrs.storage === 'string' ? attrs.storage : 'local';
}

/**
 * The attributes a stored file reports back, over the prior (inputs the node cannot report stay as given),
 * with the file's stamp as its ownership proof (see fileStamp).
 */
export function fileAttrs(prior: Attrs, node: NodeHandle, file: StoredFile): Attrs {
  return { ...prior, node: node.name, volid: file.volid, size: file.size, path: file.path, [OWNER_KEY]: fileStamp(file) };
}

/**
 * What tells the file phoenix downloaded from one put in its place later. Proxmox keeps no notes or
 * other attributes on ISO images and templates (pve-storage DirPlugin.pm: "only backups can have
 * notes"), so phoenix cannot write a token onto a file; it records the ctime and size the content
 * listing reported right after its download (or import) instead. Replacing the file (a new download,
 * a copy, a rename onto it) gives it a new ctime: it is then not the object phoenix created, and is
 * left alone like a guest without phoenix's marker.
 */
export function fileStamp(file: StoredFile): string {
  return `file-ctime:${file.ctime}/size:${file.size}`;
}

/**
 * Proof that a file found at an interrupted create's volume id is what that create downloads: the create's
 * own download command run again. With a checksum, Proxmox verifies the file already there and changes
 * nothing (pve-common Tools.pm download_file_from_url: "OK, got correct file already, no need to
 * download"), or refuses with "checksum mismatch … aborting" — it never overwrites it. Returns undefined
 * when the content matches, or why the file is not proven phoenix's.
 */
export async function proveDownloaded(node: NodeHandle, argv: string[] | undefined, volid: string): Promise<string | undefined> {
  if (argv === undefined) {
    return `no checksum is declared, so phoenix cannot tell the file it was downloading from one put there by someone else`;
  }
  const result = await runOnHost(node, argv, { what: `verifying the checksum of ${volid}`, allowFailure: true });
  const errors = taskErrorLines(result.stderr);
  if (result.exitCode === 0 && errors.length === 0 && /got correct file already/.test(result.stdout)) return undefined;
  return `its content does not match the checksum of the download (${errors.join(' ') || 'the node did not confirm it'})`;
}

/**
 * Deletes a file only while it is still the one phoenix recorded (same stamp); a file replaced since is
 * not phoenix's (NotOwned) and stays; a file already gone is nothing to delete.
 */
export async function deleteOwnedFile(node: NodeHandle, prior: Attrs, volid: string, argv: string[], what: string): Promise<void> {
  const file = (await readStorageFiles(node, [storageOf(prior)])).get(volid);
  if (!file) return;
  const recorded = prior[OWNER_KEY];
  if (typeof recorded === 'string' && recorded !== fileStamp(file)) {
    throw new NotOwned([
      {
        severity: 'error',
        summary: `${volid} was replaced outside phoenix: not deleted`,
        detail:
          `The file on node ${node.name} is not the one phoenix downloaded (${fileStamp(file)}, recorded ${recorded}), so phoenix leaves it alone ` +
          'and no longer records it. To manage it with phoenix, import it.',
      },
    ]);
  }
  await runWorkerTask(node, argv, what);
}
