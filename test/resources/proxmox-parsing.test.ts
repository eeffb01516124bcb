import { describe, expect, it } from 'vitest';
import { formatPropertyString, parsePropertyString } from '../../src/resources/proxmox/property-string.js';
import { formatSize, normalizeSize, parseSize, toGiB } from '../../src/resources/proxmox/sizes.js';
import { normalizeTags, parseGuestConfig, splitGrepOutput } from '../../src/resources/proxmox/guest-config.js';
import { classifyHostError, hostErrorDiagnostic } from '../../src/resources/proxmox/errors.js';
import { setArguments } from '../../src/resources/proxmox/set-arguments.js';

describe('property strings', () => {
  it('parses a bare leading value under the default key', () => {
    const p = parsePropertyString('local-zfs:subvol-100-disk-0,size=8G', 'volume');
    expect(Object.fromEntries(p)).toEqual({ volume: 'local-zfs:subvol-100-disk-0', size: '8G' });
  });
  it('prints the leading key first and the rest alphabetically, skipping unset values', () => {
    expect(formatPropertyString([['name', 'eth0']], { ip: 'dhcp', bridge: 'vmbr0', tag: undefined })).toBe('name=eth0,bridge=vmbr0,ip=dhcp');
  });
});

describe('sizes', () => {
  it('treats 8G, 8192M and a bare 8 (GiB) as the same size', () => {
    expect(normalizeSize('8192M')).toBe('8G');
    expect(normalizeSize('8')).toBe('8G');
    expect(parseSize('8G')).toBe(8 * 1024 ** 3);
  });
  it('keeps sizes that are not whole in a larger unit', () => {
    expect(formatSize(1536 * 1024 ** 2)).toBe('1536M');
    expect(formatSize(1024 ** 4)).toBe('1T');
  });
  it('gives fractional GiB for the STORAGE:SIZE allocation syntax', () => {
    expect(toGiB(512 * 1024 ** 2)).toBe('0.5');
  });
  it('rejects text that is not a size', () => {
    expect(parseSize('big')).toBeUndefined();
  });
});

describe('guest config files', () => {
  const text = [
    '#web%20server',
    '#second line',
    'arch: amd64',
    'hostname: web',
    'tags: b;a',
    'lxc.apparmor.profile: unconfined',
    '',
    '[pve:pending]',
    'memory: 4096',
    '',
    '[base]',
    'hostname: old',
  ].join('\n');
  const config = parseGuestConfig(text);
  it('reads the config as the next start will run it (pending applied), keeping raw lxc lines apart', () => {
    expect(config.options).toEqual({ arch: 'amd64', hostname: 'web', tags: 'b;a', memory: '4096' });
    expect(config.pendingKeys).toEqual(['memory']);
    expect(config.rawLxc).toEqual(['lxc.apparmor.profile: unconfined']);
  });
  it('applies pending deletes and names them among the pending keys', () => {
    const pending = parseGuestConfig(['hostname: web', 'mp0: /srv,mp=/srv', 'features: nesting=1', '', '[pve:pending]', 'delete: mp0', 'features: nesting=1,keyctl=1'].join('\n'));
    expect(pending.options).toEqual({ hostname: 'web', features: 'nesting=1,keyctl=1' });
    expect(pending.pendingKeys).toEqual(['features', 'mp0']);
  });
  it('decodes the description from comment lines', () => {
    expect(config.description).toBe('web server\nsecond line');
  });
  it('lists snapshot sections but not the pending section', () => {
    expect(config.snapshots).toEqual(['base']);
  });
  it('splits grep -H output by the requested paths, including empty lines', () => {
    const out = '/s/a:1.conf/x.conf:k: v\n/s/a:1.conf/x.conf:\n/s/y.conf:z: 1\n';
    expect(splitGrepOutput(out, ['/s/a:1.conf/x.conf', '/s/y.conf'])).toEqual(
      new Map([
        ['/s/a:1.conf/x.conf', 'k: v\n'],
        ['/s/y.conf', 'z: 1'],
      ]),
    );
  });
  it('normalises tags like Proxmox: lowercase, sorted, unique', () => {
    expect(normalizeTags(['Web', 'db', 'web'])).toEqual(['db', 'web']);
  });
});

describe('host error classification', () => {
  it.each([
    ["Configuration file 'nodes/pve/lxc/999.conf' does not exist", 'missing'],
    ["CT 101 already exists on node 'pve'", 'exists'],
    ["can't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout", 'locked'],
    ["cannot destroy 'tank/a': filesystem has children", 'has-children'],
    ['CT 100 not running', 'not-running'],
  ])('%s → %s', (stderr, kind) => {
    expect(classifyHostError(stderr)).toBe(kind);
  });
});

describe('set arguments', () => {
  it('sends only changed options and deletes removed ones, never required ones', () => {
    const args = setArguments({ cores: '2', memory: '512', tags: 'a', net0: 'x' }, { cores: '4', memory: undefined, net0: 'x' }, new Set(['memory']));
    expect(args).toEqual(['--cores', '4', '--delete', 'tags']);
  });
});

describe('host error diagnostics', () => {
  it('quote the host but never a password from the command line', () => {
    const d = hostErrorDiagnostic('creating CT 101', {
      argv: ['pct', 'create', '101', 'local:vztmpl/x.tar.zst', '--password', 'hunter22'],
      exitCode: 255,
      stdout: '',
      stderr: "CT 101 already exists on node 'pve'\n",
      timedOut: false,
      durationMs: 1,
    });
    expect(d.summary).toBe("creating CT 101 failed: CT 101 already exists on node 'pve'");
    expect(d.detail).toContain('--password (sensitive value)');
    expect(d.detail).not.toContain('hunter22');
  });
});
