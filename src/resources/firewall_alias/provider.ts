/**
 * The `firewall_alias` resource type: a cluster-wide IP alias (cluster.fw [ALIASES]) through `pvesh` at
 * /cluster/firewall/aliases (pve-firewall API2/Firewall/Aliases.pm), or with `guest` one of a guest's own
 * (<vmid>.fw, /nodes/N/{lxc,qemu}/ID/firewall/aliases). A new name renames in place (`--rename`).
 */
import type { Attrs } from '../../config/values.js';
import { OWNER_KEY, type AttributeDiagnostic, type ResourceProvider, type ResourceSchema } from '../provider.js';
import { str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { splitCommentMarker, withCommentMarker } from '../proxmox/comment-marker.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError, refusedWhenTaken } from '../proxmox/errors.js';
import { checkGuestRef, guestTypeAttribute, inferGuestType } from '../proxmox/guest-ref.js';
import { requireNode } from '../proxmox/host.js';
import { ALIAS_NAME, canonicalCidr, IP_OR_CIDR } from '../firewall/formats.js';
import { objectScope, parseScopedId, scopeAttrs, pvesh, pveshGet, readFirewallFiles, scopedId, type ObjectScope } from '../firewall/host.js';
import type { FwAlias } from '../../proxmox-data/fw-file.js';

export const firewallAliasSchema: ResourceSchema = {
  description:
    'A firewall alias: a name for an address or network that rules use as `source`/`dest` (`pvesh` on /cluster/firewall/aliases, or with `guest` ' +
    '/nodes/N/{lxc,qemu}/ID/firewall/aliases; read from cluster.fw or <vmid>.fw with the other firewall configs). A guest\'s alias serves only that ' +
    'guest\'s rules and IP sets, and shadows a cluster alias of the same name there (`dc/NAME` names the cluster\'s, `guest/NAME` the guest\'s). ' +
    'A name taken on the node by an alias phoenix did not create is refused at plan until imported (`phoenix import ADDRESS NAME`, or `VMID/NAME`).',
  attributes: {
    name: { type: 'string', required: true, description: 'Alias name (a letter, then letters, digits, "-" or "_"); Proxmox matches it case-insensitively. A new name renames the alias in place.' },
    node: { type: 'string', optional: true, computed: true, forceNew: true, description: 'Name of the `node` block phoenix runs `pvesh` on.' },
    guest: { type: 'number', optional: true, forceNew: true, description: 'vmid of the guest whose own alias this is (a reference such as `lxc.web.vmid`); unset: a cluster-wide alias. The guest\'s alias goes with its firewall file when the guest is destroyed.' },
    guest_type: guestTypeAttribute,
    cidr: { type: 'string', required: true, description: 'Address or network, e.g. "10.0.0.1" or "10.0.0.0/24" (a /32 or /128 reads back without its prefix).' },
    comment: { type: 'string', optional: true, description: 'Comment shown with the alias. On the node it ends with phoenix\'s ownership marker, which plans never show.' },
  },
};

const diffRules: DiffRules = { schema: firewallAliasSchema, createOnly: [] };

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, []);
  checkGuestRef(c, attrs);
  c.string(['name'], attrs.name, ALIAS_NAME);
  c.string(['cidr'], attrs.cidr, IP_OR_CIDR);
  return c.diagnostics;
}

/** What the proof marker in the comment names: the alias in its scope ("firewall_alias/web", "firewall_alias/110/web"). */
const markerObject = (attrs: Attrs, name: string) => `firewall_alias/${scopedId(attrs, name.toLowerCase())}`;

function aliasAttrs(alias: FwAlias, node: string, scope: Attrs): Attrs {
  const { comment, owner } = splitCommentMarker(alias.comment ?? null, markerObject(scope, alias.name));
  return { ...scope, name: alias.name, node, cidr: alias.cidr, comment, [OWNER_KEY]: owner };
}

