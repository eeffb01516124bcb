/**
 * Storages and backup jobs phoenix did not create (no ownership proof exists for them): a declared one that
 * already exists is refused at plan with the import command; a create the node refuses because the ID is
 * taken keeps no pending record, so the next plan never adopts the stranger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from '../cli/harness.js';
import { sim } from '../acceptance/harness.js';

const CONFIG = `
resource "storage" "nas" {
  id      = "nas"
  type    = "nfs"
  server  = "10.0.0.5"
  export  = "/export/pve"
  content = ["backup"]
}
`;

describe("objects that are not phoenix's", () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());

  it('refuses a storage ID taken on the node at plan, and never adopts it after a refused create', async () => {
    ws = workspace({ 'main.hcl': CONFIG });
    const simDir = join(ws.dir, '.phoenix-sim');
    sim(simDir, 'pvesm', 'add', 'nfs', 'nas', '--server', '10.9.9.9', '--export', '/theirs', '--content', 'iso');

    const plan = await ws.run(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('storage ID nas is already taken on the node');
    expect(plan.stderr).toContain('phoenix import storage.nas nas');

    const raced = await ws.run(['apply', '-refresh=false', '-auto-approve']);
    expect(raced.code).toBe(1);
    expect(raced.stderr).toContain("storage ID 'nas' already defined");
    const again = await ws.run(['plan']);
    expect(again.stdout + again.stderr).not.toContain('Adopted');
    expect(again.stderr).toContain('is already taken on the node');
    expect(readFileSync(join(simDir, 'etc/pve/storage.cfg'), 'utf8')).toContain('export /theirs');
  });
});
