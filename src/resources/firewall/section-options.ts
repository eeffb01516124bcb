/**
 * Resource types owning one firewall [OPTIONS] section that is not a guest's: the cluster's (cluster.fw,
 * `/cluster/firewall/options`) and a node's (host.fw, `/nodes/N/firewall/options`). Both follow pve-firewall's
 * get_options / set_options (API2/Firewall/Cluster.pm, Host.pm): one object with a digest, `--delete` for
 * options to drop. An unset attribute means Proxmox's effective default; a create writes `enable` and every
 * option that differs from its default (so the section exists afterwards and is phoenix's), a change writes
 * the changed options, a destroy deletes the section's options (back to the defaults).
 */
import type { Attrs, Value } from '../../config/values.js';
import { valuesEqual } from '../../config/values.js';
import type { AttributeDiagnostic, AttributeSchema, NodeHandle, ResourceProvider, ResourceSchema } from '../provider.js';
import { proveByDefinition } from '../proxmox/definition-proof.js';
import { Checks } from '../proxmox/checks.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError } from '../proxmox/errors.js';
import type { Format } from '../proxmox/formats.js';
import { requireNode } from '../proxmox/host.js';
import { pvesh, pveshGet, readFirewallFiles, type FirewallFiles } from './host.js';

export interface SectionOption {
  type: 'bool' | 'string' | 'number';
  /** Proxmox's effective default for an absent option; null: absent has no value of its own (deleted when unset). */
  default: boolean | string | number | null;
  description: string;
  /** Allowed words (compared case-insensitively when read back, written as listed). */
  oneOf?: readonly string[];
  format?: Format;
  min?: number;
  max?: number;
  /** The attribute's value for the text stored in the file, when it is not the plain reading. */
  read?: (stored: string) => Value;
}

export interface SectionOptionsSpec {
  type: string;
  description: string;
  options: Record<string, SectionOption>;
  /** `/cluster/firewall/options` or `/nodes/N/firewall/options`. */
  path(node: NodeHandle): string;
  section(files: FirewallFiles): Record<string, string>;
  /** The object's name in messages and its import id ("cluster", or the node's name). */
  id(node: string): string;
  /** One per node (keyed by `node`), or one per cluster. */
  perNode: boolean;
  /** "the cluster's firewall options": the object in messages. */
  label(node: string): string;
}

function attribute(option: SectionOption): AttributeSchema {
  const shown = option.default === null ? 'unset' : typeof option.default === 'string' ? `"${option.default}"` : String(option.default);
  return { type: option.type, optional: true, ...(option.default === null ? {} : { default: option.default }), description: `${option.description} (default ${shown}).` };
}

function storedValue(option: SectionOption, text: string): Value {
  if (option.read) return option.read(text);
  if (option.type === 'bool') return text === '1';
  if (option.type === 'number') return Number(text);
  return option.oneOf?.find((word) => word.toLowerCase() === text.toLowerCase()) ?? text;
}

export function sectionOptionsProvider(spec: SectionOptionsSpec): ResourceProvider {
  const names = Object.keys(spec.options);
  const schema: ResourceSchema = {
    description: spec.description,
    attributes: {
      node: { type: 'string', optional: true, computed: true, forceNew: true, description: 'Name of the `node` block phoenix runs `pvesh` on; defaults to the only declared node.' },
      ...Object.fromEntries(names.map((name) => [name, attribute(spec.options[name]!)])),
    },
  };
  const diffRules: DiffRules = { schema, createOnly: [] };
  const defaults = (attrs: Attrs): Attrs => Object.fromEntries(names.map((k) => [k, attrs[k] ?? spec.options[k]!.default]));

  /** The section's values as attributes, absent options at their defaults; null when the section is empty. */
  const fromSection = (section: Record<string, string>, node: string): Attrs | null => {
    const known = Object.entries(section).filter(([k, v]) => k in spec.options && v !== '');
    if (known.length === 0) return null;
    return { node, ...defaults(Object.fromEntries(known.map(([k, v]) => [k, storedValue(spec.options[k]!, v)]))) };
  };

  const write = async (node: NodeHandle, attrs: Attrs, keys: string[], deleted: string[]): Promise<void> => {
    const set = keys.filter((k) => attrs[k] !== null && attrs[k] !== undefined);
    const dropped = [...deleted, ...keys.filter((k) => attrs[k] === null || attrs[k] === undefined)];
    if (set.length === 0 && dropped.length === 0) return;
    const { digest } = await pveshGet<{ digest: string }>(node, spec.path(node), `reading ${spec.label(node.name)}`);
    const args = set.flatMap((k) => [`--${k}`, typeof attrs[k] === 'boolean' ? (attrs[k] ? '1' : '0') : String(attrs[k])]);
    await pvesh(node, 'set', spec.path(node), [...args, ...(dropped.length ? ['--delete', dropped.join(',')] : []), '--digest', digest], `setting ${spec.label(node.name)}`);
  };

  const validate = (attrs: Attrs): AttributeDiagnostic[] => {
    const c = new Checks();
    for (const [name, option] of Object.entries(spec.options)) {
      if (option.oneOf) c.oneOf([name], attrs[name], option.oneOf);
      if (option.format) c.string([name], attrs[name], option.format);
      if (option.min !== undefined || option.max !== undefined) c.integer([name], attrs[name], option.min, option.max);
    }
    return c.diagnostics;
  };

  const provider: ResourceProvider = {
    type: spec.type,
    schema,
    validate,
    normalize: (planned) => ({ ...planned, ...defaults(planned) }),
    diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(schema, prior, planned), proposed),

    identity: (planned) => ({ node: planned.node ?? null, id: spec.id(String(planned.node ?? '')) }),
    // An options section has no field for a proof token: the options an interrupted create wrote are the proof.
    ownershipProof: 'content',
    proveCreated: (ctx, planned) => proveByDefinition(provider, ctx, planned),
    identityKeys: (planned) => [{ key: `${spec.type}:${spec.id(String(planned.node ?? ''))}`, attribute: spec.perNode ? 'node' : 'enable', label: spec.label(String(planned.node ?? '')), unique: !spec.perNode }],

    /** null while the section is empty: nothing there to own. */
    async read(ctx, requests) {
      const node = requireNode(ctx);
      const files = await readFirewallFiles(ctx, node);
      return requests.map(() => fromSection(spec.section(files), node.name));
    },

    async create(ctx, planned) {
      const node = requireNode(ctx);
      const differing = names.filter((k) => k === 'enable' || !valuesEqual(planned[k] ?? null, spec.options[k]!.default));
      await write(node, planned, differing, []);
      return { ...planned, node: node.name };
    },

    async update(ctx, prior, planned) {
      const node = requireNode(ctx);
      await write(node, planned, names.filter((k) => !valuesEqual(prior[k] ?? null, planned[k] ?? null)), []);
      return { ...planned, node: node.name };
    },

    async delete(ctx) {
      const node = requireNode(ctx);
      const present = Object.keys(spec.section(await readFirewallFiles(ctx, node))).filter((k) => k in spec.options);
      await write(node, {}, [], present);
    },

    async import(ctx, id) {
      const node = requireNode(ctx);
      const found = id === spec.id(node.name) ? fromSection(spec.section(await readFirewallFiles(ctx, node)), node.name) : null;
      if (!found) throw diagnosticError(`Nothing to import as ${spec.type}`, `${id === spec.id(node.name) ? `Node ${node.name} holds no such options` : `The import id is "${spec.id(node.name)}"`}: there is nothing to import.`);
      return found;
    },
  };
  return provider;
}
