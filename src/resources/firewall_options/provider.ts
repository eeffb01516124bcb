/**
 * The `firewall_options` resource type: the [OPTIONS] of one guest's firewall (/etc/pve/firewall/<vmid>.fw),
 * set through `pvesh set /nodes/N/{lxc,qemu}/ID/firewall/options` (pve-firewall API2/Firewall/VM.pm
 * set_options, $vm_option_properties in Firewall.pm). Every option is written explicitly, so what the node
 * holds never depends on defaults; unset attributes mean Proxmox's defaults (the values the firewall
 * compiler uses for an absent option).
 */
import type { Attrs } from '../../config/values.js';
import { valuesEqual } from '../../config/values.js';
import type { AttributeDiagnostic, NodeHandle, ResourceProvider, ResourceSchema } from '../provider.js';
import { num, str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError } from '../proxmox/errors.js';
import { checkGuestRef, guestTypeAttribute, inferGuestType } from '../proxmox/guest-ref.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';
import { requireNode } from '../proxmox/host.js';
import { LOG_LEVELS, POLICIES } from '../firewall/formats.js';
import { guestFirewall, guestFirewallPath, pvesh, pveshGet, readFirewallFiles } from '../firewall/host.js';

/** Option → Proxmox's effective default (Firewall.pm: compile and ruleset_create_vm_chain read an absent option so). */
const DEFAULTS: Record<string, boolean | string> = {
  enable: false,
  dhcp: false,
  ipfilter: false,
  macfilter: true,
  ndp: true,
  radv: false,
  policy_in: 'DROP',
  policy_out: 'ACCEPT',
  log_level_in: 'nolog',
  log_level_out: 'nolog',
};
const OPTIONS = Object.keys(DEFAULTS);

const boolOption = (name: string, description: string) => ({ type: 'bool' as const, optional: true, default: DEFAULTS[name]!, description: `${description} (default ${DEFAULTS[name]}).` });
const textOption = (name: string, description: string) => ({ type: 'string' as const, optional: true, default: DEFAULTS[name]!, description: `${description} (default "${DEFAULTS[name]}").` });

export const firewallOptionsSchema: ResourceSchema = {
  description:
    'The firewall options of one guest (`pvesh set /nodes/N/{lxc,qemu}/ID/firewall/options`; read with the other firewall configs in one ' +
    '`grep -r /etc/pve/firewall` per node and plan). All options are written, unset ones with Proxmox\'s defaults; destroying the resource ' +
    'deletes them (back to the defaults: firewall off). A guest whose options were set outside phoenix is refused at plan until imported.',
  attributes: {
    guest: { type: 'number', required: true, forceNew: true, description: 'vmid of the guest, usually a reference such as `lxc.web.vmid`.' },
    guest_type: guestTypeAttribute,
    node: { ...nodeAttribute, description: 'Name of the `node` block phoenix runs `pvesh` on; defaults to the only declared node (the guest may live on another node of the cluster).' },
    enable: boolOption('enable', 'Enable the guest\'s firewall rules'),
    policy_in: textOption('policy_in', 'Policy for incoming traffic: ACCEPT, REJECT or DROP'),
    policy_out: textOption('policy_out', 'Policy for outgoing traffic: ACCEPT, REJECT or DROP'),
    log_level_in: textOption('log_level_in', 'Log level for incoming traffic: emerg, alert, crit, err, warning, notice, info, debug or nolog'),
    log_level_out: textOption('log_level_out', 'Log level for outgoing traffic'),
    dhcp: boolOption('dhcp', 'Allow DHCP'),
    ipfilter: boolOption('ipfilter', 'Default IP filters (only the guest\'s own addresses)'),
    macfilter: boolOption('macfilter', 'MAC address filter'),
    ndp: boolOption('ndp', 'Allow the Neighbor Discovery Protocol'),
    radv: boolOption('radv', 'Allow sending router advertisements'),
  },
};