/** The comment with phoenix's proof marker (a rename writes the marker for the new name). */
function commentArgs(attrs: Attrs): string[] {
  const comment = withCommentMarker(str(attrs, 'comment'), attrs, markerObject(attrs, str(attrs, 'name')!));
  return comment === undefined ? [] : ['--comment', comment];
}

async function aliasDigest(node: Parameters<typeof pveshGet>[0], scope: ObjectScope): Promise<string[]> {
  const list = await pveshGet<{ digest: string }[]>(node, `${scope.api}/aliases`, 'reading the firewall aliases');
  return list[0] ? ['--digest', list[0].digest] : [];
}

export const firewallAliasProvider: ResourceProvider = {
  type: 'firewall_alias',
  schema: firewallAliasSchema,
  validate,
  inferFromReferences: inferGuestType,
  normalize: (planned) => ({
    ...planned,
    ...scopeAttrs(planned),
    cidr: typeof planned.cidr === 'string' ? canonicalCidr(planned.cidr) : planned.cidr,
    comment: typeof planned.comment === 'string' && planned.comment.trim() === '' ? null : typeof planned.comment === 'string' ? planned.comment.trim() : (planned.comment ?? null),
  }),
  diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(firewallAliasSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, id: typeof planned.name === 'string' ? scopedId(planned, planned.name) : null }),
  ownershipProof: 'token',
  identityKeys: (planned) =>
    typeof planned.name === 'string'
      ? [{ key: `firewall_alias:${scopedId(planned, planned.name.toLowerCase())}`, attribute: 'name', label: `firewall alias ${scopedId(planned, planned.name)}` }]
      : [],

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const files = await readFirewallFiles(ctx, node);
    return requests.map(({ prior }) => {
      const alias = objectScope(prior, node).config(files).aliases[(str(prior, 'name') ?? '').toLowerCase()];
      return alias ? aliasAttrs(alias, node.name, scopeAttrs(prior)) : null;
    });
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    const name = str(planned, 'name')!;
    await refusedWhenTaken(() => pvesh(node, 'create', `${objectScope(planned, node).api}/aliases`, ['--name', name, '--cidr', str(planned, 'cidr')!, ...commentArgs(planned)], `creating firewall alias ${name}`));
    return { ...planned, node: node.name };
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    const old = str(prior, 'name')!;
    const name = str(planned, 'name')!;
    const rename = old !== name ? ['--rename', name] : [];
    const scope = objectScope(planned, node);
    await pvesh(node, 'set', `${scope.api}/aliases/${old}`, ['--cidr', str(planned, 'cidr')!, ...commentArgs(planned), ...rename, ...(await aliasDigest(node, scope))], `updating firewall alias ${old}`);
    return { ...planned, node: node.name };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    const scope = objectScope(prior, node);
    if (!scope.config(await readFirewallFiles(ctx, node)).aliases[name.toLowerCase()]) return; // gone, e.g. with its guest
    await pvesh(node, 'delete', `${scope.api}/aliases/${name}`, await aliasDigest(node, scope), `deleting firewall alias ${name}`);
  },

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    const { guest, name } = parseScopedId(id);
    const where = guest === undefined ? {} : { guest };
    const scope = objectScope(where, node);
    const alias = scope.config(await readFirewallFiles(ctx, node)).aliases[name.toLowerCase()];
    if (!alias) throw diagnosticError(`Firewall alias ${id} does not exist`, `${scope.file} lists no alias "${name}".`);
    const found = aliasAttrs(alias, node.name, guest === undefined ? scopeAttrs({}) : { guest, guest_type: null });
    if (owner === undefined) return found;
    const claimed = { ...found, [OWNER_KEY]: owner };
    await pvesh(node, 'set', `${scope.api}/aliases/${alias.name}`, ['--cidr', alias.cidr, ...commentArgs(claimed), ...(await aliasDigest(node, scope))], `writing phoenix's ownership marker into firewall alias ${id}`);
    return claimed;
  },

  // The .fw file does not say whether the guest is a container or a VM: the configuration does.
  adoptConfigured: (imported, configured) => (imported.guest === null ? imported : { ...imported, guest_type: configured.guest_type ?? 'lxc' }),
};
