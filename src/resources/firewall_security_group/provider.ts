/**
 * The `firewall_security_group` resource type: a cluster-wide security group (cluster.fw [group name]) with
 * its ordered rules, through `pvesh` at /cluster/firewall/groups (pve-firewall API2/Firewall/Groups.pm and
 * Rules.pm GroupRules). Guests use it with a rule `type = "group"`, `action = NAME`.
 */
import type { Attrs, ValueObject } from '../../config/values.js';
import { valuesEqual } from '../../config/values.js';
import { OWNER_KEY, type AttributeDiagnostic, type NodeHandle, type ResourceProvider, type ResourceSchema } from '../provider.js';
import { str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { splitCommentMarker, withCommentMarker } from '../proxmox/comment-marker.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError, refusedWhenTaken } from '../proxmox/errors.js';
import { requireNode } from '../proxmox/host.js';
import { GROUP_NAME } from '../firewall/formats.js';
import { pvesh, pveshGet, readFirewallFiles, type FirewallFiles } from '../firewall/host.js';
import { syncRuleList } from '../firewall/rule-list.js';
import { checkRules, normalizeRules, ruleFromFw, ruleListAttribute } from '../firewall/rules.js';

export const firewallSecurityGroupSchema: ResourceSchema = {
  description:
    'A cluster-wide firewall security group: a named, ordered rule list guests include with a `type = "group"` rule (`pvesh` on ' +
    '/cluster/firewall/groups; read from cluster.fw with the other firewall configs). Its rules change in place by position, like `firewall_rules`. ' +
    'A name taken on the node by a group phoenix did not create is refused at plan until imported.',
  attributes: {
    name: { type: 'string', required: true, forceNew: true, description: 'Group name, lower case (a letter, then letters, digits, "-" or "_"; 2 to 18 characters).' },
    node: { type: 'string', optional: true, computed: true, forceNew: true, description: 'Name of the `node` block phoenix runs `pvesh` on (groups are cluster-wide).' },
    comment: { type: 'string', optional: true, description: 'Comment shown with the group. On the node it ends with phoenix\'s ownership marker, which plans never show.' },
    rule: { ...ruleListAttribute('group'), required: false, optional: true, default: [] },
  },
};

const diffRules: DiffRules = { schema: firewallSecurityGroupSchema, createOnly: [] };

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, []);
  c.string(['name'], attrs.name, GROUP_NAME);
  checkRules(c, 'rule', attrs.rule, 'group');
  return c.diagnostics;
}

const markerObject = (name: string) => `firewall_security_group/${name}`;
/** The group's comment as written: the attribute's text with phoenix's proof marker. */
const groupComment = (attrs: Attrs) => withCommentMarker(str(attrs, 'comment'), attrs, markerObject(str(attrs, 'name')!));

function groupAttrs(files: FirewallFiles, name: string, node: string): Attrs | null {
  const rules = files.cluster.groups[name];
  if (!rules) return null;
  const { comment, owner } = splitCommentMarker(files.cluster.groupComments[name] ?? null, markerObject(name));
  return { name, node, comment, rule: rules.map(ruleFromFw), [OWNER_KEY]: owner };
}

const rulesPath = (name: string) => `/cluster/firewall/groups/${name}`;
const label = (name: string) => `security group ${name}`;

async function setComment(node: NodeHandle, name: string, comment: string): Promise<void> {
  const list = await pveshGet<{ digest: string }[]>(node, '/cluster/firewall/groups', 'reading the security groups');
  // create_security_group with rename = group: updates the comment of an existing group.
  await pvesh(node, 'create', '/cluster/firewall/groups', ['--group', name, '--rename', name, '--comment', comment, ...(list[0] ? ['--digest', list[0].digest] : [])], `updating ${label(name)}`);
}

export const firewallSecurityGroupProvider: ResourceProvider = {
  type: 'firewall_security_group',
  schema: firewallSecurityGroupSchema,
  validate,
  normalize: (planned) => ({ ...planned, comment: typeof planned.comment === 'string' && planned.comment.trim() !== '' ? planned.comment.trim() : null, rule: normalizeRules(planned.rule) }),
  diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(firewallSecurityGroupSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, id: planned.name ?? null }),
  ownershipProof: 'token',
  identityKeys: (planned) => (typeof planned.name === 'string' ? [{ key: `firewall_security_group:${planned.name.toLowerCase()}`, attribute: 'name', label: `security group ${planned.name}` }] : []),

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const files = await readFirewallFiles(ctx, node);
    return requests.map(({ prior }) => groupAttrs(files, str(prior, 'name') ?? '', node.name));
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    const name = str(planned, 'name')!;
    const comment = groupComment(planned);
    await refusedWhenTaken(() => pvesh(node, 'create', '/cluster/firewall/groups', ['--group', name, ...(comment ? ['--comment', comment] : [])], `creating ${label(name)}`));
    await syncRuleList(node, rulesPath(name), [], (planned.rule as ValueObject[]) ?? [], label(name));
    return { ...planned, node: node.name };
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    if (!valuesEqual(prior.comment ?? null, planned.comment ?? null)) await setComment(node, name, groupComment(planned) ?? '');
    await syncRuleList(node, rulesPath(name), (prior.rule as ValueObject[]) ?? [], (planned.rule as ValueObject[]) ?? [], label(name));
    return { ...planned, node: node.name };
  },

  /** delete_security_group refuses a group with rules: they go first. */
  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    const current = groupAttrs(await readFirewallFiles(ctx, node), name, node.name);
    if (!current) return;
    await syncRuleList(node, rulesPath(name), current.rule as ValueObject[], [], label(name));
    await pvesh(node, 'delete', rulesPath(name), [], `deleting ${label(name)}`);
  },

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    const found = groupAttrs(await readFirewallFiles(ctx, node), id, node.name);
    if (!found) throw diagnosticError(`Security group ${id} does not exist`, `cluster.fw lists no security group "${id}" (Proxmox keeps group names lower case).`);
    if (owner === undefined) return found;
    const claimed = { ...found, [OWNER_KEY]: owner };
    await setComment(node, id, groupComment(claimed)!);
    return claimed;
  },
};
