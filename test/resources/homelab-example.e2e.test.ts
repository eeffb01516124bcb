/**
 * The shipped example estate (examples/homelab) applied on a fresh simulated node through the CLI:
 * everything is created without one command refused by the node, and planning again finds nothing to
 * change (no perpetual diffs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { copyExampleConfig } from '../helpers/example.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { sim } from '../acceptance/harness.js';

const CLI = resolve('dist/cli/main.js');

function phoenix(dir: string, ...args: string[]): string {
  return execFileSync(process.execPath, [CLI, `-chdir=${dir}`, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('examples/homelab on the simulator', () => {
  it('applies the whole estate, then plans no changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phoenix-homelab-'));
    copyExampleConfig(resolve('examples/homelab'), dir);

    const applied = phoenix(dir, 'apply', '-auto-approve');
    expect(applied).toContain('Apply complete! Resources: 45 added, 0 changed, 0 destroyed.');
    expect(applied).toMatch(/feature\.app_docker\["jellyfin"\]: feature docker already present in guest 211/);

    const conf = readFileSync(join(dir, '.phoenix-sim/etc/pve/nodes/pve/lxc/211.conf'), 'utf8');
    expect(conf).toContain('mp1: /tank/media,mp=/srv/media,ro=1');
    expect(conf).toContain('lxc.mount.entry: /dev/nvidia0 dev/nvidia0 none bind,optional,create=file');
    // The desktop VM: UEFI with Secure Boot keys, a TPM 2.0 and the ISO phoenix downloaded.
    const desktop = readFileSync(join(dir, '.phoenix-sim/etc/pve/nodes/pve/qemu-server/310.conf'), 'utf8');
    expect(desktop).toMatch(/^efidisk0: local-zfs:vm-310-disk-\d+,efitype=4m,ms-cert=2023k,pre-enrolled-keys=1,size=528K$/m);
    expect(desktop).toMatch(/^tpmstate0: local-zfs:vm-310-disk-\d+,size=4M,version=v2\.0$/m);
    expect(desktop).toMatch(/^ide0: images:iso\/debian-13\.1\.0-amd64-netinst\.iso,media=cdrom/m);
    // The id-mapped container: its uid/gid 1000 mapped through, the photo dataset owned by them on the node.
    const photos = readFileSync(join(dir, '.phoenix-sim/etc/pve/nodes/pve/lxc/220.conf'), 'utf8');
    expect(photos).toContain('lxc.idmap: u 1000 1000 1');
    expect(photos).toContain('mp0: /tank/photos,mp=/photos,mountoptions=noatime;nodev;nosuid');
    expect(sim(join(dir, '.phoenix-sim'), 'stat', '-c', '%u:%g', '/tank/photos')).toBe('1000:1000\n');
    expect(conf).toMatch(/^net0: .*firewall=1/m);
    // firewall.hcl: the app's rules in order, behind its options.
    expect(readFileSync(join(dir, '.phoenix-sim/etc/pve/firewall/211.fw'), 'utf8')).toContain(
      '[RULES]\n\nGROUP web\nIN SSH(ACCEPT) -source +admins # ssh from the admin machines\nIN ACCEPT -source 10.0.10.0/24 -p tcp -dport 8096 # jellyfin from the LAN\nOUT DNS(ACCEPT) -dest router\n',
    );
    // The cluster firewall is on (without it no rule acts) and the node keeps its GUI and SSH open to the admins.
    expect(readFileSync(join(dir, '.phoenix-sim/etc/pve/firewall/cluster.fw'), 'utf8')).toMatch(/^\[OPTIONS\]\n\nenable: 1\n\n/);
    expect(readFileSync(join(dir, '.phoenix-sim/etc/pve/nodes/pve/host.fw'), 'utf8')).toBe(
      '[OPTIONS]\n\nenable: 1\nlog_level_in: info\ntcpflags: 1\n\n[RULES]\n\nIN ACCEPT -source +admins -p tcp -dport 8006 # web GUI from the admin machines\nIN SSH(ACCEPT) -source +admins # ssh from the admin machines\n\n',
    );

    // The node refused nothing: every command was valid for Proxmox, none failed and was retried away.
    expect(rejectedCommands(join(dir, '.phoenix-sim'))).toEqual([]);
    expect(phoenix(dir, 'plan')).toContain('No changes.');
  }, 300_000);
});
