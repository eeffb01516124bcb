/**
 * The simulated pvesh firewall API against pve-firewall's behaviour (API2/Firewall/*.pm, Firewall.pm):
 * what it refuses and with which message, rule positions, digests, and the .fw files it writes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, DEBIAN, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

const RULES = '/nodes/pve/lxc/101/firewall/rules';
const pvesh = (...args: string[]) => sim.run('pvesh', args);
const rules = async (path = RULES) => JSON.parse(await sim.ok('pvesh', ['get', path, '--output-format', 'json'])) as Record<string, string | number>[];

describe('guest rules', () => {
  it('creates at the top, disabled unless enable is given, and moves/deletes by position with digests', async () => {
    await sim.ok('pvesh', ['create', RULES, '--type', 'in', '--action', 'ACCEPT', '--proto', 'tcp', '--dport', '22']);
    await sim.ok('pvesh', ['create', RULES, '--type', 'out', '--action', 'DROP', '--enable', '1', '--dest', '10.0.0.1']);
    let list = await rules();
    expect(list.map((r) => [r.pos, r.type, r.enable])).toEqual([[0, 'out', 1], [1, 'in', 0]]);
    expect(list[0]!.ipversion).toBe(4);
    const digest = String(list[0]!.digest);
    await sim.ok('pvesh', ['set', `${RULES}/0`, '--moveto', '2', '--digest', digest]);
    list = await rules();
    expect(list.map((r) => r.type)).toEqual(['in', 'out']);
    // The old digest no longer matches: assert_if_modified.
    const stale = await pvesh('delete', `${RULES}/0`, '--digest', digest);
    expect(stale.stderr).toBe('detected modified configuration - file changed by other user? Try again.\n');
    expect((await pvesh('delete', `${RULES}/5`)).stderr).toBe('no rule at position 5\n');
    await sim.ok('pvesh', ['set', `${RULES}/0`, '--enable', '1', '--delete', 'dport,proto', '--comment', 'any inbound']);
    expect(sim.file('etc/pve/firewall/101.fw')).toBe('[RULES]\n\nIN ACCEPT # any inbound\nOUT DROP -dest 10.0.0.1\n\n');
    await sim.ok('pvesh', ['delete', `${RULES}/1`]);
    await sim.ok('pvesh', ['delete', `${RULES}/0`]);
    expect(await rules()).toEqual([]);
  });

  it('refuses what verify_rule refuses, with its messages', async () => {
    const refused = async (...args: string[]) => (await pvesh('create', RULES, '--type', 'in', '--action', 'ACCEPT', ...args)).stderr;
    expect(await refused('--source', '+nope')).toBe("400 Parameter verification failed.\nsource: no such ipset 'nope'\n");
    expect(await refused('--dest', 'nas')).toBe("400 Parameter verification failed.\ndest: no such alias 'nas'\n");
    expect(await refused('--dport', '22')).toBe("400 Parameter verification failed.\nproto: missing property - 'dport' requires this property\n");
    expect(await refused('--proto', 'icmp', '--sport', '80')).toBe("400 Parameter verification failed.\nsport: protocol 'icmp' does not support ports\n");
    expect(await refused('--macro', 'DNS', '--proto', 'tcp')).toBe("400 Parameter verification failed.\nproto: parameter 'proto' already define in macro (value = 'udp')\n");
    expect(await refused('--macro', 'NoSuch')).toBe("400 Parameter verification failed.\nmacro: unknown macro 'NoSuch'\n");
    expect(await refused('--iface', 'eth0')).toBe("400 Parameter verification failed.\niface: value does not match the regex pattern 'net\\d+'\n");
    expect(await refused('--proto', 'tcp', '--dport', '99999')).toMatch(/^400 Parameter verification failed\.\ndport: invalid format - invalid port '99999'\n/);
    expect(await refused('--proto', 'tcp', '--dport', '90:80')).toMatch(/dport: invalid format - backwards range '90:80' not allowed, did you mean '80:90'\?/);
    expect(await refused('--proto', 'nosuchproto')).toMatch(/proto: invalid format - unknown protocol 'nosuchproto'/);
    expect(await refused('--source', '10.0.0.1,fd00::1')).toMatch(/source: invalid format - detected mixed ipv4\/ipv6 addresses in address list/);
    expect((await pvesh('create', RULES, '--type', 'forward', '--action', 'ACCEPT')).stderr).toBe("400 Parameter verification failed.\ntype: invalid rule type 'forward' for rule_env 'ct'\n");
    expect((await pvesh('create', RULES, '--type', 'in', '--action', 'accept')).stderr).toBe("400 Parameter verification failed.\naction: unknown action 'accept'\n");
    expect(await rules()).toEqual([]);
  });

  it('spells a macro as Proxmox prefers it and accepts service names', async () => {
    await sim.ok('pvesh', ['create', RULES, '--type', 'in', '--action', 'ACCEPT', '--macro', 'ssh', '--enable', '1']);
    await sim.ok('pvesh', ['create', RULES, '--type', 'in', '--action', 'ACCEPT', '--proto', 'tcp', '--dport', 'https,8000:8010', '--enable', '1']);
    expect(sim.file('etc/pve/firewall/101.fw')).toContain('IN SSH(ACCEPT)\n');
  });

  it('is removed with its guest (remove_vmfw_conf on destroy)', async () => {
    await sim.ok('pct', ['create', '101', DEBIAN, '--rootfs', 'local-zfs:4']);
    await sim.ok('pvesh', ['set', '/nodes/pve/lxc/101/firewall/options', '--enable', '1']);
    expect(sim.file('etc/pve/firewall/101.fw')).toBe('[OPTIONS]\n\nenable: 1\n\n');
    await sim.ok('pct', ['destroy', '101']);
    expect(() => sim.file('etc/pve/firewall/101.fw')).toThrow();
  });
});

describe('guest options', () => {
  it('sets, deletes and digests options; refuses unknown ones', async () => {
    const path = '/nodes/pve/qemu/300/firewall/options';
    await sim.ok('pvesh', ['set', path, '--enable', 'yes', '--policy_in', 'REJECT']);
    const options = JSON.parse(await sim.ok('pvesh', ['get', path, '--output-format', 'json']));
    expect(options).toMatchObject({ enable: 1, policy_in: 'REJECT' });
    expect((await pvesh('set', path, '--ndp', '0', '--digest', '0'.repeat(40))).stderr).toBe('detected modified configuration - file changed by other user? Try again.\n');
    expect((await pvesh('set', path, '--policy_in', 'deny')).stderr).toMatch(/policy_in: value 'deny' does not have a value in the enumeration 'ACCEPT, REJECT, DROP'/);
    expect((await pvesh('set', path, '--delete', 'bogus')).stderr).toBe("400 Parameter verification failed.\ndelete: no such option 'bogus'\n");
    await sim.ok('pvesh', ['set', path, '--delete', 'enable,policy_in', '--digest', options.digest]);
    expect(() => sim.file('etc/pve/firewall/300.fw')).toThrow();
  });
});

describe('cluster aliases, IP sets and security groups', () => {
  it('keeps them in cluster.fw as Proxmox writes it', async () => {
    await sim.ok('pvesh', ['create', '/cluster/firewall/aliases', '--name', 'Router', '--cidr', '10.0.0.1/32', '--comment', 'gw']);
    expect((await pvesh('create', '/cluster/firewall/aliases', '--name', 'router', '--cidr', '10.0.0.2')).stderr).toBe("400 Parameter verification failed.\nname: alias 'router' already exists\n");
    expect((await pvesh('create', '/cluster/firewall/aliases', '--name', 'x', '--cidr', '10.0.0.2')).stderr).toMatch(/name: value must be at least 2 characters long/);
    expect((await pvesh('create', '/cluster/firewall/aliases', '--name', 'nas', '--cidr', '10.0.0.300')).stderr).toMatch(/cidr: invalid format - value does not look like a valid IP address or CIDR network/);
    await sim.ok('pvesh', ['create', '/cluster/firewall/ipset', '--name', 'lan']);
    await sim.ok('pvesh', ['create', '/cluster/firewall/ipset/lan', '--cidr', '10.0.0.77/24']);
    await sim.ok('pvesh', ['create', '/cluster/firewall/ipset/lan', '--cidr', 'router', '--nomatch', '1']);
    expect((await pvesh('create', '/cluster/firewall/ipset/lan', '--cidr', '10.0.0.0/24')).stderr).toBe("400 Parameter verification failed.\ncidr: address '10.0.0.0/24' already exists\n");
    expect((await pvesh('create', '/cluster/firewall/ipset/lan', '--cidr', 'nas')).stderr).toBe("no such alias 'nas'\n");
    expect((await pvesh('create', '/cluster/firewall/ipset/lan', '--cidr', '0.0.0.0/0')).stderr).toBe('400 Parameter verification failed.\ncidr: a zero prefix is not allowed in ipset entries\n');
    expect((await pvesh('delete', '/cluster/firewall/ipset/lan')).stderr).toBe("IPSet 'lan' is not empty\n");
    // pvesh splits the path at "/": an entry with a prefix cannot be named in it.
    const unnamed = await pvesh('delete', '/cluster/firewall/ipset/lan/10.0.0.0/24');
    expect([unnamed.stderr, unnamed.exitCode]).toEqual(["No 'delete' handler defined for '/cluster/firewall/ipset/lan/10.0.0.0/24'\n", 1]);
    await sim.ok('pvesh', ['create', '/cluster/firewall/groups', '--group', 'web', '--comment', 'web servers']);
    await sim.ok('pvesh', ['create', '/cluster/firewall/groups/web', '--type', 'in', '--action', 'ACCEPT', '--macro', 'HTTP', '--enable', '1']);
    expect((await pvesh('create', '/cluster/firewall/groups/web', '--type', 'group', '--action', 'other')).stderr).toBe("400 Parameter verification failed.\ntype: invalid rule type 'group' for rule_env 'group'\n");
    expect((await pvesh('delete', '/cluster/firewall/groups/web')).stderr).toBe("Security group 'web' is not empty\n");
    expect((await pvesh('get', '/cluster/firewall/groups/nope')).stderr).toBe("no such security group 'nope'\n");
    expect(sim.file('etc/pve/firewall/cluster.fw')).toBe(
      '[ALIASES]\n\nRouter 10.0.0.1 # gw\n\n[IPSET lan]\n\n10.0.0.0/24\n!router\n\n[group web] # web servers\n\nIN HTTP(ACCEPT)\n\n',
    );
    await sim.ok('pvesh', ['delete', '/cluster/firewall/ipset/lan', '--force', '1']);
    const aliases = JSON.parse(await sim.ok('pvesh', ['get', '/cluster/firewall/aliases', '--output-format', 'json']));
    expect(aliases).toEqual([{ name: 'Router', cidr: '10.0.0.1', comment: 'gw', digest: expect.stringMatching(/^[0-9a-f]{40}$/) }]);
  });
});

describe("a guest's own aliases and IP sets", () => {
  it('keeps them in <vmid>.fw and resolves aliases by scope as resolve_alias does', async () => {
    await sim.ok('pvesh', ['create', '/cluster/firewall/aliases', '--name', 'gw', '--cidr', '10.0.0.1']);
    await sim.ok('pvesh', ['create', '/nodes/pve/lxc/150/firewall/aliases', '--name', 'nas', '--cidr', '10.0.0.5']);
    await sim.ok('pvesh', ['create', '/nodes/pve/lxc/150/firewall/ipset', '--name', 'ipfilter-net0']);
    await sim.ok('pvesh', ['create', '/nodes/pve/lxc/150/firewall/ipset/ipfilter-net0', '--cidr', 'guest/nas']);
    await sim.ok('pvesh', ['create', '/nodes/pve/lxc/150/firewall/ipset/ipfilter-net0', '--cidr', 'dc/gw']);
    // dc/ looks only at the cluster's aliases, guest/ only at the guest's; at cluster level there is no guest.
    expect((await pvesh('create', '/nodes/pve/lxc/150/firewall/ipset/ipfilter-net0', '--cidr', 'dc/nas')).stderr).toBe("no such alias 'nas'\n");
    await sim.ok('pvesh', ['create', '/cluster/firewall/ipset', '--name', 'lan']);
    expect((await pvesh('create', '/cluster/firewall/ipset/lan', '--cidr', 'guest/gw')).stderr).toBe("no such alias 'gw'\n");
    await sim.ok('pvesh', ['create', RULES.replace('101', '150'), '--type', 'in', '--action', 'ACCEPT', '--source', '+ipfilter-net0', '--enable', '1']);
    expect((await pvesh('create', RULES, '--type', 'in', '--action', 'ACCEPT', '--source', '+ipfilter-net0')).stderr).toBe("400 Parameter verification failed.\nsource: no such ipset 'ipfilter-net0'\n");
    expect(sim.file('etc/pve/firewall/150.fw')).toBe('[ALIASES]\n\nnas 10.0.0.5\n\n[IPSET ipfilter-net0]\n\ndc/gw\nguest/nas\n\n[RULES]\n\nIN ACCEPT -source +ipfilter-net0\n\n');
    expect((await pvesh('create', '/nodes/pve/lxc/150/firewall/groups', '--group', 'web')).stderr).toBe("No 'create' handler defined for '/nodes/pve/lxc/150/firewall/groups'\n");
  });
});
