/**
 * Resource types owning a rule list that is not a guest's or a group's: the cluster's (cluster.fw [RULES],
 * `/cluster/firewall/rules`, API2/Firewall/Rules.pm ClusterRules) and a node's (host.fw [RULES],
 * `/nodes/N/firewall/rules`, HostRules). Like `firewall_rules`, the resource owns the whole ordered list and
 * changes it in place by position (rule-list.ts); a list already holding rules phoenix did not write is
 * refused at plan until imported.
 */
import type { Attrs, ValueObject } from '../../config/values.js';
import type { AttributeDiagnostic, NodeHandle, ResourceProvider, ResourceSchema } from '../provider.js';
import { proveByDefinition } from '../proxmox/definition-proof.js';
import { Checks } from '../proxmox/checks.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError } from '../proxmox/errors.js';
import { requireNode } from '../proxmox/host.js';
import { readFirewallFiles, type FirewallFiles } from './host.js';
import { syncRuleList } from './rule-list.js';
import { checkRules, normalizeRules, ruleFromFw, ruleListAttribute, type RuleScope } from './rules.js';
import type { FwRule } from '../../proxmox-data/fw-file.js';

export interface SectionRulesSpec {
  type: string;
  scope: Extract<RuleScope, 'cluster' | 'host'>;
  description: string;
  /** `/cluster/firewall/rules` or `/nodes/N/firewall/rules`. */
  path(node: NodeHandle): string;
  rules(files: FirewallFiles): FwRule[];
  /** The import id ("cluster", or the node's name). */
  id(node: string): string;
  /** "the cluster's firewall rule list": the list as an object phoenix owns. */
  label(node: string): string;
  /** "the cluster firewall": whose rules, in the messages of the rule commands. */
  owner(node: string): string;
}

export function sectionRulesProvider(spec: SectionRulesSpec): ResourceProvider {
  const schema: ResourceSchema = {
    description: spec.description,
    attributes: {
      node: { type: 'string', optional: true, computed: true, forceNew: true, description: 'Name of the `node` block phoenix runs `pvesh` on; defaults to the only declared node.' },
      rule: ruleListAttribute(spec.scope),
    },
  };
  const diffRules: DiffRules = { schema, createOnly: [] };
  const perNode = spec.scope === 'host';
  const current = (files: FirewallFiles, node: string): Attrs | null => {
    const rules = spec.rules(files);
    return rules.length === 0 ? null : { node, rule: rules.map(ruleFromFw) };
  };

  const validate = (attrs: Attrs): AttributeDiagnostic[] => {
    const c = new Checks();
    c.controlCharacters(attrs, []);
    checkRules(c, 'rule', attrs.rule, spec.scope);
    if (Array.isArray(attrs.rule) && attrs.rule.length === 0) {
      c.error(['rule'], 'No firewall rules', `${spec.type} needs at least one \`rule\` block: an empty list is the absence of the resource (remove it to delete the rules).`);
    }
    return c.diagnostics;
  };

  const provider: ResourceProvider = {
    type: spec.type,
    schema,
    validate,
    normalize: (planned) => ({ ...planned, rule: normalizeRules(planned.rule) }),
    diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(schema, prior, planned), proposed),

    identity: (planned) => ({ node: planned.node ?? null, id: spec.id(String(planned.node ?? '')) }),
    // The rule list is the object: the rules an interrupted create wrote are the proof.
    ownershipProof: 'content',
    proveCreated: (ctx, planned) => proveByDefinition(provider, ctx, planned),
    identityKeys: (planned) => [
      { key: `${spec.type}:${spec.id(String(planned.node ?? ''))}`, attribute: perNode ? 'node' : 'rule', label: spec.label(String(planned.node ?? '')), unique: !perNode },
    ],

    /** null while the list is empty: nothing there to own. */
    async read(ctx, requests) {
      const node = requireNode(ctx);
      const files = await readFirewallFiles(ctx, node);
      return requests.map(() => current(files, node.name));
    },

    async create(ctx, planned) {
      const node = requireNode(ctx);
      ctx.progress(`writing ${(planned.rule as unknown[]).length} firewall rule(s)`);
      await syncRuleList(node, spec.path(node), [], (planned.rule as ValueObject[]) ?? [], spec.owner(node.name));
      return { ...planned, node: node.name };
    },

    async update(ctx, prior, planned) {
      const node = requireNode(ctx);
      await syncRuleList(node, spec.path(node), (prior.rule as ValueObject[]) ?? [], (planned.rule as ValueObject[]) ?? [], spec.owner(node.name));
      return { ...planned, node: node.name };
    },

    async delete(ctx) {
      const node = requireNode(ctx);
      const rules = spec.rules(await readFirewallFiles(ctx, node));
      if (rules.length > 0) await syncRuleList(node, spec.path(node), rules.map(ruleFromFw), [], spec.owner(node.name));
    },

    async import(ctx, id) {
      const node = requireNode(ctx);
      const found = id === spec.id(node.name) ? current(await readFirewallFiles(ctx, node), node.name) : null;
      if (!found) throw diagnosticError(`Nothing to import as ${spec.type}`, id === spec.id(node.name) ? `${spec.owner(node.name)} has no rules: there is nothing to import.` : `The import id is "${spec.id(node.name)}".`);
      return found;
    },
  };
  return provider;
}
