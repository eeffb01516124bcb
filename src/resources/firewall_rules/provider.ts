/**
 * The `firewall_rules` resource type: the whole ordered rule list of one guest's firewall
 * (/etc/pve/firewall/<vmid>.fw [RULES]), written through `pvesh` at /nodes/N/{lxc,qemu}/ID/firewall/rules.
 * phoenix owns the whole list: a guest whose list already holds rules is refused at plan (its rules are
 * not phoenix's) until `phoenix import` adopts them.
 */
import type { Attrs, ValueObject } from '../../config/values.js';
import type { AttributeDiagnostic, NodeHandle, ResourceProvider, ResourceSchema } from '../provider.js';
import { num } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError } from '../proxmox/errors.js';
import { checkGuestRef, guestTypeAttribute, inferGuestType } from '../proxmox/guest-ref.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';
import { requireNode } from '../proxmox/host.js';
import { guestFirewall, guestFirewallPath, readFirewallFiles } from '../firewall/host.js';
import { syncRuleList } from '../firewall/rule-list.js';
import { checkRules, normalizeRules, ruleFromFw, ruleListAttribute } from '../firewall/rules.js';

export const firewallRulesSchema: ResourceSchema = {
  description:
    'The firewall rules of one guest, in order (`pvesh` on /nodes/N/{lxc,qemu}/ID/firewall/rules; read with the other firewall configs in one ' +
    '`grep -r /etc/pve/firewall` per node and plan). The resource owns the guest\'s whole list: rules are rewritten in place by position, ' +
    'added at the end and removed from the end, each change guarded by the list\'s digest. A guest whose list already has rules phoenix did ' +
    'not write is refused at plan until imported (`phoenix import ADDRESS VMID`). Rules act only where the guest\'s firewall is enabled ' +
    '(`firewall_options`) and the NIC has `firewall = true`.',
  attributes: {
    guest: { type: 'number', required: true, forceNew: true, description: 'vmid of the guest, usually a reference such as `lxc.web.vmid`.' },
    guest_type: guestTypeAttribute,
    node: { ...nodeAttribute, description: 'Name of the `node` block phoenix runs `pvesh` on; defaults to the only declared node (the guest may live on another node of the cluster).' },
    rule: ruleListAttribute('guest'),
  },
};

const diffRules: DiffRules = { schema: firewallRulesSchema, createOnly: [] };

function label(attrs: Attrs): string {
  return `${attrs.guest_type === 'vm' ? 'VM' : 'CT'} ${num(attrs, 'guest')}'s firewall`;
}

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, []);
  checkGuestRef(c, attrs);
  checkRules(c, 'rule', attrs.rule, 'guest');
  if (Array.isArray(attrs.rule) && attrs.rule.length === 0) {
    c.error(['rule'], 'No firewall rules', 'firewall_rules needs at least one `rule` block: an empty list is the absence of the resource (remove it to delete the rules).');
  }
  return c.diagnostics;
}

const rulesPath = (attrs: Attrs, node: NodeHandle) => `${guestFirewallPath(node, String(attrs.guest_type ?? 'lxc'), num(attrs, 'guest')!)}/rules`;

export const firewallRulesProvider: ResourceProvider = {
  type: 'firewall_rules',
  schema: firewallRulesSchema,
  validate,
  inferFromReferences: inferGuestType,
  normalize: (planned) => ({ ...planned, guest_type: planned.guest_type ?? 'lxc', rule: normalizeRules(planned.rule) }),
  diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(firewallRulesSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, guest: planned.guest ?? null }),
  // One guest's rule list belongs to one resource; a list already holding rules is "taken" (see read).
  identityKeys: (planned) => (typeof planned.guest === 'number' ? [{ key: `firewall_rules:${planned.guest}`, attribute: 'guest', label: `the firewall rule list of guest ${planned.guest}` }] : []),

  /** null when the guest's list is empty: then nothing is there to own or to refresh. */
  async read(ctx, requests) {
    const node = requireNode(ctx);
    const files = await readFirewallFiles(ctx, node);
    return requests.map(({ prior }) => {
      const rules = guestFirewall(files, num(prior, 'guest') ?? -1).rules;
      return rules.length === 0 ? null : { ...prior, node: node.name, guest_type: prior.guest_type ?? 'lxc', rule: rules.map(ruleFromFw) };
    });
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    ctx.progress(`writing ${(planned.rule as unknown[]).length} firewall rule(s)`);
    await syncRuleList(node, rulesPath(planned, node), [], (planned.rule as ValueObject[]) ?? [], label(planned));
    return { ...planned, node: node.name };
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    await syncRuleList(node, rulesPath(planned, node), (prior.rule as ValueObject[]) ?? [], (planned.rule as ValueObject[]) ?? [], label(planned));
    return { ...planned, node: node.name };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const current = guestFirewall(await readFirewallFiles(ctx, node), num(prior, 'guest')!).rules;
    if (current.length === 0) return; // gone with its guest (destroy removes <vmid>.fw) or by hand
    await syncRuleList(node, rulesPath(prior, node), current.map(ruleFromFw), [], label(prior));
  },

  async import(ctx, id) {
    const node = requireNode(ctx);
    const vmid = Number(id);
    const rules = guestFirewall(await readFirewallFiles(ctx, node), vmid).rules;
    if (!/^\d+$/.test(id) || rules.length === 0) throw diagnosticError(`Guest ${id} has no firewall rules`, `/etc/pve/firewall/${id}.fw on node ${node.name} holds no [RULES]: there is nothing to import. Apply the resource to create them.`);
    return { node: node.name, guest: vmid, guest_type: null, rule: rules.map(ruleFromFw) };
  },

  // The .fw file does not say whether the guest is a container or a VM: the configuration does.
  adoptConfigured: (imported, configured) => ({ ...imported, guest_type: configured.guest_type ?? 'lxc' }),
};
