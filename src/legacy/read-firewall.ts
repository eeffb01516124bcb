/**
 * A legacy guest's `firewall` object: `enabled` (the NIC's firewall flag and the guest's firewall switch)
 * and `rules` ({type, action, source, dest, proto, port, comment}, as phoenix_lxc_configs.schema.json and
 * phoenix_vm_configs.schema.json describe them). `port` is the destination port (the legacy hypervisor
 * setup passes it as `-dport`). Fields a rule does not know stay comments.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { LegacyFields } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import type { LegacyFirewallRule, LegacyGuest } from './model.js';
import type { ValueObject } from '../config/values.js';
import { checkRules } from '../resources/firewall/rules.js';
import { Checks } from '../resources/proxmox/checks.js';

/** What Proxmox would say of the rule as firewall_rules writes it (`port` as `dport`), or undefined. */
function refusal(read: LegacyFirewallRule): string | undefined {
  const { location: _, port, ...fields } = read;
  const rule: ValueObject = { ...fields, ...(port === undefined ? {} : { dport: port }) };
  const checks = new Checks();
  checkRules(checks, 'rules', [rule], 'guest');
  const first = checks.diagnostics[0];
  // "Proxmox rejects "1,2": invalid IP address: 1. It accepts …" → its first sentence, for the warning's summary.
  return first && `has ${first.attribute?.[2] ?? 'a field'} Proxmox refuses (${(first.detail ?? first.summary).split('. ')[0]})`;
}

export function readFirewall(guest: LegacyGuest, f: LegacyFields, diagnostics: Diagnostic[]): void {
  const firewall = f.object('firewall');
  if (!firewall) return;
  guest.firewall = firewall.bool('enabled');
  const rules = firewall.array('rules') ?? [];
  guest.firewallRules = rules.flatMap((value, index): LegacyFirewallRule[] => {
    const rule = LegacyFields.of(value, firewall.at('rules', index), diagnostics);
    const read: LegacyFirewallRule = { location: rule.location };
    for (const key of ['type', 'action', 'source', 'dest', 'proto', 'port', 'comment'] as const) {
      const text = key === 'port' ? rule.number(key)?.toString() ?? rule.string(key) : rule.string(key);
      if (text !== undefined) read[key] = text;
    }
    guest.unmodelled.push(...rule.reportUnmodelled(`guest ${guest.id}`).map((u) => ({ ...u, key: `firewall.rules[${index}].${u.key}` })));
    // A rule Proxmox would refuse (Firewall.pm verify_rule, as firewall_rules checks it) cannot be
    // applied as written, so it stays a comment for the operator to complete.
    const problem = read.type === undefined || read.action === undefined ? 'has no type or action' : read.port !== undefined && read.proto === undefined ? 'has a port but no proto' : refusal(read);
    if (problem) {
      diagnostics.push(legacyDiagnostic('warning', rule.location, `Firewall rule ${index} of guest ${guest.id} ${problem}`, 'Proxmox refuses such a rule; it was kept as a comment next to the guest. Complete it in its firewall_rules resource.'));
      guest.unmodelled.push({ key: `firewall.rules[${index}]`, value: value!, location: rule.location });
      return [];
    }
    return [read];
  });
  guest.unmodelled.push(...firewall.reportUnmodelled(`guest ${guest.id}`).map((u) => ({ ...u, key: `firewall.${u.key}` })));
}
