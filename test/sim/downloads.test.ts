/**
 * The simulated node's downloads as Proxmox runs them: `pveam` (pve-manager PVE/CLI/pveam.pm, Nodes.pm
 * apl_download) and the storage-content API through pvesh (pve-storage API2/Storage/Status.pm download_url,
 * Content.pm). Worker tasks print their failure on stderr and still exit 0 — phoenix must look at stderr.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSim, type Sim } from './helpers.js';

let sim: Sim;
beforeEach(() => {
  sim = createSim();
});
afterEach(() => sim.cleanup());

const CLOUD = 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2';
const TEMPLATE = 'debian-12-standard_12.12-1_amd64.tar.zst';
const downloadUrl = (...options: string[]) => sim.run('pvesh', ['create', '/nodes/pve/storage/local/download-url', ...options]);

/** A file the simulated internet serves at https://files.example/NAME. */
function serve(name: string, content: Buffer | string): string {
  const dir = join(sim.dir, 'var/sim/remote/files.example');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), content);
  return `https://files.example/${name}`;
}

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

describe('pveam', () => {
  it('lists the index, downloads a template checked against it, and lists it on the storage', async () => {
    expect(await sim.ok('pveam', ['available', '--section', 'system'])).toMatch(/^system {10}debian-12-standard_12\.12-1_amd64\.tar\.zst +amd64$/m);
    const download = await sim.run('pveam', ['download', 'local', TEMPLATE]);
    expect(download).toMatchObject({ exitCode: 0, stderr: '' });
    expect(download.stdout).toContain('calculating checksum...OK, checksum verified');
    expect(await sim.ok('pveam', ['list', 'local'])).toContain(`local:vztmpl/${TEMPLATE}`);
    const again = await sim.run('pveam', ['download', 'local', TEMPLATE]);
    expect(again.stdout).toContain('OK, got correct file already, no need to download');
  });

  it('rejects templates not in the index and storages without templates, as Proxmox does', async () => {
    const unknown = await sim.run('pveam', ['download', 'local', 'nope-1.0.tar.zst']);
    expect(unknown).toMatchObject({ exitCode: 255, stderr: '400 Parameter verification failed.\ntemplate: no such template\npveam download <storage> <template>\n' });
    const zfs = await sim.run('pveam', ['download', 'local-zfs', TEMPLATE]);
    expect(zfs.stderr).toBe("storage 'local-zfs' does not support templates\n");
    expect((await sim.run('pveam', ['list', 'local-zfs'])).stderr).toBe('Storage does not support templates!\n');
  });

  it('removes a template; a missing one is removed silently (an unchecked unlink)', async () => {
    await sim.ok('pveam', ['download', 'local', TEMPLATE]);
    expect(await sim.run('pveam', ['remove', `local:vztmpl/${TEMPLATE}`])).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await sim.ok('pveam', ['list', 'local'])).not.toContain(TEMPLATE);
    expect(await sim.run('pveam', ['remove', `local:vztmpl/${TEMPLATE}`])).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await sim.run('pveam', ['remove', 'local:iso/x.iso'])).stderr).toBe("unable to use volume local:iso/x.iso - content type needs to be 'vztmpl'\n");
  });
});

describe('pvesh create /nodes/N/storage/S/download-url', () => {
  beforeEach(async () => {
    await sim.ok('pvesm', ['set', 'local', '--content', 'iso,vztmpl,backup,import']);
  });

  it('downloads, verifies the checksum and lists the file; a mismatch stores nothing and exits 0 with the error on stderr', async () => {
    const url = serve('image.qcow2', Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb]), Buffer.from('disk')]));
    const bad = await downloadUrl(`--url=${url}`, '--content=import', '--filename=image.qcow2', `--checksum=${'0'.repeat(64)}`, '--checksum-algorithm=sha256');
    expect(bad.exitCode).toBe(0);
    expect(bad.stdout).toMatch(/^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:download:image\.qcow2:root@pam:$/m);
    expect(bad.stderr).toMatch(/^checksum mismatch: got '[0-9a-f]{64}' != expect '0{64}'\n$/);
    expect(existsSync(join(sim.dir, 'var/lib/vz/import/image.qcow2'))).toBe(false);

    const good = await downloadUrl(`--url=${url}`, '--content=import', '--filename=image.qcow2', `--checksum=${sha256(Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb]), Buffer.from('disk')]))}`, '--checksum-algorithm=sha256');
    expect(good).toMatchObject({ exitCode: 0, stderr: '' });
    const listed = JSON.parse(await sim.ok('pvesh', ['get', '/nodes/pve/storage/local/content', '--content', 'import', '--output-format', 'json']));
    // The node also holds the cloud images it was seeded with (src/sim/core/init.ts SEEDED_IMAGES).
    const downloaded = listed.filter((v: { volid: string }) => v.volid === 'local:import/image.qcow2');
    expect(downloaded).toEqual([expect.objectContaining({ volid: 'local:import/image.qcow2', content: 'import', format: 'qcow2', size: 8 })]);
  });

  it('refuses what download_url refuses: bad extension, unknown URL, checksum without algorithm, content the storage lacks, a non-qcow2 image', async () => {
    expect((await downloadUrl(`--url=${CLOUD}`, '--content=iso', '--filename=debian.qcow2')).stderr).toBe('400 Parameter verification failed.\nfilename: wrong file extension\n');
    expect((await downloadUrl(`--url=${CLOUD}`, '--content=import', '--filename=d e.qcow2')).exitCode).toBe(0); // normalised to d_e.qcow2
    expect((await downloadUrl('--url=ftp://x/y.iso', '--content=iso', '--filename=y.iso')).stderr).toContain('url: value does not match the regex pattern');
    expect((await downloadUrl(`--url=${CLOUD}`, '--content=import', '--filename=x.qcow2', '--checksum=ab')).stderr).toContain("checksum-algorithm: parameter is missing and it is required by 'checksum'");
    const missing = await downloadUrl('--url=https://files.example/none.iso', '--content=iso', '--filename=none.iso');
    expect(missing.exitCode).toBe(0);
    expect(missing.stderr).toMatch(/^download failed: command 'wget --progress=dot:giga -O \/var\/lib\/vz\/template\/iso\/none\.iso\.tmp_dwnl\.\d+ https:\/\/files\.example\/none\.iso' failed: exit code 8\n$/);
    expect((await sim.run('pvesh', ['create', '/nodes/pve/storage/local-zfs/download-url', `--url=${CLOUD}`, '--content=import', '--filename=x.qcow2'])).stderr).toBe(
      "can't upload to storage type 'zfspool', not a file based storage!\n",
    );
    const notQcow2 = await downloadUrl(`--url=${serve('fake.qcow2', 'plain text')}`, '--content=import', '--filename=fake.qcow2');
    expect(notQcow2.stderr).toBe('failed to verify file: failed to query file information with qemu-img\n');
  });

  it('deletes a file through the content API; a missing file ends the task with a warning', async () => {
    await downloadUrl(`--url=${CLOUD}`, '--content=import', '--filename=debian.qcow2');
    const removed = await sim.run('pvesh', ['delete', '/nodes/pve/storage/local/content/local:import/debian.qcow2']);
    expect(removed).toMatchObject({ exitCode: 0, stderr: '' });
    expect(removed.stdout).toContain("Removed volume 'local:import/debian.qcow2'");
    const again = await sim.run('pvesh', ['delete', '/nodes/pve/storage/local/content/local:import/debian.qcow2']);
    expect(again).toMatchObject({ exitCode: 0, stderr: 'Task finished with 1 warning(s)!\n' });
  });
});
