/**
 * A bind mount whose host directory is missing, through the real CLI on the simulated node: a real node
 * refuses to create, start or hot-plug it (pve-container LXC.pm __mountpoint_mount: "directory '/x' does
 * not exist"), so the plan refuses it first, with the caret on the mount point's volume, for a container
 * it creates and for a mount point an update adds. Should the directory vanish between plan and apply,
 * the node's own words reach the operator.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sim, simTool } from '../acceptance/harness.js';
import { rejectedCommands } from '../helpers/sim-commands.js';
import { workspace, type Workspace } from './harness.js';

const mount = (slot: string, volume: string, path: string) => `  mountpoint {
    slot   = "${slot}"
    volume = "${volume}"
    path   = "${path}"
  }
`;

function container(mounts: string): string {
  return `node "pve" {
  connection = "simulator"
}

resource "lxc" "app" {
  vmid       = 110
  hostname   = "app"
  ostemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
${mounts}}
`;
}

describe('bind mounts whose host directory is missing', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const simDir = () => join(ws.dir, '.phoenix-sim');
  /** What the operator does on the host: make or remove a directory. */
  const makeDirectory = (path: string) => mkdirSync(join(simDir(), path), { recursive: true });
  const removeDirectory = (path: string) => rmSync(join(simDir(), path), { recursive: true });
  const config = () => sim(simDir(), 'pct', 'config', '110');

  it('refuses at plan a container whose bind mount has no directory, creating nothing; with the directory made, applies', async () => {
    ws = workspace({ 'main.hcl': container(mount('mp0', '/srv/media', '/media')) });
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Bind mount directory not found on node pve');
    expect(plan.stderr).toContain(`"/srv/media" does not exist on pve: pct create would fail (pve-container: "directory '/srv/media' does not exist")`);
    expect(plan.stderr).toMatch(/\d+:\s+volume = "\/srv\/media"\n\W+\^{12}\n/);
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(1);
    expect(simTool(simDir(), 'pct', 'status', '110').code).not.toBe(0);

    makeDirectory('srv/media');
    const apply = await ws.run(['apply', '-auto-approve']);
    expect([apply.code, apply.stderr]).toEqual([0, '']);
    expect(config()).toMatch(/^mp0: \/srv\/media,mp=\/media$/m);
    expect(sim(simDir(), 'pct', 'status', '110')).toBe('status: running\n');
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
    // Refused on the node: only the reads of the missing directory (plan, then apply's plan) and the
    // status probe above; no pct create was tried.
    const refused = rejectedCommands(simDir()).map((line) => line.split(' -- ')[0]!.split(' => ')[0]);
    expect(refused).toEqual(['stat -L -c %F:%n', 'stat -L -c %F:%n', 'pct status 110']);
  }, 120_000);

  it("refuses at plan a mount point an update adds without its directory; a directory gone after the plan fails the apply in Proxmox's words", async () => {
    ws = workspace({ 'main.hcl': container(mount('mp0', '/srv/media', '/media')) });
    makeDirectory('srv/media');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);

    ws.write('main.hcl', container(mount('mp0', '/srv/media', '/media') + mount('mp1', '/srv/logs', '/logs')));
    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: Bind mount directory not found on node pve');
    expect(plan.stderr).toMatch(/\d+:\s+volume = "\/srv\/logs"\n\W+\^{11}\n/);

    makeDirectory('srv/logs');
    expect((await ws.run(['plan', '-out=add.plan'])).code).toBe(0);
    removeDirectory('srv/logs');
    const apply = await ws.run(['apply', 'add.plan']);
    expect(apply.code).toBe(1);
    // pct set on the running CT: the hotplug fails and Proxmox keeps nothing of the call.
    expect(apply.stderr).toContain("mp1: unable to hotplug mp1: directory '/srv/logs' does not exist");
    expect(config()).not.toMatch(/^mp1:/m);

    makeDirectory('srv/logs');
    expect((await ws.run(['apply', '-auto-approve'])).code).toBe(0);
    expect(config()).toMatch(/^mp1: \/srv\/logs,mp=\/logs$/m);
    expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);
  }, 120_000);
});
