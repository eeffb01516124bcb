import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGuestConfig } from '../../src/resources/proxmox/guest-config.js';
import { lxcAttrsFromConfig, normalizeLxc, settableOptions } from '../../src/resources/lxc/options.js';
import { completeLxcPlanned, diffLxc } from '../../src/resources/lxc/diff.js';
import { gpuLines, ownedRawLines, REWRITE_RAW_LINES_SCRIPT, splitRawLines } from '../../src/resources/lxc/raw-config.js';

const stored = parseGuestConfig(
  [
    'cores: 2',
    'features: keyctl=1,nesting=1',
    'hostname: web',
    'memory: 1024',
    'net0: name=eth0,bridge=vmbr0,gw=10.0.0.1,hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.5/24,type=veth',
    'rootfs: local-zfs:subvol-101-disk-0,size=8G',
    'tags: db;web',
    'mp0: /tank/media,mp=/media,backup=1',
    'unprivileged: 1',
  ].join('\n'),
);

describe('lxc normalisation', () => {
  it('makes config and the stored config compare equal', () => {
    const fromHost = lxcAttrsFromConfig(stored);
    const config = normalizeLxc({
      rootfs: { storage: 'local-zfs', size: '8192M' },
      tags: ['Web', 'db', 'web'],
      features: { nesting: true, keyctl: true },
      network: [{ name: 'eth0', bridge: 'vmbr0', ip: '10.0.0.5/24', gw: '10.0.0.1' }],
      mountpoint: [{ slot: 'mp0', volume: '/tank/media', path: '/media', backup: true }],
    });
    expect(config.rootfs).toEqual(fromHost.rootfs);
    expect(config.tags).toEqual(fromHost.tags);
    expect(config.features).toEqual(fromHost.features);
    expect(config.mountpoint).toEqual(fromHost.mountpoint);
  });

  it('keeps the generated MAC: a NIC without hwaddr shows no diff and is sent back with the MAC', () => {
    const prior = { ...lxcAttrsFromConfig(stored), vmid: 101 };
    const planned = normalizeLxc({ ...prior, network: [{ name: 'eth0', bridge: 'vmbr0', ip: '10.0.0.5/24', gw: '10.0.0.1' }] });
    const diff = diffLxc(prior, planned, { changed: [['network']], replacePaths: [], restartPaths: [] });
    expect(diff.changed).toEqual([]);
  });

  it('completes the planned NIC with the generated MAC, so plans and references show the kept MAC', () => {
    const prior = { ...lxcAttrsFromConfig(stored), vmid: 101 };
    const planned = normalizeLxc({ ...prior, network: [{ name: 'eth0', bridge: 'vmbr1', ip: 'dhcp' }] });
    const completed = completeLxcPlanned(prior, planned);
    expect((completed.network as { hwaddr: string }[])[0]!.hwaddr).toBe('BC:24:11:AA:BB:CC');
  });

  it('sends the network with name first and the MAC included', () => {
    expect(settableOptions(lxcAttrsFromConfig(stored)).net0).toBe('name=eth0,bridge=vmbr0,gw=10.0.0.1,hwaddr=BC:24:11:AA:BB:CC,ip=10.0.0.5/24');
  });
});

describe('lxc change classification', () => {
  const prior = normalizeLxc({ ...lxcAttrsFromConfig(stored), vmid: 101, template: false });
  const classify = (planned: Record<string, unknown>, path: string) =>
    diffLxc(prior, normalizeLxc({ ...prior, ...planned } as never), { changed: [[path]], replacePaths: [], restartPaths: [] });

  it('grows the rootfs in place, moves it to another storage with a restart, replaces only on shrink', () => {
    expect(classify({ rootfs: { storage: 'local-zfs', size: '16G' } }, 'rootfs').replacePaths).toEqual([]);
    expect(classify({ rootfs: { storage: 'local-zfs', size: '4G' } }, 'rootfs').replacePaths).toEqual([['rootfs']]);
    // pct move-volume needs the container stopped (pve-container API2/LXC.pm move_volume): a restart, not a new disk.
    const moved = classify({ rootfs: { storage: 'tank', size: '8G' } }, 'rootfs');
    expect(moved.replacePaths).toEqual([]);
    expect(moved.restartPaths).toEqual([['rootfs']]);
  });
  it('marks features and nameserver as restart, unprivileged as replace', () => {
    expect(classify({ features: { nesting: false } }, 'features').restartPaths).toEqual([['features']]);
    expect(classify({ nameserver: '1.1.1.1' }, 'nameserver').restartPaths).toEqual([['nameserver']]);
    expect(classify({ unprivileged: false }, 'unprivileged').replacePaths).toEqual([['unprivileged']]);
  });
  it('adopts create-only attributes an imported container has no record of', () => {
    expect(classify({ ostemplate: 'local:vztmpl/debian.tar.zst' }, 'ostemplate').changed).toEqual([]);
  });
  it('treats unset optional attributes as "keep what the host has"', () => {
    expect(classify({ cores: null }, 'cores').changed).toEqual([]);
  });
});

