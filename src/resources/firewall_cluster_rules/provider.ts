/** The `firewall_cluster_rules` resource type: the ordered rules of cluster.fw [RULES] (ClusterRules). One per cluster. */
import { sectionRulesProvider } from '../firewall/section-rules.js';

export const firewallClusterRulesProvider = sectionRulesProvider({
  type: 'firewall_cluster_rules',
  scope: 'cluster',
  description:
    'The cluster-wide firewall rules, in order (`pvesh` on /cluster/firewall/rules; read with the other firewall configs in one `grep -r` per node ' +
    'and plan). They apply to every node of the cluster (the datacenter rules of the GUI) while the cluster firewall is enabled. The resource owns ' +
    'the whole list, changed in place by position like `firewall_rules`; rules set outside phoenix are refused at plan until imported ' +
    '(`phoenix import ADDRESS cluster`).',
  path: () => '/cluster/firewall/rules',
  rules: (files) => files.cluster.rules,
  id: () => 'cluster',
  label: () => "the cluster's firewall rule list",
  owner: () => 'the cluster firewall',
});
