/** The `download_file` resource schema: a file downloaded to a storage from a URL (`download-url`). */
import type { ResourceSchema } from '../provider.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';

export const downloadFileSchema: ResourceSchema = {
  description:
    'A file downloaded by the node from a URL into a storage (`pvesh create /nodes/N/storage/S/download-url`), verified against its checksum: ' +
    'an ISO image, a disk image for `import_from`, or a container template. Destroy deletes the file.',
  attributes: {
    node: { ...nodeAttribute, description: 'Name of the `node` block that downloads the file; changing it replaces the file.' },
    storage: { type: 'string', optional: true, default: 'local', forceNew: true, description: 'A file storage configured for the content type.' },
    content: { type: 'string', required: true, forceNew: true, description: '"iso", "import" (disk images for a VM disk\'s `import_from`) or "vztmpl".' },
    url: { type: 'string', required: true, forceNew: true, description: 'http:// or https:// URL the node downloads from.' },
    filename: {
      type: 'string',
      optional: true,
      computed: true,
      forceNew: true,
      description: 'File name on the storage; default: the URL\'s last path segment. Proxmox replaces characters other than letters, digits, "_", "." and "-" with "_".',
    },
    checksum: { type: 'string', optional: true, forceNew: true, description: 'Expected checksum (hex); the download fails and nothing is stored when it differs.' },
    checksum_algorithm: { type: 'string', optional: true, forceNew: true, description: 'md5, sha1, sha224, sha256, sha384 or sha512; required with `checksum`.' },
    verify_certificates: { type: 'bool', optional: true, default: true, description: 'Verify the server\'s TLS certificate (only used while downloading).' },
    volid: { type: 'string', computed: true, description: 'Volume id, e.g. "local:iso/debian-13.1.0-amd64-netinst.iso".' },
    path: { type: 'string', computed: true, description: 'Absolute path on the node, e.g. for a VM disk\'s `import_from`.' },
    size: { type: 'number', computed: true, description: 'File size in bytes.' },
  },
};
