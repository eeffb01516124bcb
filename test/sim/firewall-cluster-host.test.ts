/**
 * The simulated pvesh for the cluster's and a node's own firewall against pve-firewall: cluster.fw and
 * host.fw [OPTIONS] (API2/Firewall/Cluster.pm and Host.pm set_options, $cluster_option_properties,
 * $host_option_properties) and their rule lists (Rules.pm ClusterRules, HostRules; verify_rule's rule_env).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

const pvesh = (...args: string[]) => sim.run('pvesh', args);
const getJson = async (path: string) => JSON.parse(await sim.ok('pvesh', ['get', path, '--output-format', 'json'])) as Record<string, string | number>;

describe('cluster options', () => {
  const path = '/cluster/firewall/options';

  it('stores what set_options accepts, refuses what its schema refuses', async () => {
    expect(await getJson(path)).toEqual({ digest: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }); // SHA-1 of nothing
    await sim.ok('pvesh', ['set', path, '--enable', '1', '--policy_in', 'REJECT', '--log_ratelimit', 'enable=1,rate=10/minute,burst=20']);
    expect(await getJson(path)).toMatchObject({ enable: 1, policy_in: 'REJECT', log_ratelimit: 'enable=1,rate=10/minute,burst=20' });
    expect((await pvesh('set', path, '--policy_forward', 'REJECT')).stderr).toMatch(/^400 Parameter verification failed\.\npolicy_forward: value 'REJECT' does not have a value in the enumeration 'ACCEPT, DROP'\n/);
    expect((await pvesh('set', path, '--log_ratelimit', 'rate=0/second')).stderr).toMatch(/log_ratelimit\.rate: value does not match the regex pattern/);
    expect((await pvesh('set', path, '--enable', '-1')).stderr).toMatch(/enable: value must have a minimum value of 0/);
    expect((await pvesh('set', path, '--ndp', '1')).stderr).toMatch(/^Unknown option: ndp\n400 unable to parse option\n/); // a guest option, not a cluster one
    expect((await pvesh('set', path, '--delete', 'ndp')).stderr).toBe("400 Parameter verification failed.\ndelete: no such option 'ndp'\n");
    expect((await pvesh('set', path, '--ebtables', '0', '--digest', '0'.repeat(40))).stderr).toBe('detected modified configuration - file changed by other user? Try again.\n');
    expect(sim.file('etc/pve/firewall/cluster.fw')).toBe('[OPTIONS]\n\nenable: 1\nlog_ratelimit: enable=1,rate=10/minute,burst=20\npolicy_in: REJECT\n\n');
  });

  it('turns an enable above 1 into a timestamp, as the anti-lockout call does', async () => {
    await sim.ok('pvesh', ['set', path, '--enable', '2']);
    const stored = Number(/enable: (\d+)/.exec(sim.file('etc/pve/firewall/cluster.fw'))![1]);
    expect(Math.abs(stored - Date.now() / 1000)).toBeLessThan(60);
    expect((await getJson(path)).enable).toBe(stored); // still fresh: read as it is
  });
});

describe('node options', () => {
  const path = '/nodes/pve/firewall/options';

  it('keeps them in the node\'s host.fw and checks the host schema', async () => {
    await sim.ok('pvesh', ['set', path, '--enable', '0', '--log_level_in', 'info', '--nf_conntrack_helpers', 'ftp,tftp', '--tcpflags', 'yes']);
    expect(await getJson(path)).toMatchObject({ enable: 0, log_level_in: 'info', nf_conntrack_helpers: 'ftp,tftp', tcpflags: 1 });
    expect(sim.file('etc/pve/nodes/pve/host.fw')).toBe('[OPTIONS]\n\nenable: 0\nlog_level_in: info\nnf_conntrack_helpers: ftp,tftp\ntcpflags: 1\n\n');
    const refused = (await pvesh('set', path, '--nf_conntrack_max', '1000', '--nf_conntrack_helpers', 'ftp,gopher', '--nf_conntrack_tcp_timeout_syn_recv', '61')).stderr;
    expect(refused).toBe(
      '400 Parameter verification failed.\n' +
        'nf_conntrack_helpers: invalid format - unknown helper gopher at /usr/share/perl5/PVE/Firewall.pm line 1167.\n' +
        'nf_conntrack_max: value must have a minimum value of 32768\n' +
        'nf_conntrack_tcp_timeout_syn_recv: value must have a maximum value of 60\n' +
        'pvesh set <api_path> [OPTIONS] [FORMAT_OPTIONS]\n',
    );
    expect((await pvesh('set', path, '--policy_in', 'DROP')).stderr).toMatch(/^Unknown option: policy_in\n/); // policies are cluster-wide
    expect((await pvesh('get', '/nodes/other/firewall/options')).code).not.toBe(0);
    await sim.ok('pvesh', ['set', path, '--delete', 'enable,log_level_in,nf_conntrack_helpers,tcpflags']);
    expect(() => sim.file('etc/pve/nodes/pve/host.fw')).toThrow(); // save_hostfw_conf unlinks an empty config
  });
});

describe('cluster and node rules', () => {
  it('allow forward and group rules and any host interface, as rule_env cluster and host do', async () => {
    await sim.ok('pvesh', ['create', '/cluster/firewall/rules', '--type', 'in', '--action', 'ACCEPT', '--macro', 'ssh', '--iface', 'vmbr0', '--enable', '1']);
    await sim.ok('pvesh', ['create', '/nodes/pve/firewall/rules', '--type', 'forward', '--action', 'DROP', '--iface', 'vmbr1.20', '--enable', '1']);
    await sim.ok('pvesh', ['create', '/nodes/pve/firewall/rules', '--type', 'group', '--action', 'mgmt', '--enable', '1']);
    expect((await pvesh('create', '/cluster/firewall/rules', '--type', 'forward', '--action', 'REJECT')).stderr).toBe('400 Parameter verification failed.\naction: cannot define REJECT rules on forward chain\n');
    expect((await pvesh('create', '/nodes/pve/firewall/rules', '--type', 'in', '--action', 'ACCEPT', '--source', '+nope')).stderr).toBe("400 Parameter verification failed.\nsource: no such ipset 'nope'\n");
    expect(sim.file('etc/pve/firewall/cluster.fw')).toBe('[RULES]\n\nIN SSH(ACCEPT) -i vmbr0\n\n');
    expect(sim.file('etc/pve/nodes/pve/host.fw')).toBe('[RULES]\n\nGROUP mgmt\nFORWARD DROP -i vmbr1.20\n\n');
    const listed = JSON.parse(await sim.ok('pvesh', ['get', '/nodes/pve/firewall/rules', '--output-format', 'json'])) as Record<string, unknown>[];
    expect(listed.map((r) => [r.pos, r.type, r.action])).toEqual([[0, 'group', 'mgmt'], [1, 'forward', 'DROP']]);
  });
});
