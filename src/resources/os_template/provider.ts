/** The `os_template` resource type: `pveam download` / `pveam remove`, read through the storage-content API. */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import type { ResourceProvider } from '../provider.js';
import { str } from '../proxmox/attrs.js';
import { diagnosticError } from '../proxmox/errors.js';
import { requireNode } from '../proxmox/host.js';
import { createFile, deleteOwnedFile, fileAttrs, fileIdentity, fileIdentityKeys, proveDownloaded, readFileResources, readStorageFiles, storageOf, validateStorageId, volidOf } from '../proxmox/storage-files.js';
import { osTemplateSchema } from './schema.js';

/** pve-storage Storage.pm $VZTMPL_EXT_RE_1: `.tar`, or `.tar.gz|xz|zst|bz2`. */
const TEMPLATE_FILE = /^[A-Za-z0-9][^/\s]*\.tar(?:\.(?:gz|xz|zst|bz2))?$/;

function volid(attrs: Attrs): string {
  return volidOf(storageOf(attrs), 'vztmpl', String(attrs.template));
}

function knownVolid(attrs: Attrs): string | undefined {
  return typeof attrs.template === 'string' ? volid(attrs) : undefined;
}

function validate(attrs: Attrs): Diagnostic[] {
  const template = str(attrs, 'template');
  const diagnostics = validateStorageId(attrs);
  if (template !== undefined && !TEMPLATE_FILE.test(template)) {
    diagnostics.push({
      severity: 'error',
      summary: `Invalid template name "${template}"`,
      detail: 'A template as `pveam available` lists it: a file name ending in .tar, .tar.gz, .tar.xz, .tar.zst or .tar.bz2, e.g. "debian-12-standard_12.12-1_amd64.tar.zst".',
    });
  }
  return diagnostics;
}

function downloadArgs(planned: Attrs): string[] {
  return ['pveam', 'download', storageOf(planned), str(planned, 'template')!];
}

export const osTemplateProvider: ResourceProvider = {
  type: 'os_template',
  schema: osTemplateSchema,
  validate,
  identity: (planned) => fileIdentity(planned, knownVolid(planned)),
  identityKeys: (planned) => fileIdentityKeys(planned, knownVolid(planned), 'template'),

  read: (ctx, requests) => readFileResources(ctx, requests, volid),

  create: (ctx, planned) =>
    createFile(ctx, planned, { type: 'os_template', volid: volid(planned), argv: downloadArgs(planned), what: `downloading template ${str(planned, 'template')}` }),

  ownershipProof: 'content',
  /** `pveam download` again: it checks a file already there against the index's SHA-512 and keeps it. */
  proveCreated: async (ctx, planned) => proveDownloaded(requireNode(ctx), downloadArgs(planned), volid(planned)),

  async update(_ctx, _prior, planned) {
    return planned; // every input replaces; nothing to change in place
  },

  async delete(ctx, prior) {
    await deleteOwnedFile(requireNode(ctx), prior, volid(prior), ['pveam', 'remove', volid(prior)], `removing template ${volid(prior)}`);
  },

  async import(ctx, id) {
    const node = requireNode(ctx);
    const match = /^([^:]+):vztmpl\/(.+)$/.exec(id);
    if (!match) throw diagnosticError(`Invalid template id "${id}"`, 'Import a template by its volume id, e.g. "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst".');
    const file = (await readStorageFiles(node, [match[1]!])).get(id);
    if (!file) throw diagnosticError(`Template ${id} does not exist`, `Storage ${match[1]} on node ${node.name} does not list ${id}.`);
    return fileAttrs({ storage: match[1]!, template: match[2]! }, node, file);
  },
};
