/** The `os_template` resource schema: a container template from the Proxmox appliance index (`pveam`). */
import type { ResourceSchema } from '../provider.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';

export const osTemplateSchema: ResourceSchema = {
  description:
    'A container template downloaded from the Proxmox appliance index (`pveam download`, checked against the index\'s SHA-512), ' +
    'for `lxc.ostemplate = os_template.NAME.volid`. Destroy removes the file (`pveam remove`).',
  attributes: {
    node: { ...nodeAttribute, description: 'Name of the `node` block the template is downloaded to; changing it replaces the template.' },
    storage: { type: 'string', optional: true, default: 'local', forceNew: true, description: 'A file storage with the `vztmpl` content type.' },
    template: {
      type: 'string',
      required: true,
      forceNew: true,
      description: 'Template name as `pveam available` lists it, e.g. "debian-12-standard_12.12-1_amd64.tar.zst".',
    },
    volid: { type: 'string', computed: true, description: 'Volume id for `ostemplate`, e.g. "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst".' },
    size: { type: 'number', computed: true, description: 'File size in bytes.' },
    path: { type: 'string', computed: true, description: 'Absolute path of the file on the node.' },
  },
};
