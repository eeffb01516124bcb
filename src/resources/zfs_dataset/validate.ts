/**
 * Validation of `zfs_dataset` config: the dataset name as OpenZFS module/zcommon/zfs_namecheck.c checks
 * it, property names and values as zfs_prop.c / libzfs accept them (property-rules.ts), and the storage
 * registration as pve-storage checks its ID and content types.
 */
import type { Attrs } from '../../config/values.js';
import type { AttributeDiagnostic } from '../provider.js';
import { obj, strList, strMap } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { STORAGE_ID, type Format } from '../proxmox/formats.js';
import { OWNER_PROPERTY } from './host.js';
import { SIZE_PROPERTIES, zfsPropertyProblem } from './property-rules.js';

/**
 * zfs_namecheck.c: pool_namecheck ("name must begin with a letter") and dataset_namecheck (components
 * of letters, digits, "_", "-", ".", ":" and " "; no empty, "." or ".." component; at most 255 bytes).
 * A name that starts with a letter can never be read as an option by `zfs`.
 */
export const DATASET_NAME: Format = {
  accepts: 'POOL/PATH such as "tank/media": the pool name starts with a letter; components use letters, digits, "_", "-", ".", ":" and spaces',
  problem(v) {
    if (v.length > 255) return 'name is too long';
    if (!/^[A-Za-z]/.test(v)) return 'name must begin with a letter';
    const components = v.split('/');
    if (components.length < 2) return 'a dataset lives inside a pool: use POOL/PATH';
    if (components.some((c) => c === '')) return 'empty component or misplaced \'/\' in name';
    if (components.some((c) => c === '.' || c === '..')) return "'.' and '..' are not valid name components";
    return components.every((c) => /^[A-Za-z0-9_.: -]+$/.test(c)) ? undefined : 'invalid character in name';
  },
};

/** pve-storage PVE/Storage/Plugin.pm valid content types. */
const CONTENT_TYPES = ['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import'];

export function validateZfsDataset(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, []);
  c.string(['name'], attrs.name, DATASET_NAME);
  if (OWNER_PROPERTY in strMap(attrs, 'properties')) {
    c.error(['properties', OWNER_PROPERTY], `The property "${OWNER_PROPERTY}" is phoenix's own`, 'It holds the proof that phoenix created the dataset; it cannot be set in the configuration.');
  }
  for (const [name, value] of Object.entries(strMap(attrs, 'properties'))) {
    const problem = zfsPropertyProblem(name, value);
    const size = SIZE_PROPERTIES[name];
    const accepts = size ? `a size such as "10G"${size.none ? ' or "none"' : ''}` : undefined;
    if (problem) c.reject(['properties', name], value, problem, accepts);
  }
  const storage = obj(attrs, 'storage');
  if (storage) {
    c.string(['storage', 'id'], storage.id, STORAGE_ID);
    c.oneOf(['storage', 'type'], storage.type, ['zfspool', 'dir']);
    strList(storage, 'content').forEach((content, i) => c.oneOf(['storage', 'content', String(i)], content, CONTENT_TYPES));
  }
  return c.diagnostics;
}
