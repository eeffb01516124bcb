/**
 * The `firewall_node_options` resource type: the [OPTIONS] of a node's host.fw (Firewall.pm
 * $host_option_properties, API2/Firewall/Host.pm set_options): the node's own firewall, its log levels,
 * SMURF and TCP-flag filters, conntrack limits and SYN-flood protection. One per node.
 */
import type { Format } from '../proxmox/formats.js';
import { LOG_LEVELS } from '../firewall/formats.js';
import { sectionOptionsProvider, type SectionOption } from '../firewall/section-options.js';

/** pve_fw_verify_conntrack_helper over $pve_fw_helpers. */
const CONNTRACK_HELPERS = ['amanda', 'ftp', 'irc', 'netbios-ns', 'pptp', 'sane', 'sip', 'snmp', 'tftp'];
const CONNTRACK_HELPER_LIST: Format = {
  accepts: `a comma-separated list of ${CONNTRACK_HELPERS.join(', ')}`,
  problem: (list) => {
    const helpers = list.split(',');
    if (helpers.includes('')) return 'extraneous commas in list';
    const unknown = helpers.find((h) => !CONNTRACK_HELPERS.includes(h));
    return unknown === undefined ? undefined : `unknown helper ${unknown}`;
  },
};

const logLevel = (description: string): SectionOption => ({ type: 'string', default: 'nolog', oneOf: LOG_LEVELS, description: `${description}: ${LOG_LEVELS.join(', ')}` });
const flag = (value: boolean, description: string): SectionOption => ({ type: 'bool', default: value, description });

export const firewallNodeOptionsProvider = sectionOptionsProvider({
  type: 'firewall_node_options',
  description:
    'The firewall options of one node (its host.fw `[OPTIONS]`, `pvesh set /nodes/N/firewall/options`; read with the other firewall configs in one ' +
    '`grep -r` per node and plan). They act while the cluster firewall is enabled (`firewall_cluster_options`). Unset attributes mean Proxmox\'s ' +
    'defaults; destroying the resource deletes the options (back to the defaults). Options set outside phoenix are refused at plan until imported ' +
    '(`phoenix import ADDRESS NODE`).',
  options: {
    enable: flag(true, 'Enable the host firewall rules'),
    log_level_in: logLevel('Log level for incoming traffic'),
    log_level_out: logLevel('Log level for outgoing traffic'),
    log_level_forward: logLevel('Log level for forwarded traffic'),
    tcp_flags_log_level: logLevel('Log level for the illegal TCP flags filter'),
    smurf_log_level: logLevel('Log level for the SMURFS filter'),
    // ruleset_chain_add_input_filters: the SMURFS filter is on unless nosmurfs is 0.
    nosmurfs: flag(true, 'Enable the SMURFS filter'),
    tcpflags: flag(false, 'Filter illegal combinations of TCP flags'),
    ndp: flag(true, 'Enable NDP (Neighbor Discovery Protocol)'),
    nf_conntrack_max: { type: 'number', default: 262144, min: 32768, description: 'Maximum number of tracked connections' },
    nf_conntrack_tcp_timeout_established: { type: 'number', default: 432000, min: 7875, description: 'Conntrack established timeout in seconds' },
    nf_conntrack_tcp_timeout_syn_recv: { type: 'number', default: 60, min: 30, max: 60, description: 'Conntrack SYN received timeout in seconds' },
    nf_conntrack_allow_invalid: flag(false, 'Allow invalid packets on connection tracking'),
    nf_conntrack_helpers: { type: 'string', default: null, format: CONNTRACK_HELPER_LIST, description: `Conntrack helpers to enable, comma-separated: ${CONNTRACK_HELPERS.join(', ')}` },
    protection_synflood: flag(false, 'Enable SYN-flood protection'),
    protection_synflood_rate: { type: 'number', default: 200, description: 'SYN-flood protection rate, SYN/s per source IP' },
    protection_synflood_burst: { type: 'number', default: 1000, description: 'SYN-flood protection burst per source IP' },
    log_nf_conntrack: flag(false, 'Log conntrack information'),
    nftables: flag(false, 'Use the nftables based firewall (proxmox-firewall; tech preview)'),
  },
  path: (node) => `/nodes/${node.name}/firewall/options`,
  section: (files) => files.host.options,
  id: (node) => node,
  perNode: true,
  label: (node) => `the firewall options section of node ${node}`,
});
