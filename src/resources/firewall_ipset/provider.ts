/**
 * The `firewall_ipset` resource type: a cluster-wide IP set (cluster.fw [IPSET name]) and its entries,
 * through `pvesh` at /cluster/firewall/ipset (pve-firewall API2/Firewall/IPSet.pm), or with `guest` one of a
 * guest's own (<vmid>.fw, /nodes/N/{lxc,qemu}/ID/firewall/ipset), such as the `ipfilter-net0` its ipfilter uses.
 */
import type { Attrs, ValueObject } from '../../config/values.js';
import { valuesEqual } from '../../config/values.js';
import { OWNER_KEY, type AttributeDiagnostic, type NodeHandle, type ResourceProvider, type ResourceSchema } from '../provider.js';
import { objList, str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { splitCommentMarker, withCommentMarker } from '../proxmox/comment-marker.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError, refusedWhenTaken } from '../proxmox/errors.js';
import { checkGuestRef, guestTypeAttribute, inferGuestType } from '../proxmox/guest-ref.js';
import { requireNode } from '../proxmox/host.js';
import { IP_OR_CIDR_OR_ALIAS, IPSET_NAME } from '../firewall/formats.js';
import { objectScope, parseScopedId, scopeAttrs, pvesh, pveshGet, readFirewallFiles, scopedId } from '../firewall/host.js';
import { entryAttrs, normalizeEntries } from './entries.js';
import type { FwConfig } from '../../proxmox-data/fw-file.js';

export const firewallIpsetSchema: ResourceSchema = {
  description:
    'A firewall IP set that rules use as `source`/`dest` = "+NAME" (`pvesh` on /cluster/firewall/ipset, or with `guest` ' +
    '/nodes/N/{lxc,qemu}/ID/firewall/ipset; read from cluster.fw or <vmid>.fw with the other firewall configs). A guest\'s set serves only that ' +
    'guest; `ipfilter-net0` (and so on per NIC) lists the addresses its `ipfilter` option lets the NIC send from. Entries are kept sorted by address, as Proxmox writes them. Entries are added and changed one by one; ' +
    'pvesh cannot address an entry whose network has a prefix ("10.0.0.0/24": the "/" splits the API path), so removing or changing such ' +
    'an entry rebuilds the set (deleted and created again with all entries in one apply step). A name taken on the node by a set phoenix ' +
    'did not create is refused at plan until imported (`phoenix import ADDRESS NAME`, or `VMID/NAME`).',
  attributes: {
    name: { type: 'string', required: true, description: 'Set name, lower case (a letter, then letters, digits, "-" or "_"). A new name renames the set in place.' },
    node: { type: 'string', optional: true, computed: true, forceNew: true, description: 'Name of the `node` block phoenix runs `pvesh` on.' },
    guest: { type: 'number', optional: true, forceNew: true, description: 'vmid of the guest whose own IP set this is (a reference such as `lxc.web.vmid`); unset: a cluster-wide set. The guest\'s set goes with its firewall file when the guest is destroyed.' },
    guest_type: guestTypeAttribute,
    comment: { type: 'string', optional: true, description: 'Comment shown with the set. On the node it ends with phoenix\'s ownership marker, which plans never show.' },
    entry: {
      type: { list: { object: { cidr: 'string', nomatch: 'bool', comment: 'string' }, optional: ['nomatch', 'comment'] } },
      block: 'list',
      optional: true,
      default: [],
      description:
        '`entry` blocks: `cidr` (address, network or alias name; host bits of a network are cleared and /32 dropped, as Proxmox stores it), ' +
        '`nomatch` (exclude it from the set), `comment`.',
    },
  },
};

const diffRules: DiffRules = { schema: firewallIpsetSchema, createOnly: [] };

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, []);
  checkGuestRef(c, attrs);
  c.string(['name'], attrs.name, IPSET_NAME);
  const seen = new Map<string, number>();
  objList(attrs, 'entry').forEach((entry, i) => {
    const cidr = str(entry, 'cidr');
    if (cidr === undefined) return;
    c.string(['entry', String(i), 'cidr'], cidr, IP_OR_CIDR_OR_ALIAS);
    if (/\/0+$/.test(cidr)) c.reject(['entry', String(i), 'cidr'], cidr, 'a zero prefix is not allowed in ipset entries');
    const key = ((normalizeEntries([entry]) as ValueObject[])[0])?.cidr;
    if (typeof key === 'string' && seen.has(key)) c.reject(['entry', String(i), 'cidr'], cidr, `address '${key}' already exists`, `each address once (entry ${seen.get(key)} has it)`);
    if (typeof key === 'string') seen.set(key, i);
  });
  return c.diagnostics;
}