const diffRules: DiffRules = { schema: firewallOptionsSchema, createOnly: [] };

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  checkGuestRef(c, attrs);
  for (const key of ['policy_in', 'policy_out']) c.oneOf([key], attrs[key], POLICIES);
  for (const key of ['log_level_in', 'log_level_out']) c.oneOf([key], attrs[key], LOG_LEVELS);
  return c.diagnostics;
}

/** parse_vmfw_option values → attributes, absent ones at their defaults. */
function optionAttrs(options: Record<string, string>): Attrs {
  const attrs: Attrs = {};
  for (const key of OPTIONS) {
    const value = options[key];
    const fallback = DEFAULTS[key]!;
    attrs[key] = value === undefined || value === '' ? fallback : typeof fallback === 'boolean' ? value === '1' : key.startsWith('policy') ? value.toUpperCase() : value.toLowerCase();
  }
  return attrs;
}

const optionsPath = (attrs: Attrs, node: NodeHandle) => `${guestFirewallPath(node, str(attrs, 'guest_type') ?? 'lxc', num(attrs, 'guest')!)}/options`;
const what = (attrs: Attrs) => `setting the firewall options of guest ${num(attrs, 'guest')}`;

async function writeOptions(node: NodeHandle, attrs: Attrs, names: string[], deleted: string[] = []): Promise<void> {
  const path = optionsPath(attrs, node);
  const { digest } = await pveshGet<{ digest: string }>(node, path, `reading the firewall options of guest ${num(attrs, 'guest')}`);
  const args = names.flatMap((key) => [`--${key}`, typeof attrs[key] === 'boolean' ? (attrs[key] ? '1' : '0') : String(attrs[key])]);
  await pvesh(node, 'set', path, [...args, ...(deleted.length ? ['--delete', deleted.join(',')] : []), '--digest', digest], what(attrs));
}

export const firewallOptionsProvider: ResourceProvider = {
  type: 'firewall_options',
  schema: firewallOptionsSchema,
  validate,
  inferFromReferences: inferGuestType,
  normalize: (planned) => ({ ...planned, guest_type: planned.guest_type ?? 'lxc', ...Object.fromEntries(OPTIONS.map((k) => [k, planned[k] ?? DEFAULTS[k]!])) }),
  diff: (prior, planned, proposed) => refineDiff(diffRules, prior, withComputedFromPrior(firewallOptionsSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, guest: planned.guest ?? null }),
  identityKeys: (planned) => (typeof planned.guest === 'number' ? [{ key: `firewall_options:${planned.guest}`, attribute: 'guest', label: `the firewall options section of guest ${planned.guest}` }] : []),

  /** null while the guest has no options set: nothing there to own. */
  async read(ctx, requests) {
    const node = requireNode(ctx);
    const files = await readFirewallFiles(ctx, node);
    return requests.map(({ prior }) => {
      const options = guestFirewall(files, num(prior, 'guest') ?? -1).options;
      return Object.keys(options).length === 0 ? null : { ...prior, node: node.name, guest_type: prior.guest_type ?? 'lxc', ...optionAttrs(options) };
    });
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    await writeOptions(node, planned, OPTIONS);
    return { ...planned, node: node.name };
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    const changed = OPTIONS.filter((k) => !valuesEqual(prior[k] ?? null, planned[k] ?? null));
    if (changed.length > 0) await writeOptions(node, planned, changed);
    return { ...planned, node: node.name };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const present = Object.keys(guestFirewall(await readFirewallFiles(ctx, node), num(prior, 'guest')!).options).filter((k) => OPTIONS.includes(k));
    if (present.length > 0) await writeOptions(node, prior, [], present);
  },

  async import(ctx, id) {
    const node = requireNode(ctx);
    const options = guestFirewall(await readFirewallFiles(ctx, node), Number(id)).options;
    if (!/^\d+$/.test(id) || Object.keys(options).length === 0) throw diagnosticError(`Guest ${id} has no firewall options`, `/etc/pve/firewall/${id}.fw on node ${node.name} sets no [OPTIONS]: there is nothing to import.`);
    return { node: node.name, guest: Number(id), guest_type: null, ...optionAttrs(options) };
  },

  adoptConfigured: (imported, configured) => ({ ...imported, guest_type: configured.guest_type ?? 'lxc' }),
};
