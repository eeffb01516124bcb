/**
 * The `firewall_cluster_options` resource type: the [OPTIONS] of cluster.fw (Firewall.pm
 * $cluster_option_properties, API2/Firewall/Cluster.pm set_options), among them the switch without which no
 * guest or node rule takes effect. One per cluster.
 */
import type { Format } from '../proxmox/formats.js';
import { sectionOptionsProvider } from '../firewall/section-options.js';


/** The log_ratelimit property string: [enable=]<bool>, rate=<n>/(second|minute|hour|day), burst=<integer ≥ 0>. */
const LOG_RATELIMIT: Format = {
  accepts: 'a property string such as "enable=1,rate=1/second,burst=5" (enable: 0 or 1; rate: N/second, minute, hour or day; burst: 0 or more)',
  problem: (text) => {
    const seen = new Set<string>();
    for (const part of text.split(',').filter((p) => p !== '')) {
      const [key, value] = part.includes('=') ? [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] : ['enable', part];
      if (seen.has(key)) return `invalid format - duplicate key in comma-separated list property: ${key}`;
      seen.add(key);
      if (key === 'enable' && !/^(0|1|yes|no|true|false|on|off)$/i.test(value)) return `log_ratelimit.enable: type check ('boolean') failed - got '${value}'`;
      if (key === 'rate' && !/^[1-9][0-9]*\/(second|minute|hour|day)$/.test(value)) return 'log_ratelimit.rate: value does not match the regex pattern';
      if (key === 'burst' && !/^\+?\d+$/.test(value)) return `log_ratelimit.burst: type check ('integer') failed - got '${value}'`;
      if (!['enable', 'rate', 'burst'].includes(key)) return `log_ratelimit.${key}: property is not defined in schema and the schema does not allow additional properties`;
    }
    return undefined;
  },
};

const POLICIES = ['ACCEPT', 'REJECT', 'DROP'] as const;

export const firewallClusterOptionsProvider = sectionOptionsProvider({
  type: 'firewall_cluster_options',
  description:
    'The cluster-wide firewall options (cluster.fw `[OPTIONS]`, `pvesh set /cluster/firewall/options`; read with the other firewall configs in one ' +
    '`grep -r` per node and plan). `enable` switches the whole Proxmox firewall on: guest and node rules act only while it is on. Unset attributes ' +
    'mean Proxmox\'s defaults; destroying the resource deletes the options (back to the defaults: firewall off). Options set outside phoenix are ' +
    'refused at plan until imported (`phoenix import ADDRESS cluster`).',
  options: {
    enable: {
      type: 'bool',
      default: false,
      description: 'Enable the firewall cluster wide',
      // parse_clusterfw_option: a value above 1 is the GUI's anti-lockout timestamp, read as 0 after 60 seconds.
      read: (stored) => Number(stored) === 1 || (Number(stored) > 1 && Date.now() / 1000 - Number(stored) <= 60),
    },
    ebtables: { type: 'bool', default: true, description: 'Enable ebtables rules cluster wide' },
    policy_in: { type: 'string', default: 'DROP', oneOf: POLICIES, description: 'Input policy: ACCEPT, REJECT or DROP' },
    policy_out: { type: 'string', default: 'ACCEPT', oneOf: POLICIES, description: 'Output policy: ACCEPT, REJECT or DROP' },
    policy_forward: { type: 'string', default: 'ACCEPT', oneOf: ['ACCEPT', 'DROP'], description: 'Forward policy: ACCEPT or DROP' },
    log_ratelimit: {
      type: 'string',
      default: null,
      format: LOG_RATELIMIT,
      description: 'Log rate limiting as a property string, e.g. "enable=1,rate=10/minute,burst=20"; unset, Proxmox limits logging to 1/second',
    },
  },
  path: () => '/cluster/firewall/options',
  section: (files) => files.cluster.options,
  id: () => 'cluster',
  perNode: false,
  label: () => "the cluster's firewall options section",
});
