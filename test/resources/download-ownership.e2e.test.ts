/**
 * Ownership of downloaded files (os_template, download_file) through the real CLI on the simulator.
 * Proxmox keeps no notes on ISO images or templates, so phoenix proves a file is its download by content:
 * after `kill -9` between the start of a download and the state write, the next plan adopts a file only
 * when Proxmox confirms it matches the create's checksum; and it never deletes a file replaced since it
 * downloaded it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until, workspace, type Workspace } from '../cli/harness.js';
import { injectFaults, sim } from '../acceptance/harness.js';

const TEMPLATE = 'debian-12-standard_12.12-1_amd64.tar.zst';
/** What the simulated appliance index serves for TEMPLATE (src/sim/storage/remote.ts applianceContent). */
const TEMPLATE_BYTES = `simulated appliance ${TEMPLATE}\n`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const CONFIG = `
resource "os_template" "debian" {
  template = "${TEMPLATE}"
}

resource "download_file" "tool" {
  content            = "iso"
  url                = "https://files.example/tool.iso"
  checksum           = "${sha256('the real tool iso')}"
  checksum_algorithm = "sha256"
}

resource "download_file" "bare" {
  content = "iso"
  url     = "https://files.example/bare.iso"
}
`;

/** Kills the simulator commands still running for this node (downloads hung by a fault). */
function killSimulatorCommands(simDir: string): void {
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (`${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(`PHOENIX_SIM_DIR=${simDir}\0`)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already, or not ours to read
    }
  }
}

describe('downloaded files are phoenix\'s only with proof', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const simDir = () => join(ws.dir, '.phoenix-sim');
  const file = (dir: 'cache' | 'iso', name: string) => join(simDir(), 'var/lib/vz/template', dir, name);

  it('after kill -9 mid-download, adopts only a file whose content Proxmox verifies; leaves the others untouched and never deletes them', async () => {
    ws = workspace({ 'main.hcl': CONFIG });
    sim(simDir(), 'pvesm', 'status'); // lays out the simulated node
    mkdirSync(join(simDir(), 'var/sim/remote/files.example'), { recursive: true });
    writeFileSync(join(simDir(), 'var/sim/remote/files.example/tool.iso'), 'the real tool iso');
    writeFileSync(join(simDir(), 'var/sim/remote/files.example/bare.iso'), 'the real bare iso');
    injectFaults(simDir(), [
      { match: 'pveam download', action: 'hang', times: 1 },
      { match: 'download-url', action: 'hang', times: 2 },
    ]);

    // The apply records its three pending creates, starts the downloads, and is killed.
    const apply = ws.start(['apply', '-auto-approve']);
    const journal = 'phoenix.state.json.journal';
    await until(() => ws.exists(journal) && ['os_template.debian', 'download_file.tool', 'download_file.bare'].every((a) => ws.read(journal).includes(`"${a}"`)));
    apply.child.kill('SIGKILL');
    await apply.result;
    killSimulatorCommands(simDir());
    rmSync(join(simDir(), 'faults.json'));

    // What the node holds now: the template as the index serves it (the download finished), and at the
    // ISO names files someone else put there — one with other content, one phoenix cannot check.
    writeFileSync(file('cache', TEMPLATE), TEMPLATE_BYTES);
    writeFileSync(file('iso', 'tool.iso'), 'a hand-made tool iso');
    writeFileSync(file('iso', 'bare.iso'), 'the real bare iso');

    const plan = await ws.run(['plan']);
    expect(plan.stderr).toMatch(/Adopted an object from an interrupted create[\s\S]*os_template\.debian/);
    expect(plan.stderr).toContain('download_file.tool was being created when a previous run stopped or failed');
    expect(plan.stderr).toContain('its content does not match the checksum of the download');
    expect(plan.stderr).toContain('no checksum is declared, so phoenix cannot tell the file it was downloading from one put there by someone else');
    // The files it refused are in the way of the creates: the plan stops with the import command.
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('phoenix import download_file.tool local:iso/tool.iso');
    expect(plan.stderr).toContain('phoenix import download_file.bare local:iso/bare.iso');
    // Proving changed nothing: the refused files keep their content.
    expect(readFileSync(file('iso', 'tool.iso'), 'utf8')).toBe('a hand-made tool iso');
    expect(readFileSync(file('iso', 'bare.iso'), 'utf8')).toBe('the real bare iso');

    // Destroy (which reconciles the same way) deletes what phoenix owns and only that.
    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.code).toBe(0);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 1 destroyed');
    expect(JSON.parse(ws.read('phoenix.state.json'))).toMatchObject({ resources: [], pending: [] });
    expect(existsSync(file('cache', TEMPLATE))).toBe(false);
    expect(readFileSync(file('iso', 'tool.iso'), 'utf8')).toBe('a hand-made tool iso');
    expect(readFileSync(file('iso', 'bare.iso'), 'utf8')).toBe('the real bare iso');
  }, 90_000);

  it('after kill -9 mid-delete, the files still on the node stay in state and the next destroy deletes them', async () => {
    ws = workspace({ 'main.hcl': CONFIG.replace(/resource "download_file" "bare"[\s\S]*$/, '') });
    sim(simDir(), 'pvesm', 'status');
    mkdirSync(join(simDir(), 'var/sim/remote/files.example'), { recursive: true });
    writeFileSync(join(simDir(), 'var/sim/remote/files.example/tool.iso'), 'the real tool iso');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    injectFaults(simDir(), [
      { match: 'pveam remove', action: 'hang', times: 1 },
      { match: '/^pvesh delete .*content/', action: 'hang', times: 1 },
    ]);

    // The destroy records both pending deletes, starts them, and is killed before either deleted anything.
    const destroy = ws.start(['destroy', '-auto-approve']);
    const journal = 'phoenix.state.json.journal';
    await until(() => ws.exists(journal) && (ws.read(journal).match(/"action":"delete"/g) ?? []).length === 2);
    destroy.child.kill('SIGKILL');
    await destroy.result;
    killSimulatorCommands(simDir());
    rmSync(join(simDir(), 'faults.json'));
    expect(existsSync(file('cache', TEMPLATE))).toBe(true);
    expect(existsSync(file('iso', 'tool.iso'))).toBe(true);

    // The next plan reads each file where it is: still there, so still phoenix's to delete.
    const plan = await ws.run(['plan', '-destroy']);
    expect(plan.stdout).toContain('Plan: 0 to add, 0 to change, 2 to destroy.');
    const again = await ws.run(['destroy', '-auto-approve']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Destroy complete! Resources: 2 destroyed');
    expect(existsSync(file('cache', TEMPLATE))).toBe(false);
    expect(existsSync(file('iso', 'tool.iso'))).toBe(false);
  }, 90_000);

  it('a downloaded file replaced by hand is not phoenix\'s any more: dropped from state, never deleted', async () => {
    ws = workspace({ 'main.hcl': `resource "os_template" "debian" {\n  template = "${TEMPLATE}"\n}\n` });
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    const replace = () => {
      rmSync(file('cache', TEMPLATE));
      writeFileSync(file('cache', TEMPLATE), 'a template someone built by hand\n');
    };

    // Without a refresh the destroy plans the delete; the delete sees the file is not the one it downloaded.
    replace();
    const raced = await ws.run(['destroy', '-refresh=false', '-auto-approve']);
    expect(raced.code).toBe(1);
    expect(raced.stderr).toContain(`local:vztmpl/${TEMPLATE} was replaced outside phoenix: not deleted`);
    expect(readFileSync(file('cache', TEMPLATE), 'utf8')).toBe('a template someone built by hand\n');
    expect(ws.stateAddresses()).toEqual([]);

    // With a refresh the plan itself sees it (import, then replace by hand again).
    expect((await ws.run(['import', 'os_template.debian', `local:vztmpl/${TEMPLATE}`])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // a new ctime second
    replace();
    const destroy = await ws.run(['destroy', '-auto-approve']);
    expect(destroy.stderr).toContain('Object replaced outside phoenix');
    expect(destroy.code).toBe(0);
    expect(readFileSync(file('cache', TEMPLATE), 'utf8')).toBe('a template someone built by hand\n');
  }, 90_000);
});