const commentArgs = (value: unknown) => (typeof value === 'string' && value.trim() ? ['--comment', value] : []);

/** What the proof marker in the set's comment names: the set in its scope ("firewall_ipset/lan", "firewall_ipset/110/lan"). */
const markerObject = (attrs: Attrs, name: string) => `firewall_ipset/${scopedId(attrs, name.toLowerCase())}`;
/** The set's comment as written: the attribute's text with phoenix's proof marker. */
const setComment = (attrs: Attrs) => withCommentMarker(str(attrs, 'comment'), attrs, markerObject(attrs, str(attrs, 'name')!));

/** The API path of a resource's IP set collection: /cluster/firewall/ipset or the guest's. */
const ipsetRoot = (attrs: Attrs, node: NodeHandle) => `${objectScope(attrs, node).api}/ipset`;

async function addEntry(node: NodeHandle, root: string, name: string, entry: ValueObject): Promise<void> {
  const args = ['--cidr', String(entry.cidr), ...(entry.nomatch === true ? ['--nomatch', '1'] : []), ...commentArgs(entry.comment)];
  await pvesh(node, 'create', `${root}/${name}`, args, `adding ${entry.cidr} to IP set ${name}`);
}

async function entriesDigest(node: NodeHandle, root: string, name: string): Promise<string[]> {
  const list = await pveshGet<{ digest: string }[]>(node, `${root}/${name}`, `reading IP set ${name}`);
  return list[0] ? ['--digest', list[0].digest] : [];
}

async function createSet(node: NodeHandle, planned: Attrs): Promise<void> {
  const name = str(planned, 'name')!;
  const root = ipsetRoot(planned, node);
  await refusedWhenTaken(() => pvesh(node, 'create', root, ['--name', name, ...commentArgs(setComment(planned))], `creating IP set ${name}`));
  for (const entry of objList(planned, 'entry')) await addEntry(node, root, name, entry);
}

/** Entries in place: added, changed (nomatch/comment) and removed one by one where the API path can name them. */
async function updateEntries(node: NodeHandle, root: string, name: string, prior: ValueObject[], planned: ValueObject[]): Promise<boolean> {
  const before = new Map(prior.map((e) => [String(e.cidr), e]));
  const after = new Map(planned.map((e) => [String(e.cidr), e]));
  const removed = [...before.keys()].filter((cidr) => !after.has(cidr));
  const changed = [...after.keys()].filter((cidr) => before.has(cidr) && !valuesEqual(before.get(cidr)!, after.get(cidr)!));
  if ([...removed, ...changed].some((cidr) => cidr.includes('/'))) return false;
  for (const cidr of removed) await pvesh(node, 'delete', `${root}/${name}/${cidr}`, await entriesDigest(node, root, name), `removing ${cidr} from IP set ${name}`);
  for (const cidr of changed) {
    const entry = after.get(cidr)!;
    const args = ['--nomatch', entry.nomatch === true ? '1' : '0', ...commentArgs(entry.comment), ...(await entriesDigest(node, root, name))];
    await pvesh(node, 'set', `${root}/${name}/${cidr}`, args, `changing ${cidr} in IP set ${name}`);
  }
  for (const cidr of [...after.keys()].filter((c) => !before.has(c))) await addEntry(node, root, name, after.get(cidr)!);
  return true;
}

