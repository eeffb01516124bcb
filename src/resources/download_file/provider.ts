/** The `download_file` resource type: download-url through pvesh, read through the storage-content API. */
import type { Attrs } from '../../config/values.js';
import type { ResourceProvider } from '../provider.js';
import { bool, str } from '../proxmox/attrs.js';
import { diagnosticError } from '../proxmox/errors.js';
import { requireNode } from '../proxmox/host.js';
import { createFile, deleteOwnedFile, fileAttrs, fileIdentity, fileIdentityKeys, proveDownloaded, readFileResources, readStorageFiles, storageOf, volidOf, type FileContent } from '../proxmox/storage-files.js';
import { downloadFileSchema } from './schema.js';
import { downloadFilename, validateDownload } from './validate.js';

function volid(attrs: Attrs): string {
  return volidOf(storageOf(attrs), str(attrs, 'content') as FileContent, str(attrs, 'filename') ?? downloadFilename(attrs)!);
}

function knownVolid(attrs: Attrs): string | undefined {
  return typeof attrs.content === 'string' && downloadFilename(attrs) !== undefined ? volid(attrs) : undefined;
}

/** The download-url call; the checksum is given only with its algorithm (pve-storage rejects one alone). */
function downloadArgs(node: string, planned: Attrs, filename: string): string[] {
  const args = ['pvesh', 'create', `/nodes/${node}/storage/${storageOf(planned)}/download-url`];
  args.push(`--url=${str(planned, 'url')}`, `--content=${str(planned, 'content')}`, `--filename=${filename}`);
  const checksum = str(planned, 'checksum');
  if (checksum !== undefined) args.push(`--checksum=${checksum}`, `--checksum-algorithm=${str(planned, 'checksum_algorithm')}`);
  if (bool(planned, 'verify_certificates') === false) args.push('--verify-certificates=0');
  return args;
}

export const downloadFileProvider: ResourceProvider = {
  type: 'download_file',
  schema: downloadFileSchema,
  validate: validateDownload,

  normalize: (planned) => ({ ...planned, filename: planned.filename === undefined || planned.filename === null ? (downloadFilename(planned) ?? null) : planned.filename }),

  identity: (planned) => fileIdentity(planned, knownVolid(planned)),
  identityKeys: (planned) => fileIdentityKeys(planned, knownVolid(planned), 'url'),

  read: (ctx, requests) => readFileResources(ctx, requests, volid),

  ownershipProof: 'content',
  /** The same download-url again: with a checksum, Proxmox only verifies the file already there. */
  async proveCreated(ctx, planned) {
    const node = requireNode(ctx);
    const filename = downloadFilename(planned)!;
    const verify = str(planned, 'checksum') === undefined ? undefined : downloadArgs(node.name, planned, filename);
    return proveDownloaded(node, verify, volid({ ...planned, filename }));
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    const filename = downloadFilename(planned)!;
    const withName = { ...planned, filename };
    return createFile(ctx, withName, { type: 'download_file', volid: volid(withName), argv: downloadArgs(node.name, planned, filename), what: `downloading ${filename}` });
  },

  async update(_ctx, prior, planned) {
    // Only verify_certificates changes in place, and it matters only while downloading.
    return { ...planned, volid: prior.volid ?? null, path: prior.path ?? null, size: prior.size ?? null };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const argv = ['pvesh', 'delete', `/nodes/${node.name}/storage/${storageOf(prior)}/content/${volid(prior)}`];
    await deleteOwnedFile(node, prior, volid(prior), argv, `deleting ${volid(prior)}`);
  },

  async import(ctx, id) {
    const node = requireNode(ctx);
    const match = /^([^:]+):(iso|import|vztmpl)\/(.+)$/.exec(id);
    if (!match) throw diagnosticError(`Invalid file id "${id}"`, 'Import a downloaded file by its volume id, e.g. "local:iso/debian-13.1.0-amd64-netinst.iso".');
    const file = (await readStorageFiles(node, [match[1]!])).get(id);
    if (!file) throw diagnosticError(`${id} does not exist`, `Storage ${match[1]} on node ${node.name} does not list ${id}.`);
    return fileAttrs({ storage: match[1]!, content: match[2]!, filename: match[3]! }, node, file);
  },

  /** The URL and checksum a file was downloaded from cannot be read back: after an import, take them from config. */
  adoptConfigured: (imported, configured) => ({
    ...imported,
    url: configured.url ?? null,
    checksum: configured.checksum ?? null,
    checksum_algorithm: configured.checksum_algorithm ?? null,
    verify_certificates: configured.verify_certificates ?? true,
  }),
};
