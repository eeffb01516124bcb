/**
 * The simulated node's view of the internet: what `wget URL` would fetch. Built-in entries stand for the
 * downloads a homelab really makes (the Proxmox appliance index, a Debian cloud image, an ISO); tests and
 * users add more as files under `<sim dir>/var/sim/remote/<host>/<path>`. The built-in files are small
 * stand-ins with the right magic bytes (a qcow2 image starts with "QFI\xfb"), so format checks behave.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { SimEnv } from '../core/env.js';

/** The appliance index `pveam available` lists (PVE::APLInfo, section "system"). */
export const APPLIANCE_INDEX_URL = 'http://download.proxmox.com/images/system';

export const APPLIANCES = [
  'alpine-3.20-default_20240908_amd64.tar.xz',
  'alpine-3.22-default_20250617_amd64.tar.xz',
  'debian-12-standard_12.7-1_amd64.tar.zst',
  'debian-12-standard_12.12-1_amd64.tar.zst',
  'debian-13-standard_13.1-2_amd64.tar.zst',
  'ubuntu-22.04-standard_22.04-1_amd64.tar.zst',
  'ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
];

const BUILT_IN: Record<string, () => Buffer> = {
  'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2': () => qcow2('debian-12-genericcloud-amd64'),
  'https://cloud.debian.org/images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2': () => qcow2('debian-13-genericcloud-amd64'),
  'https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-13.1.0-amd64-netinst.iso': () => Buffer.from('CD001 simulated debian-13.1.0-amd64-netinst\n'),
  ...Object.fromEntries(APPLIANCES.map((name) => [`${APPLIANCE_INDEX_URL}/${name}`, () => applianceContent(name)])),
};

/** The bytes of an appliance template as the index serves it (seeded templates hold the same). */
export function applianceContent(name: string): Buffer {
  return Buffer.from(`simulated appliance ${name}\n`);
}

function qcow2(name: string): Buffer {
  return Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]), Buffer.from(` simulated ${name}\n`)]);
}

/** The body `wget URL` would save, or undefined when the server answers 404. */
export function fetchRemote(env: SimEnv, url: string): Buffer | undefined {
  const match = /^https?:\/\/([^/]+)(\/[^?#]*)?/.exec(url);
  if (match) {
    const file = env.path('var/sim/remote', match[1]!, match[2] ?? '/');
    if (existsSync(file)) return readFileSync(file);
  }
  return BUILT_IN[url]?.();
}

export function digest(algorithm: string, content: Buffer): string {
  return createHash(algorithm).update(content).digest('hex');
}