export const firewallIpsetProvider: ResourceProvider = {
  type: 'firewall_ipset',
  schema: firewallIpsetSchema,
  validate,
  inferFromReferences: inferGuestType,
  normalize: (planned) => ({ ...planned, ...scopeAttrs(planned), comment: typeof planned.comment === 'string' && planned.comment.trim() !== '' ? planned.comment.trim() : null, entry: normalizeEntries(planned.entry) }),
  diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(firewallIpsetSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, id: typeof planned.name === 'string' ? scopedId(planned, planned.name) : null }),
  ownershipProof: 'token',
  identityKeys: (planned) =>
    typeof planned.name === 'string' ? [{ key: `firewall_ipset:${scopedId(planned, planned.name.toLowerCase())}`, attribute: 'name', label: `IP set ${scopedId(planned, planned.name)}` }] : [],

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const files = await readFirewallFiles(ctx, node);
    return requests.map(({ prior }) => setAttrs(objectScope(prior, node).config(files), str(prior, 'name') ?? '', node.name, scopeAttrs(prior)));
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    await createSet(node, planned);
    return { ...planned, node: node.name };
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    let name = str(prior, 'name')!;
    if (name !== str(planned, 'name') || !valuesEqual(prior.comment ?? null, planned.comment ?? null)) {
      // create_ipset with `rename`: a new name, or the same name to change the comment.
      const { ipsetDigest } = await ipsetListDigest(node, ipsetRoot(planned, node));
      await pvesh(node, 'create', ipsetRoot(planned, node), ['--name', str(planned, 'name')!, '--rename', name, '--comment', setComment(planned) ?? '', ...ipsetDigest], `updating IP set ${name}`);
      name = str(planned, 'name')!;
    }
    const priorEntries = objList(prior, 'entry');
    const plannedEntries = objList(planned, 'entry');
    if (!valuesEqual(priorEntries, plannedEntries) && !(await updateEntries(node, ipsetRoot(planned, node), name, priorEntries, plannedEntries))) {
      ctx.progress(`rebuilding IP set ${name}: an entry with a prefix cannot be changed through pvesh`);
      await pvesh(node, 'delete', `${ipsetRoot(planned, node)}/${name}`, ['--force', '1'], `deleting IP set ${name} to rebuild it`);
      await createSet(node, planned);
    }
    return { ...planned, node: node.name };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    if (!objectScope(prior, node).config(await readFirewallFiles(ctx, node)).ipset[name]) return; // gone, e.g. with its guest
    await pvesh(node, 'delete', `${ipsetRoot(prior, node)}/${name}`, ['--force', '1'], `deleting IP set ${name}`);
  },

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    const { guest, name } = parseScopedId(id);
    const scope = objectScope(guest === undefined ? {} : { guest }, node);
    const found = setAttrs(scope.config(await readFirewallFiles(ctx, node)), name, node.name, guest === undefined ? scopeAttrs({}) : { guest, guest_type: null });
    if (!found) throw diagnosticError(`IP set ${id} does not exist`, `${scope.file} lists no IP set "${name}" (Proxmox keeps IP set names lower case).`);
    if (owner === undefined) return found;
    const claimed = { ...found, [OWNER_KEY]: owner };
    const root = ipsetRoot(claimed, node);
    const { ipsetDigest } = await ipsetListDigest(node, root);
    await pvesh(node, 'create', root, ['--name', name, '--rename', name, '--comment', setComment(claimed)!, ...ipsetDigest], `writing phoenix's ownership marker into IP set ${id}`);
    return claimed;
  },

  // The .fw file does not say whether the guest is a container or a VM: the configuration does.
  adoptConfigured: (imported, configured) => (imported.guest === null ? imported : { ...imported, guest_type: configured.guest_type ?? 'lxc' }),
};


function setAttrs(conf: FwConfig, name: string, node: string, scope: Attrs): Attrs | null {
  const entries = conf.ipset[name];
  if (!entries) return null;
  const { comment, owner } = splitCommentMarker(conf.ipsetComments[name] ?? null, markerObject(scope, name));
  return { ...scope, name, node, comment, entry: entries.map(entryAttrs), [OWNER_KEY]: owner };
}

async function ipsetListDigest(node: NodeHandle, root: string): Promise<{ ipsetDigest: string[] }> {
  const list = await pveshGet<{ digest: string }[]>(node, root, 'reading the IP sets');
  return { ipsetDigest: list[0] ? ['--digest', list[0].digest] : [] };
}
