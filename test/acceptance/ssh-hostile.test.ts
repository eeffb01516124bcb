/**
 * Issue 3, "Done means" — ssh: a node reached over `ssh://` against a real sshd on 127.0.0.1 whose
 * "remote" side runs the simulator's executables. An lxc description full of shell metacharacters must
 * reach the host byte for byte, never be interpreted by the remote shell, and plan clean afterwards.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';
import { authenticationCount, sshdAvailable, startSshd, type TestSshd } from '../helpers/sshd.js';
import { SIM_BIN, sim } from './harness.js';
import { hclString } from '../../src/bench/hostile-strings.js';

describe.skipIf(!sshdAvailable())('an lxc over ssh with a hostile description', () => {
  let sshd: TestSshd;
  let ws: Workspace;
  let simDir: string;
  let canary: string;
  let description: string;

  beforeAll(async () => {
    sshd = await startSshd();
    ws = workspace();
    simDir = join(ws.dir, 'remote-node');
    canary = join(ws.dir, 'CANARY');
    description = [
      `Managed by phoenix: ; rm -rf /tmp/x`,
      `$(touch ${canary}) and \`touch ${canary}\``,
      `"; touch ${canary}; echo "  '; touch ${canary}; echo '`,
      `it's a "quoted" | touch ${canary} && echo \${HOME} > ${canary}`,
    ].join('\n');
    const remotePath = [SIM_BIN, dirname(process.execPath), '/usr/bin', '/bin'].join(':');
    ws.write(
      'main.hcl',
      `node "pve" {
  connection           = "ssh://${sshd.user}@127.0.0.1:${sshd.port}"
  ssh_identity_file    = ${hclString(sshd.identityFile)}
  ssh_known_hosts_file = ${hclString(sshd.knownHostsFile)}
  pve_root             = ${hclString(simDir)}
  ssh_env = {
    PATH            = ${hclString(remotePath)}
    PHOENIX_SIM_DIR = ${hclString(simDir)}
    LC_ALL          = "C"
  }
}

resource "lxc" "hostile" {
  vmid        = 120
  hostname    = "hostile"
  ostemplate  = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
  description = ${hclString(description)}
}
`,
    );
  });
  afterAll(async () => {
    ws?.remove();
    await sshd?.stop();
  });

  it('stores the description byte for byte and never runs any of it', async () => {
    const apply = await ws.run(['apply', '-auto-approve']);
    expect(apply.stderr).toBe('');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');

    // `pct config` prints the description percent-encoded, ending in an encoded newline (proxmox-cli.md).
    const printed = /^description: (.*)$/m.exec(sim(simDir, 'pct', 'config', '120'))?.[1];
    expect(printed).toBeDefined();
    // Byte for byte, followed by phoenix's ownership proof line (see src/resources/proxmox/ownership.ts).
    expect(decodeURIComponent(printed!)).toMatch(new RegExp(`^${escapeRegExp(description)}\\nphoenix-owner: [0-9a-f-]+ lxc/120\\n$`));
    expect(existsSync(canary)).toBe(false);
    expect(authenticationCount(sshd)).toBeGreaterThan(0); // the commands really went through sshd
  });

  it('then plans no changes over the same connection', async () => {
    const plan = await ws.run(['plan', '-detailed-exitcode']);
    expect(plan.stderr).toBe('');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    expect(existsSync(canary)).toBe(false);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
