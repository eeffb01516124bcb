/**
 * Firewall options through pvesh, one [OPTIONS] section each: a guest's (/nodes/N/{lxc,qemu}/ID/firewall/options,
 * API2/Firewall/VM.pm get_options / set_options), the cluster's (/cluster/firewall/options, API2/Firewall/Cluster.pm)
 * and the node's (/nodes/N/firewall/options, API2/Firewall/Host.pm). The option schemas are Firewall.pm's
 * $vm_option_properties, $cluster_option_properties and $host_option_properties.
 */
import { parseArgs } from '../core/args.js';
import { arg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { verificationError } from '../core/errors.js';
import { withNodeLock } from '../core/node-lock.js';
import type { ParamSpec } from '../core/schema.js';
import type { FwConfig } from '../../proxmox-data/fw-file.js';
import { assertDigest, DIGEST } from './rules-api.js';
import { loadCluster, loadGuest, loadHost, objectWithDigest, saveCluster, saveGuest, saveHost } from './store.js';

const LOG_LEVEL: ParamSpec = { type: 'string', enum: ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'nolog'] };
const POLICY: ParamSpec = { type: 'string', enum: ['ACCEPT', 'REJECT', 'DROP'] };
const BOOLEAN: ParamSpec = { type: 'boolean' };
const booleans = (...names: string[]) => Object.fromEntries(names.map((k) => [k, BOOLEAN]));

/** $vm_option_properties. */
const VM_OPTIONS: Record<string, ParamSpec> = {
  ...booleans('enable', 'dhcp', 'ipfilter', 'macfilter', 'ndp', 'radv'),
  policy_in: POLICY,
  policy_out: POLICY,
  log_level_in: LOG_LEVEL,
  log_level_out: LOG_LEVEL,
};

/** $cluster_option_properties: `enable` is an integer (a value above 1 is the anti-lockout timestamp). */
const CLUSTER_OPTIONS: Record<string, ParamSpec> = {
  enable: { type: 'integer', min: 0 },
  ebtables: BOOLEAN,
  policy_in: POLICY,
  policy_out: POLICY,
  policy_forward: { type: 'string', enum: ['ACCEPT', 'DROP'] },
  log_ratelimit: {
    type: 'string',
    format: {
      defaultKey: 'enable',
      keys: { enable: BOOLEAN, rate: { type: 'string', pattern: /^[1-9][0-9]*\/(second|minute|hour|day)$/ }, burst: { type: 'integer', min: 0 } },
    },
  },
};

/**
 * pve_fw_verify_conntrack_helper over $pve_fw_helpers. Its "unknown helper" die has no newline, so Perl
 * appends the source position (Firewall.pm line 1167 of the pve-firewall in /work/upstream).
 */
const CONNTRACK_HELPERS = ['amanda', 'ftp', 'irc', 'netbios-ns', 'pptp', 'sane', 'sip', 'snmp', 'tftp'];
function conntrackHelpersProblem(list: string): string | undefined {
  const helpers = list.split(',');
  if (helpers.includes('')) return 'extraneous commas in list';
  const unknown = helpers.find((h) => !CONNTRACK_HELPERS.includes(h));
  return unknown === undefined ? undefined : `unknown helper ${unknown} at /usr/share/perl5/PVE/Firewall.pm line 1167.`;
}

/** $host_option_properties. */
const HOST_OPTIONS: Record<string, ParamSpec> = {
  ...booleans('enable', 'nosmurfs', 'tcpflags', 'ndp', 'nf_conntrack_allow_invalid', 'protection_synflood', 'log_nf_conntrack', 'nftables'),
  ...Object.fromEntries(['log_level_in', 'log_level_out', 'log_level_forward', 'tcp_flags_log_level', 'smurf_log_level'].map((k) => [k, LOG_LEVEL])),
  nf_conntrack_max: { type: 'integer', min: 32768 },
  nf_conntrack_tcp_timeout_established: { type: 'integer', min: 7875 },
  nf_conntrack_tcp_timeout_syn_recv: { type: 'integer', min: 30, max: 60 },
  nf_conntrack_helpers: { type: 'string', check: conntrackHelpersProblem },
  protection_synflood_rate: { type: 'integer' },
  protection_synflood_burst: { type: 'integer' },
};

