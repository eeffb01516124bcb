/**
 * The `firewall_ipset` resource type: a cluster-wide IP set (cluster.fw [IPSET name]) and its entries,
 * through `pvesh` at /cluster/firewall/ipset (pve-firewall API2/Firewall/IPSet.pm).
 */
import type { Attrs, ValueObject } from '../../config/values.js';
import { valuesEqual } from '../../config/values.js';
import type { AttributeDiagnostic, NodeHandle, ResourceProvider, ResourceSchema } from '../provider.js';
import { objList, str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError, refusedWhenTaken } from '../proxmox/errors.js';
import { requireNode } from '../proxmox/host.js';
import { IP_OR_CIDR_OR_ALIAS, IPSET_NAME } from '../firewall/formats.js';
import { pvesh, pveshGet, readFirewallFiles } from '../firewall/host.js';
import { entryAttrs, normalizeEntries } from './entries.js';

export const firewallIpsetSchema: ResourceSchema = {
  description:
    'A cluster-wide firewall IP set that rules use as `source`/`dest` = "+NAME" (`pvesh` on /cluster/firewall/ipset; read from cluster.fw with ' +
    'the other firewall configs). Entries are kept sorted by address, as Proxmox writes them. Entries are added and changed one by one; ' +
    'pvesh cannot address an entry whose network has a prefix ("10.0.0.0/24": the "/" splits the API path), so removing or changing such ' +
    'an entry rebuilds the set (deleted and created again with all entries in one apply step). A name taken on the node by a set phoenix ' +
    'did not create is refused at plan until imported.',
  attributes: {
    name: { type: 'string', required: true, description: 'Set name, lower case (a letter, then letters, digits, "-" or "_"). A new name renames the set in place.' },
    node: { type: 'string', optional: true, computed: true, forceNew: true, description: 'Name of the `node` block phoenix runs `pvesh` on (IP sets are cluster-wide).' },
    comment: { type: 'string', optional: true, description: 'Comment shown with the set.' },
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

async function addEntry(node: NodeHandle, name: string, entry: ValueObject): Promise<void> {
  const args = ['--cidr', String(entry.cidr), ...(entry.nomatch === true ? ['--nomatch', '1'] : []), ...commentArgs(entry.comment)];
  await pvesh(node, 'create', `/cluster/firewall/ipset/${name}`, args, `adding ${entry.cidr} to IP set ${name}`);
}

async function entriesDigest(node: NodeHandle, name: string): Promise<string[]> {
  const list = await pveshGet<{ digest: string }[]>(node, `/cluster/firewall/ipset/${name}`, `reading IP set ${name}`);
  return list[0] ? ['--digest', list[0].digest] : [];
}

async function createSet(node: NodeHandle, planned: Attrs): Promise<void> {
  const name = str(planned, 'name')!;
  await refusedWhenTaken(() => pvesh(node, 'create', '/cluster/firewall/ipset', ['--name', name, ...commentArgs(planned.comment)], `creating IP set ${name}`));
  for (const entry of objList(planned, 'entry')) await addEntry(node, name, entry);
}

/** Entries in place: added, changed (nomatch/comment) and removed one by one where the API path can name them. */
async function updateEntries(node: NodeHandle, name: string, prior: ValueObject[], planned: ValueObject[]): Promise<boolean> {
  const before = new Map(prior.map((e) => [String(e.cidr), e]));
  const after = new Map(planned.map((e) => [String(e.cidr), e]));
  const removed = [...before.keys()].filter((cidr) => !after.has(cidr));
  const changed = [...after.keys()].filter((cidr) => before.has(cidr) && !valuesEqual(before.get(cidr)!, after.get(cidr)!));
  if ([...removed, ...changed].some((cidr) => cidr.includes('/'))) return false;
  for (const cidr of removed) await pvesh(node, 'delete', `/cluster/firewall/ipset/${name}/${cidr}`, await entriesDigest(node, name), `removing ${cidr} from IP set ${name}`);
  for (const cidr of changed) {
    const entry = after.get(cidr)!;
    const args = ['--nomatch', entry.nomatch === true ? '1' : '0', ...commentArgs(entry.comment), ...(await entriesDigest(node, name))];
    await pvesh(node, 'set', `/cluster/firewall/ipset/${name}/${cidr}`, args, `changing ${cidr} in IP set ${name}`);
  }
  for (const cidr of [...after.keys()].filter((c) => !before.has(c))) await addEntry(node, name, after.get(cidr)!);
  return true;
}

export const firewallIpsetProvider: ResourceProvider = {
  type: 'firewall_ipset',
  schema: firewallIpsetSchema,
  validate,
  normalize: (planned) => ({ ...planned, comment: typeof planned.comment === 'string' && planned.comment.trim() !== '' ? planned.comment.trim() : null, entry: normalizeEntries(planned.entry) }),
  diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(firewallIpsetSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, id: planned.name ?? null }),
  identityKeys: (planned) => (typeof planned.name === 'string' ? [{ key: `firewall_ipset:${planned.name.toLowerCase()}`, attribute: 'name', label: `IP set ${planned.name}` }] : []),

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const { cluster } = await readFirewallFiles(ctx, node);
    return requests.map(({ prior }) => {
      const name = str(prior, 'name') ?? '';
      const entries = cluster.ipset[name];
      return entries ? { name, node: node.name, comment: cluster.ipsetComments[name] ?? null, entry: entries.map(entryAttrs) } : null;
    });
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
      const { ipsetDigest } = await ipsetListDigest(node);
      await pvesh(node, 'create', '/cluster/firewall/ipset', ['--name', str(planned, 'name')!, '--rename', name, '--comment', str(planned, 'comment') ?? '', ...ipsetDigest], `updating IP set ${name}`);
      name = str(planned, 'name')!;
    }
    const priorEntries = objList(prior, 'entry');
    const plannedEntries = objList(planned, 'entry');
    if (!valuesEqual(priorEntries, plannedEntries) && !(await updateEntries(node, name, priorEntries, plannedEntries))) {
      ctx.progress(`rebuilding IP set ${name}: an entry with a prefix cannot be changed through pvesh`);
      await pvesh(node, 'delete', `/cluster/firewall/ipset/${name}`, ['--force', '1'], `deleting IP set ${name} to rebuild it`);
      await createSet(node, planned);
    }
    return { ...planned, node: node.name };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    if (!(await readFirewallFiles(ctx, node)).cluster.ipset[name]) return;
    await pvesh(node, 'delete', `/cluster/firewall/ipset/${name}`, ['--force', '1'], `deleting IP set ${name}`);
  },

  async import(ctx, id) {
    const node = requireNode(ctx);
    const { cluster } = await readFirewallFiles(ctx, node);
    const entries = cluster.ipset[id];
    if (!entries) throw diagnosticError(`IP set ${id} does not exist`, `cluster.fw lists no IP set "${id}" (Proxmox keeps IP set names lower case).`);
    return { name: id, node: node.name, comment: cluster.ipsetComments[id] ?? null, entry: entries.map(entryAttrs) };
  },
};

async function ipsetListDigest(node: NodeHandle): Promise<{ ipsetDigest: string[] }> {
  const list = await pveshGet<{ digest: string }[]>(node, '/cluster/firewall/ipset', 'reading the IP sets');
  return { ipsetDigest: list[0] ? ['--digest', list[0].digest] : [] };
}
