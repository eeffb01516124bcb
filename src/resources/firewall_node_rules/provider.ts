/** The `firewall_node_rules` resource type: the ordered rules of a node's host.fw [RULES] (HostRules). One per node. */
import { sectionRulesProvider } from '../firewall/section-rules.js';

export const firewallNodeRulesProvider = sectionRulesProvider({
  type: 'firewall_node_rules',
  scope: 'host',
  description:
    'The firewall rules of one node, in order (`pvesh` on /nodes/N/firewall/rules; read with the other firewall configs in one `grep -r` per node ' +
    'and plan). They act on the node\'s own traffic while the cluster firewall and the node\'s (`firewall_node_options`) are enabled. The resource ' +
    'owns the whole list, changed in place by position like `firewall_rules`; rules set outside phoenix are refused at plan until imported ' +
    '(`phoenix import ADDRESS NODE`).',
  path: (node) => `/nodes/${node.name}/firewall/rules`,
  rules: (files) => files.host.rules,
  id: (node) => node,
  label: (node) => `the firewall rule list of node ${node}`,
  owner: (node) => `node ${node}'s firewall`,
});
