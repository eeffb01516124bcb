/** The firewall resource types, registered together in builtin.ts. */
import type { ResourceProvider } from '../provider.js';
import { firewallAliasProvider } from '../firewall_alias/provider.js';
import { firewallClusterOptionsProvider } from '../firewall_cluster_options/provider.js';
import { firewallClusterRulesProvider } from '../firewall_cluster_rules/provider.js';
import { firewallIpsetProvider } from '../firewall_ipset/provider.js';
import { firewallNodeOptionsProvider } from '../firewall_node_options/provider.js';
import { firewallNodeRulesProvider } from '../firewall_node_rules/provider.js';
import { firewallOptionsProvider } from '../firewall_options/provider.js';
import { firewallRulesProvider } from '../firewall_rules/provider.js';
import { firewallSecurityGroupProvider } from '../firewall_security_group/provider.js';

export const firewallProviders: ResourceProvider[] = [
  firewallOptionsProvider,
  firewallRulesProvider,
  firewallAliasProvider,
  firewallIpsetProvider,
  firewallSecurityGroupProvider,
  firewallClusterOptionsProvider,
  firewallNodeOptionsProvider,
  firewallClusterRulesProvider,
  firewallNodeRulesProvider,
];
