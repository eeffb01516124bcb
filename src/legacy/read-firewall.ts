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
    // Proxmox needs type and action, and a port only with a protocol (Firewall.pm verify_rule): such a
    // rule cannot be applied as written, so it stays a comment for the operator to complete.
    const problem = read.type === undefined || read.action === undefined ? 'has no type or action' : read.port !== undefined && read.proto === undefined ? 'has a port but no proto' : undefined;
    if (problem) {
      diagnostics.push(legacyDiagnostic('warning', rule.location, `Firewall rule ${index} of guest ${guest.id} ${problem}`, 'Proxmox refuses such a rule; it was kept as a comment next to the guest. Complete it in its firewall_rules resource.'));
      guest.unmodelled.push({ key: `firewall.rules[${index}]`, value: value!, location: rule.location });
      return [];
    }
    return [read];
  });
  guest.unmodelled.push(...firewall.reportUnmodelled(`guest ${guest.id}`).map((u) => ({ ...u, key: `firewall.${u.key}` })));
}
