/**
 * Firewall refresh cost: every firewall object of a plan (guest options and rules, aliases, IP sets,
 * security groups, the cluster's and the node's options and rules) is read from one `grep -r` of
 * /etc/pve/firewall and the node's host.fw per node, whatever the number of guests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Attrs } from '../../src/config/values.js';
import { createReadMemo } from '../../src/plan/provider-context.js';
import { firewallProviders } from '../../src/resources/firewall/providers.js';
import type { ProviderContext, ResourceProvider } from '../../src/resources/provider.js';
import { simHarness } from './harness.js';

const provider = (type: string) => firewallProviders.find((p) => p.type === type)!;

function planned(p: ResourceProvider, config: Attrs): Attrs {
  const attrs: Attrs = {};
  for (const [name, schema] of Object.entries(p.schema.attributes)) attrs[name] = config[name] ?? schema.default ?? null;
  return p.normalize!(attrs);
}

describe('firewall refresh', () => {
  const sim = simHarness();
  const objects: { type: string; attrs: Attrs }[] = [];
  const GUESTS = [150, 151, 152, 153];

  beforeAll(async () => {
    const make = async (type: string, config: Attrs) => objects.push({ type, attrs: await provider(type).create(sim.ctx, planned(provider(type), config)) });
    await make('firewall_alias', { name: 'router', cidr: '10.0.0.1' });
    await make('firewall_ipset', { name: 'admins', entry: [{ cidr: '10.0.0.0/24' }] });
    await make('firewall_security_group', { name: 'web', rule: [{ type: 'in', action: 'ACCEPT', macro: 'HTTPS' }] });
    await make('firewall_cluster_options', { enable: true });
    await make('firewall_cluster_rules', { rule: [{ type: 'group', action: 'web' }] });
    await make('firewall_node_options', { tcpflags: true });
    await make('firewall_node_rules', { rule: [{ type: 'in', action: 'ACCEPT', macro: 'SSH', source: '+admins' }] });
    for (const guest of GUESTS) {
      await make('firewall_options', { guest, enable: true });
      await make('firewall_rules', { guest, rule: [{ type: 'group', action: 'web' }, { type: 'in', action: 'ACCEPT', macro: 'SSH', source: '+admins' }] });
    }
  }, 240_000);

  async function refresh(guests: number): Promise<{ commands: string[][]; found: (Attrs | null)[] }> {
    const ctx: ProviderContext = { ...sim.ctx, memo: createReadMemo() };
    const kept = objects.filter((o) => typeof o.attrs.guest !== 'number' || GUESTS.slice(0, guests).includes(o.attrs.guest));
    sim.reset();
    const found: (Attrs | null)[] = [];
    for (const type of firewallProviders.map((p) => p.type)) {
      const priors = kept.filter((o) => o.type === type).map((o, i) => ({ address: `${type}.x[${i}]`, prior: o.attrs }));
      found.push(...(await provider(type).read(ctx, priors)));
    }
    return { commands: [...sim.commands], found };
  }

  it('reads 1 guest and 4 guests with the same single command, and finds what was written', async () => {
    const one = await refresh(1);
    const four = await refresh(4);
    expect(one.commands).toEqual(four.commands);
    expect(four.commands).toHaveLength(1);
    expect(four.commands[0]!.slice(0, 5)).toEqual(['grep', '-r', '-H', '-e', '']);
    expect(four.found.every((attrs) => attrs !== null)).toBe(true);
    expect(four.found).toHaveLength(objects.length);
    const rules = four.found.find((a) => a?.guest === 153 && Array.isArray(a.rule));
    expect(rules?.rule).toEqual(objects.find((o) => o.type === 'firewall_rules' && o.attrs.guest === 153)!.attrs.rule);
  });
});
