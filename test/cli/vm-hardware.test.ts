/**
 * VM hardware through the real CLI on the simulated node: a Windows-11-like VM (q35, OVMF with an EFI
 * vars disk, TPM 2.0, an ISO downloaded by phoenix, boot order, serial, vga, disk options, balloon, USB,
 * CPU flags, raw options) is created, reads back with no diff, and each change lands as qemu-server's
 * update path takes it: in place, pending until a restart, or a replacement. The simulated `qm` refuses
 * what qemu-server refuses, in its words.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sim, simTool } from '../acceptance/harness.js';
import { diagnostic, workspace, type Workspace } from './harness.js';

interface Knobs {
  balloon?: number;
  cache?: string;
  cdrom?: string;
  tpmVersion?: string;
  efiStorage?: string;
  tpmStorage?: string;
  options?: string;
  reboot?: boolean;
}

function windowsVm(k: Knobs = {}): string {
  return `node "pve" {
  connection = "simulator"
}

resource "download_file" "installer" {
  node    = "pve"
  content = "iso"
  url     = "https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-13.1.0-amd64-netinst.iso"
}

resource "vm" "win" {
  node      = "pve"
  vmid      = 400
  name      = "win11"
  machine   = "q35"
  bios      = "ovmf"
  cores     = 2
  memory    = 4096
  balloon   = ${k.balloon ?? 2048}
  cpu       = "host"
  cpu_flags = ["+aes", "-pcid"]
  scsihw    = "virtio-scsi-single"
  efidisk {
    storage           = "${k.efiStorage ?? 'local-zfs'}"
    efitype           = "4m"
    pre_enrolled_keys = true
  }
  tpmstate {
    storage = "${k.tpmStorage ?? 'local-zfs'}"
    version = "${k.tpmVersion ?? 'v2.0'}"
  }
  disks {
    slot     = "scsi0"
    storage  = "local-zfs"
    size     = "32G"
    discard  = true
    ssd      = true
    iothread = true
    cache    = "${k.cache ?? 'writeback'}"
  }
  cdrom {
    slot = "ide0"
    file = ${k.cdrom ?? 'download_file.installer.volid'}
  }
  boot   = ["scsi0", "ide0", "net0"]
  serial = ["socket"]
  vga {
    type   = "std"
    memory = 32
  }
  network {
    bridge = "vmbr0"
  }
  usb {
    host = "1a86:55d4"
    usb3 = true
  }
  options = {
    ostype = "win11"
${k.options ?? ''}  }
  reboot_after_update = ${k.reboot ?? true}
}
`;
}

describe('VM hardware on the simulated node', () => {
  let ws: Workspace;
  afterEach(() => ws?.remove());
  const simDir = () => join(ws.dir, '.phoenix-sim');
  const config = () => sim(simDir(), 'qm', 'config', '400');
  const current = () => sim(simDir(), 'qm', 'config', '400', '--current');
  const pending = () => sim(simDir(), 'qm', 'pending', '400');
  const apply = async () => {
    const result = await ws.run(['apply', '-auto-approve']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout;
  };
  const noChanges = async () => expect((await ws.run(['plan', '-detailed-exitcode'])).code).toBe(0);

  it('creates OVMF + TPM + ISO hardware in Proxmox form and reads it back with no diff', async () => {
    ws = workspace({ 'main.hcl': windowsVm() });
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('+ efidisk');
    expect(plan.stdout).toContain('+ tpmstate');
    expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    await apply();
    const conf = config();
    expect(conf).toMatch(/^bios: ovmf$/m);
    expect(conf).toMatch(/^efidisk0: local-zfs:vm-400-disk-\d+,efitype=4m,ms-cert=2023k,pre-enrolled-keys=1,size=528K$/m);
    expect(conf).toMatch(/^tpmstate0: local-zfs:vm-400-disk-\d+,size=4M,version=v2\.0$/m);
    expect(conf).toMatch(/^ide0: local:iso\/debian-13\.1\.0-amd64-netinst\.iso,media=cdrom,size=\d+$/m);
    expect(conf).toMatch(/^boot: order=scsi0;ide0;net0$/m);
    expect(conf).toMatch(/^scsi0: local-zfs:vm-400-disk-\d+,cache=writeback,discard=on,iothread=1,size=32G,ssd=1$/m);
    expect(conf).toMatch(/^cpu: host,flags=\+aes;-pcid$/m);
    expect(conf).toMatch(/^usb0: 1a86:55d4,usb3=1$/m);
    expect(conf).toMatch(/^vga: std,memory=32$/m);
    expect(conf).toMatch(/^serial0: socket$/m);
    expect(conf).toMatch(/^balloon: 2048$/m);
    expect(conf).toMatch(/^ostype: win11$/m);
    // zfs volumes were allocated for the EFI vars and the TPM state.
    expect(sim(simDir(), 'zfs', 'list', '-H', '-o', 'name', '-r', 'rpool/data')).toMatch(/vm-400-disk-0\n.*vm-400-disk-1\n.*vm-400-disk-2/s);
    await noChanges();
  }, 180_000);

  it('changes the medium, balloon and hot-pluggable options in place, with no restart', async () => {
    ws = workspace({ 'main.hcl': windowsVm() });
    await apply();
    ws.write('main.hcl', windowsVm({ balloon: 1024, cdrom: '"none"', options: '    protection = "1"\n    tablet = "0"\n' }));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('# vm.win will be updated in-place');
    expect(plan.stdout).not.toContain('will be restarted');
    expect(plan.stdout).toMatch(/~ balloon += 2048 -> 1024/);
    expect(plan.stdout).toMatch(/\+ protection = "1"/);
    await apply();
    const conf = config();
    expect(conf).toMatch(/^ide0: none,media=cdrom$/m);
    expect(conf).toMatch(/^balloon: 1024$/m);
    expect(conf).toMatch(/^protection: 1$/m);
    expect(conf).toMatch(/^tablet: 0$/m);
    expect(pending()).not.toMatch(/^new /m);
    await noChanges();
  }, 180_000);

  it('restarts for disk options and non-hot-pluggable options only with consent; without it they stay pending and the plan says so', async () => {
    ws = workspace({ 'main.hcl': windowsVm() });
    await apply();

    // With consent: the plan names the restart, apply does it, nothing is left pending.
    ws.write('main.hcl', windowsVm({ cache: 'none', options: '    keyboard = "de"\n' }));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('# vm.win will be updated in-place');
    expect(plan.stdout).toMatch(/disks += \[ # requires restart/);
    expect(plan.stdout).toContain('# VM 400 will be restarted: disks, options');
    expect(plan.stdout).toContain('Apply will restart 1 guest: VM 400 (disks, options).');
    expect(await apply()).toContain('restarting VM 400: disks, options');
    expect(pending()).not.toMatch(/^new /m);
    expect(config()).toMatch(/^scsi0: .*cache=none/m);
    expect(config()).toMatch(/^keyboard: de$/m);
    await noChanges();

    // Without consent: qemu-server keeps them in [PENDING] (vmconfig_update_disk / vmconfig_hotplug_pending "skip").
    ws.write('main.hcl', windowsVm({ cache: 'writethrough', options: '    keyboard = "fr"\n', reboot: false }));
    const consentless = await ws.run(['plan']);
    expect(consentless.stdout).toContain('# VM 400 will not be restarted (reboot_after_update = false): disks, options pending until its next start');
    expect(await apply()).not.toContain('restarting VM 400');
    expect(pending()).toMatch(/^new scsi0: .*cache=writethrough/m);
    expect(pending()).toMatch(/^new keyboard: fr$/m);
    expect(current()).toMatch(/^scsi0: .*cache=none/m);
    const next = await ws.run(['plan', '-detailed-exitcode']);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('Changes pending on the host until the guest restarts (reboot_after_update = false): VM 400 (disks, options).');

    // Consent given later: the restart that applies what is pending is planned and done.
    ws.write('main.hcl', windowsVm({ cache: 'writethrough', options: '    keyboard = "fr"\n' }));
    expect((await ws.run(['plan'])).stdout).toContain('# VM 400 will be restarted');
    await apply();
    expect(pending()).not.toMatch(/^new /m);
    expect(config()).toMatch(/^scsi0: .*cache=writethrough/m);
    await noChanges();
  }, 240_000);

  it('replaces the VM for another TPM version (Proxmox cannot change it later on)', async () => {
    ws = workspace({ 'main.hcl': windowsVm() });
    await apply();
    ws.write('main.hcl', windowsVm({ tpmVersion: 'v1.2' }));
    const plan = await ws.run(['plan']);
    expect(plan.stdout).toContain('# vm.win must be replaced');
    expect(plan.stdout).toMatch(/tpmstate += \{ # forces replacement/);
  }, 180_000);

  it('moves the EFI vars disk online, and the TPM state only with the VM stopped: with consent, or refused at plan', async () => {
    ws = workspace({ 'main.hcl': windowsVm() });
    await apply();
    sim(simDir(), 'pvesm', 'add', 'zfspool', 'tank-vols', '--pool', 'tank', '--content', 'images');

    // qm disk move mirrors a running VM's EFI vars disk: no restart.
    ws.write('main.hcl', windowsVm({ efiStorage: 'tank-vols' }));
    const efi = await ws.run(['plan']);
    expect(efi.stdout).toContain('# vm.win will be updated in-place');
    expect(efi.stdout).not.toContain('will be restarted');
    await apply();
    expect(config()).toMatch(/^efidisk0: tank-vols:vm-400-disk-0,efitype=4m,ms-cert=2023k,pre-enrolled-keys=1,size=528K$/m);
    await noChanges();

    // The TPM state cannot be mirrored (QemuServer.pm clone_disk): without consent to stop the VM the plan refuses.
    ws.write('main.hcl', windowsVm({ efiStorage: 'tank-vols', tpmStorage: 'tank-vols', reboot: false }));
    const refused = await ws.run(['plan']);
    expect(refused.code).toBe(1);
    expect(diagnostic(refused.stderr, /cannot move TPM state while VM is running[\s\S]*reboot_after_update = true/, 'tpmstate {')).toBeDefined();
    expect(simTool(simDir(), 'qm', 'disk', 'move', '400', 'tpmstate0', 'tank-vols').stderr).toContain('cannot move TPM state while VM is running');

    // With consent: stopped, moved, started.
    ws.write('main.hcl', windowsVm({ efiStorage: 'tank-vols', tpmStorage: 'tank-vols' }));
    expect((await ws.run(['plan'])).stdout).toContain('# VM 400 will be restarted: tpmstate');
    expect(await apply()).toContain('restarting VM 400: tpmstate');
    expect(config()).toMatch(/^tpmstate0: tank-vols:vm-400-disk-\d+,size=4M,version=v2\.0$/m);
    expect(sim(simDir(), 'qm', 'status', '400').trim()).toBe('status: running');
    await noChanges();
  }, 240_000);

  it('imports a VM made by hand with OVMF, TPM and disk options, and plans no changes', async () => {
    ws = workspace({
      'main.hcl': `node "pve" {
  connection = "simulator"
}

resource "vm" "hand" {
  vmid    = 450
  name    = "hand"
  machine = "q35"
  bios    = "ovmf"
  cores   = 1
  memory  = 2048
  efidisk {
    storage           = "local-zfs"
    efitype           = "4m"
    pre_enrolled_keys = true
  }
  tpmstate {
    storage = "local-zfs"
    version = "v2.0"
  }
  disks {
    slot    = "scsi0"
    storage = "local-zfs"
    size    = "8G"
    ssd     = true
    discard = true
  }
  boot    = ["scsi0"]
  serial  = ["socket"]
  options = {
    ostype = "win11"
  }
  state = "stopped"
}
`,
    });
    const byHand = simTool(simDir(), 'qm', 'create', '450', '--name', 'hand', '--machine', 'q35', '--bios', 'ovmf', '--memory', '2048', '--cores', '1',
      '--efidisk0', 'local-zfs:1,efitype=4m,pre-enrolled-keys=1', '--tpmstate0', 'local-zfs:1,version=v2.0', '--scsi0', 'local-zfs:8,ssd=1,discard=on',
      '--boot', 'order=scsi0', '--serial0', 'socket', '--ostype', 'win11');
    expect(byHand.code).toBe(0);
    expect((await ws.run(['import', 'vm.hand', '450'])).code).toBe(0);
    await noChanges();
  }, 180_000);

  it('refuses at plan an ISO or a custom CPU model the node does not have, with the caret on the attribute', async () => {
    ws = workspace({ 'main.hcl': windowsVm({ cdrom: '"local:iso/Win11_24H2.iso"' }).replace('cpu       = "host"', 'cpu       = "custom-mine"') });
    expect((await ws.run(['validate'])).code).toBe(0);
    const refused = await ws.run(['plan']);
    expect(refused.code).toBe(1);
    expect(diagnostic(refused.stderr, /ISO not found on node pve[\s\S]*volume local:iso\/Win11_24H2\.iso does not exist/, 'file = "local:iso/Win11_24H2.iso"')).toBeDefined();
    expect(diagnostic(refused.stderr, /CPU model "custom-mine" not found on node pve[\s\S]*Custom cputype 'mine' not found/, 'cpu       = "custom-mine"')).toBeDefined();

    // Uploaded by hand and defined in the datacenter: the plan goes through and the VM is created with them.
    writeFileSync(join(simDir(), 'var/lib/vz/template/iso/Win11_24H2.iso'), 'CD001 windows');
    mkdirSync(join(simDir(), 'etc/pve/virtual-guest'), { recursive: true });
    writeFileSync(join(simDir(), 'etc/pve/virtual-guest/cpu-models.conf'), 'cpu-model: mine\n    flags +aes\n    reported-model kvm64\n');
    await apply();
    expect(config()).toMatch(/^ide0: local:iso\/Win11_24H2\.iso,media=cdrom,size=\d+$/m);
    expect(config()).toMatch(/^cpu: custom-mine,flags=\+aes;-pcid$/m);
  }, 180_000);

  it('refuses at validate what qemu-server refuses, with the caret on the attribute', async () => {
    ws = workspace({ 'main.hcl': windowsVm({ options: '    hugepage = "2"\n' }).replace('"+aes"', '"+avx"').replace('"scsi0", "ide0", "net0"', '"scsi0", "ide3"').replace('cpu       = "host"', 'cpu       = "Skylake"') });
    const result = await ws.run(['validate']);
    expect(result.code).toBe(1);
    const expected: [RegExp, string][] = [
      [/Unknown VM option "hugepage"[\s\S]*hugepages/, 'hugepage = "2"'],
      [/Invalid value for cpu[\s\S]*Built-in cputype 'Skylake' is not defined \(missing 'custom-' prefix\?\)/, 'cpu       = "Skylake"'],
      [/cpu_flags\[0\][\s\S]*VM-specific CPU flags must be a subset of: aes, amd-no-ssb/, 'cpu_flags = ["+avx", "-pcid"]'],
      [/boot\[1\][\s\S]*invalid bootorder: device 'ide3' does not exist'/, 'boot   = ["scsi0", "ide3"]'],
    ];
    for (const [summary, source] of expected) expect(diagnostic(result.stderr, summary, source), `${summary} at ${source}\n${result.stderr}`).toBeDefined();
  });

  it('the simulated qm refuses invalid hardware in qemu-server\'s words', async () => {
    ws = workspace({ 'main.hcl': windowsVm() });
    await apply();
    const qm = (...args: string[]) => simTool(simDir(), 'qm', ...args);
    expect(qm('set', '400', '--cpu', 'Skylake').stderr).toContain("cpu: invalid format - Built-in cputype 'Skylake' is not defined (missing 'custom-' prefix?)");
    expect(qm('set', '400', '--cpu', 'custom-mine').stderr).toContain("Custom cputype 'mine' not found");
    expect(qm('set', '400', '--boot', 'order=scsi0;ide3').stderr).toContain("invalid bootorder: device 'ide3' does not exist'");
    expect(qm('set', '400', '--ide1', 'local:iso/missing.iso,media=cdrom').stderr).toContain('volume local:iso/missing.iso does not exist');
    expect(qm('set', '400', '--ide1', 'local:iso/debian-13.1.0-amd64-netinst.iso').stderr).toContain("ide1: explicit 'media=cdrom' is required for iso images");
    expect(qm('set', '400', '--sata1', 'local-zfs:1,iothread=1').stderr).toContain('sata1.iothread: property is not defined in schema and the schema does not allow additional properties');
    expect(qm('set', '400', '--tpmstate0', 'local-zfs:1,version=v3').stderr).toContain("tpmstate0.version: value 'v3' does not have a value in the enumeration 'v1.2, v2.0'");
    expect(qm('set', '400', '--balloon', '8192').stderr).toContain('balloon value too large (must be smaller than assigned memory)');
    // Getopt::Long takes `--hugepage` as the unique prefix of `hugepages`; the value is checked against its enum.
    expect(qm('set', '400', '--hugepage', '3').stderr).toContain("hugepages: value '3' does not have a value in the enumeration 'any, 2, 1024'");
    // A new CD-ROM joins an explicit boot order (update_vm); on a running VM an ide drive waits for the restart.
    expect(qm('set', '400', '--ide1', 'none,media=cdrom').code).toBe(0);
    expect(pending()).toMatch(/^new boot: order=scsi0;ide0;net0;ide1$/m);
  }, 180_000);
});