/** One [OPTIONS] section: its schema, where it is kept, and what set_options does beyond storing the values. */
interface OptionsSection {
  schema: Record<string, ParamSpec>;
  load(ctx: CommandContext): FwConfig;
  save(ctx: CommandContext, conf: FwConfig): void;
  /** The value stored for a verified parameter. */
  store(key: string, value: string): string;
  /** The value get_options prints for a stored one (the parse_*fw_option reading: numbers for flags and integers). */
  show(key: string, value: string): string | number;
}

function plainSection(schema: Record<string, ParamSpec>, load: OptionsSection['load'], save: OptionsSection['save']): OptionsSection {
  const numeric = new Set(Object.keys(schema).filter((k) => schema[k]!.type !== 'string'));
  return { schema, load, save, store: (_key, value) => value, show: (key, value) => (numeric.has(key) ? Number(value) : value) };
}

export function guestOptionsSection(vmid: number): OptionsSection {
  return plainSection(VM_OPTIONS, (ctx) => loadGuest(ctx.env, vmid), (ctx, conf) => saveGuest(ctx.env, vmid, conf));
}

export function clusterOptionsSection(): OptionsSection {
  const plain = plainSection(CLUSTER_OPTIONS, (ctx) => loadCluster(ctx.env), (ctx, conf) => saveCluster(ctx.env, conf));
  const now = () => Math.floor(Date.now() / 1000);
  return {
    ...plain,
    // set_options: `enable` above 1 stores time() (the GUI's anti-lockout); parse_clusterfw_option reads a
    // timestamp older than 60 seconds as 0.
    store: (key, value) => (key === 'enable' && Number(value) > 1 ? String(now()) : value),
    show: (key, value) => (key === 'enable' && Number(value) > 1 && now() - Number(value) > 60 ? 0 : plain.show(key, value)),
  };
}

export function hostOptionsSection(): OptionsSection {
  return plainSection(HOST_OPTIONS, (ctx) => loadHost(ctx.env), (ctx, conf) => saveHost(ctx.env, conf));
}

function current(ctx: CommandContext, options: OptionsSection): Record<string, string | number> {
  return Object.fromEntries(Object.entries(options.load(ctx).options).map(([k, v]) => [k, options.show(k, v)]));
}

/** get_options: copy_opject_with_digest of the section. */
export function getOptions(ctx: CommandContext, section: OptionsSection): Record<string, string | number> {
  return objectWithDigest(current(ctx, section));
}

/** set_options: digest check, `--delete` of known options only, then the given values. */
export async function setOptions(ctx: CommandContext, section: OptionsSection, args: string[]): Promise<void> {
  const options = { ...section.schema, delete: { type: 'string' } as ParamSpec, digest: DIGEST, 'output-format': { type: 'string', enum: ['text', 'json', 'json-pretty', 'yaml'] } as ParamSpec, quiet: BOOLEAN };
  const p = parseArgs({ usage: 'pvesh set <api_path> [OPTIONS] [FORMAT_OPTIONS]', positionals: [arg('api_path')], options }, args).options;
  await withNodeLock(ctx.env, () => {
    assertDigest(String(objectWithDigest(current(ctx, section)).digest), p.digest);
    const conf = section.load(ctx);
    for (const key of (p.delete ?? '').split(/[,;\s]+/).filter(Boolean)) {
      if (!(key in section.schema)) throw verificationError({ delete: `no such option '${key}'` });
      delete conf.options[key];
    }
    for (const key of Object.keys(section.schema)) if (p[key] !== undefined) conf.options[key] = section.store(key, p[key]!);
    section.save(ctx, conf);
  });
}