describe('raw lxc lines', () => {
  it('recognises GPU lines and keeps the rest as lxc_raw', () => {
    const lines = ['lxc.apparmor.profile: unconfined', ...gpuLines([0, 1])];
    expect(splitRawLines(lines)).toEqual({ lxcRaw: ['lxc.apparmor.profile: unconfined'], gpus: [0, 1] });
  });
  it('reports incomplete GPU lines as raw lines, so the drift shows', () => {
    const lines = gpuLines([0]).slice(0, 2);
    expect(splitRawLines(lines)).toEqual({ lxcRaw: lines, gpus: [] });
  });
  it('the rewrite script replaces the lxc.* lines it wrote in the current section and keeps everything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phoenix-raw-'));
    const file = join(dir, '101.conf');
    writeFileSync(file, '#desc\nhostname: web\nlxc.old: 1\nmemory: 512\n\n[snap]\nhostname: web\nlxc.old: 1\n');
    execFileSync('perl', ['-e', REWRITE_RAW_LINES_SCRIPT, file, '1', 'lxc.old: 1', 'lxc.apparmor.profile: unconfined', 'lxc.cap.drop: ']);
    expect(readFileSync(file, 'utf8')).toBe(
      '#desc\nhostname: web\nmemory: 512\nlxc.apparmor.profile: unconfined\nlxc.cap.drop: \n\n[snap]\nhostname: web\nlxc.old: 1\n',
    );
  });
  it('the rewrite script copes with a config without a final newline', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'phoenix-raw-')), '102.conf');
    writeFileSync(file, 'hostname: web\nunprivileged: 1');
    execFileSync('perl', ['-e', REWRITE_RAW_LINES_SCRIPT, file, '0', 'lxc.apparmor.profile: unconfined']);
    expect(readFileSync(file, 'utf8')).toBe('hostname: web\nunprivileged: 1\nlxc.apparmor.profile: unconfined\n');
  });
  it('the rewrite script keeps raw lines it did not write and the env option (lxc.environment.runtime)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'phoenix-raw-')), '103.conf');
    writeFileSync(file, 'hostname: web\nlxc.environment.runtime: TZ=UTC\nlxc.mount.auto = proc:rw\nlxc.cap.drop: sys_admin\n');
    execFileSync('perl', ['-e', REWRITE_RAW_LINES_SCRIPT, file, '2', 'lxc.cap.drop: sys_admin', 'lxc.environment.runtime: TZ=UTC', 'lxc.cap.drop: ']);
    expect(readFileSync(file, 'utf8')).toBe('hostname: web\nlxc.environment.runtime: TZ=UTC\nlxc.mount.auto = proc:rw\nlxc.cap.drop: \n');
  });
  it('reads as lxc_raw only the raw lines phoenix wrote, all of them on import, never the env lines', () => {
    const host = ['lxc.environment.runtime: TZ=UTC', 'lxc.mount.auto: proc:rw', 'lxc.apparmor.profile: unconfined'];
    expect(ownedRawLines(host, ['lxc.apparmor.profile: unconfined'], [])).toEqual(['lxc.apparmor.profile: unconfined']);
    expect(ownedRawLines(host, undefined, undefined)).toEqual(['lxc.mount.auto: proc:rw', 'lxc.apparmor.profile: unconfined']);
  });
});
