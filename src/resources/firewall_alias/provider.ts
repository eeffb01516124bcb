/**
 * The `firewall_alias` resource type: a cluster-wide IP alias (cluster.fw [ALIASES]) through `pvesh` at
 * /cluster/firewall/aliases (pve-firewall API2/Firewall/Aliases.pm). A new name renames in place (`--rename`).
 */
import type { Attrs } from '../../config/values.js';
import type { AttributeDiagnostic, ResourceProvider, ResourceSchema } from '../provider.js';
import { str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError, refusedWhenTaken } from '../proxmox/errors.js';
import { requireNode } from '../proxmox/host.js';
import { ALIAS_NAME, canonicalCidr, IP_OR_CIDR } from '../firewall/formats.js';
import { pvesh, pveshGet, readFirewallFiles } from '../firewall/host.js';
import type { FwAlias } from '../../proxmox-data/fw-file.js';

export const firewallAliasSchema: ResourceSchema = {
  description:
    'A cluster-wide firewall alias: a name for an address or network that rules use as `source`/`dest` (`pvesh` on /cluster/firewall/aliases; ' +
    'read from cluster.fw with the other firewall configs). A name taken on the node by an alias phoenix did not create is refused at plan until imported.',
  attributes: {
    name: { type: 'string', required: true, description: 'Alias name (a letter, then letters, digits, "-" or "_"); Proxmox matches it case-insensitively. A new name renames the alias in place.' },
    node: { type: 'string', optional: true, computed: true, forceNew: true, description: 'Name of the `node` block phoenix runs `pvesh` on (aliases are cluster-wide).' },
    cidr: { type: 'string', required: true, description: 'Address or network, e.g. "10.0.0.1" or "10.0.0.0/24" (a /32 or /128 reads back without its prefix).' },
    comment: { type: 'string', optional: true, description: 'Comment shown with the alias.' },
  },
};

const diffRules: DiffRules = { schema: firewallAliasSchema, createOnly: [] };

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, []);
  c.string(['name'], attrs.name, ALIAS_NAME);
  c.string(['cidr'], attrs.cidr, IP_OR_CIDR);
  return c.diagnostics;
}

const aliasAttrs = (alias: FwAlias, node: string): Attrs => ({ name: alias.name, node, cidr: alias.cidr, comment: alias.comment ?? null });
const commentArgs = (attrs: Attrs) => (str(attrs, 'comment')?.trim() ? ['--comment', str(attrs, 'comment')!] : []);

async function aliasDigest(node: Parameters<typeof pveshGet>[0]): Promise<string[]> {
  const list = await pveshGet<{ digest: string }[]>(node, '/cluster/firewall/aliases', 'reading the firewall aliases');
  return list[0] ? ['--digest', list[0].digest] : [];
}

export const firewallAliasProvider: ResourceProvider = {
  type: 'firewall_alias',
  schema: firewallAliasSchema,
  validate,
  normalize: (planned) => ({
    ...planned,
    cidr: typeof planned.cidr === 'string' ? canonicalCidr(planned.cidr) : planned.cidr,
    comment: typeof planned.comment === 'string' && planned.comment.trim() === '' ? null : typeof planned.comment === 'string' ? planned.comment.trim() : (planned.comment ?? null),
  }),
  diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(firewallAliasSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, id: planned.name ?? null }),
  identityKeys: (planned) => (typeof planned.name === 'string' ? [{ key: `firewall_alias:${planned.name.toLowerCase()}`, attribute: 'name', label: `firewall alias ${planned.name}` }] : []),

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const { cluster } = await readFirewallFiles(ctx, node);
    return requests.map(({ prior }) => {
      const alias = cluster.aliases[(str(prior, 'name') ?? '').toLowerCase()];
      return alias ? aliasAttrs(alias, node.name) : null;
    });
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    const name = str(planned, 'name')!;
    await refusedWhenTaken(() => pvesh(node, 'create', '/cluster/firewall/aliases', ['--name', name, '--cidr', str(planned, 'cidr')!, ...commentArgs(planned)], `creating firewall alias ${name}`));
    return { ...planned, node: node.name };
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    const old = str(prior, 'name')!;
    const name = str(planned, 'name')!;
    const rename = old !== name ? ['--rename', name] : [];
    await pvesh(node, 'set', `/cluster/firewall/aliases/${old}`, ['--cidr', str(planned, 'cidr')!, ...commentArgs(planned), ...rename, ...(await aliasDigest(node))], `updating firewall alias ${old}`);
    return { ...planned, node: node.name };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    if (!(await readFirewallFiles(ctx, node)).cluster.aliases[name.toLowerCase()]) return;
    await pvesh(node, 'delete', `/cluster/firewall/aliases/${name}`, await aliasDigest(node), `deleting firewall alias ${name}`);
  },

  async import(ctx, id) {
    const node = requireNode(ctx);
    const alias = (await readFirewallFiles(ctx, node)).cluster.aliases[id.toLowerCase()];
    if (!alias) throw diagnosticError(`Firewall alias ${id} does not exist`, `cluster.fw lists no alias "${id}".`);
    return aliasAttrs(alias, node.name);
  },
};
