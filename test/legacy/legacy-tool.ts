/**
 * Builds an estate on the simulator the way the legacy bash orchestrator did, straight from its JSON
 * (independently of src/legacy): `zfs create -o ...` + `pvesm add` per dataset, then one guest at a
 * time in dependency order with `pct create`/`pct clone`/`pct set`/lxc.* lines appended to the config/
 * `pct start`/`pct snapshot`, and the cloud-image VM template with `qm create`/`qm template`/`qm clone`.
 * No phoenix state is involved: this is what `phoenix import -all` has to adopt.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

/** Legacy JSON is untyped by nature: the emulator reads it as loosely as the bash scripts did. */
type Json = any;

const SIM_BIN = join(ROOT, 'dist/sim/bin');
/** The simulator seeds this template in `local`; the legacy path points at the fastData ISO storage. */
const SIM_TEMPLATE = 'local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst';
const NVIDIA_MAJOR = 195;

export class LegacyTool {
  readonly commands: string[][] = [];

  constructor(readonly simDir: string) {
    mkdirSync(simDir, { recursive: true });
  }

  /** hypervisor_feature_setup_zfs.sh create_zfs_pools: one zpool create per pool. */
  createPools(hypervisor: Json): void {
    for (const pool of hypervisor.zfs.pools) {
      const level = String(pool.raid_level).toLowerCase();
      this.run('zpool', 'create', '-o', 'autotrim=on', '-O', 'compression=lz4', '-O', 'atime=off', pool.name, ...(level === 'mirror' ? ['mirror'] : level === 'raidz1' ? ['raidz1'] : []), ...pool.disks);
    }
  }

  /** hypervisor_feature_setup_nfs.sh: every export added back as an NFS storage from the node's own address. */
  addNfsStorages(hypervisor: Json): void {
    const server = String(hypervisor.network.interfaces.address).split('/')[0]!;
    for (const share of hypervisor.nfs.exports) {
      const id = `nfs-${String(share.path).split('/').pop()}`;
      this.run('pvesm', 'add', 'nfs', id, '--server', server, '--export', share.path, '--content', 'images,iso,vztmpl,backup,snippets', '--path', `/mnt/nfs/${id}`, '--options', 'vers=4,soft,timeo=30,retrans=3');
    }
  }

  run(tool: string, ...args: string[]): string {
    this.commands.push([tool, ...args]);
    return execFileSync(process.execPath, [join(SIM_BIN, tool), ...args], { env: { ...process.env, PHOENIX_SIM_DIR: this.simDir }, encoding: 'utf8' });
  }

  /** hypervisor_feature_setup_zfs.sh: datasets with their properties, then the Proxmox storages. */
  setupZfs(hypervisor: Json): void {
    for (const d of hypervisor.zfs.datasets) {
      const props = String(d.properties).split(',').flatMap((p) => ['-o', p]);
      this.run('zfs', 'create', '-o', `mountpoint=/${d.pool}/${d.name}`, ...props, `${d.pool}/${d.name}`);
    }
    for (const d of hypervisor.zfs.datasets) {
      const id = `${d.pool}-${d.name}`;
      if (d.proxmox_storage_type === 'zfspool') this.run('pvesm', 'add', 'zfspool', id, '--pool', `${d.pool}/${d.name}`, '--content', d.proxmox_content_type);
      else this.run('pvesm', 'add', 'dir', id, '--path', `/${d.pool}/${d.name}`, '--content', d.proxmox_content_type, '--shared', '1');
    }
  }

  /** phoenix-cli's dispatcher: clone sources and dependencies first, one guest at a time. */
  createContainers(lxc: Json, hypervisor: Json): void {
    const configs: Record<string, Json> = lxc.lxc_configs;
    const done = new Set<string>();
    const visit = (id: string): void => {
      if (done.has(id) || !configs[id]) return;
      done.add(id);
      const c = configs[id];
      if (c.clone_from_ctid) visit(String(c.clone_from_ctid));
      for (const dep of c.dependencies ?? []) visit(String(dep));
      this.createContainer(id, c, configs, hypervisor);
    };
    for (const id of Object.keys(configs).sort((a, b) => Number(a) - Number(b))) visit(id);
  }

  private createContainer(id: string, c: Json, configs: Record<string, Json>, hypervisor: Json): void {
    const n = c.network_config;
    const net0 = [`name=${n.name}`, `bridge=${n.bridge}`, `ip=${n.ip}`, `gw=${n.gw}`, `hwaddr=${c.mac_address}`, ...(c.firewall?.enabled ? ['firewall=1'] : [])].join(',');
    if (c.clone_from_ctid) {
      const source = configs[String(c.clone_from_ctid)];
      this.run('pct', 'clone', String(c.clone_from_ctid), id, '--snapname', source.template_snapshot_name, '--hostname', c.name, '--storage', c.storage_pool, '--full', '1');
    } else {
      this.run('pct', 'create', id, SIM_TEMPLATE, '--hostname', c.name, '--memory', String(c.memory_mb), '--cores', String(c.cores), '--storage', c.storage_pool, '--rootfs', `${c.storage_pool}:${c.storage_size_gb}`, '--net0', net0, '--unprivileged', c.unprivileged ? '1' : '0');
    }
    const set = ['--memory', String(c.memory_mb), '--cores', String(c.cores), '--onboot', c.start_at_boot ? '1' : '0', '--startup', `order=${c.boot_order ?? 0},up=${c.boot_delay ?? 0}`, '--net0', net0];
    if (c.swap_mb) set.push('--swap', String(c.swap_mb));
    if ((c.pct_options ?? []).includes('nesting=1')) set.push('--features', 'nesting=1');
    this.run('pct', 'set', id, ...set);
    // The legacy resize only ever grew a clone's disk (Proxmox refuses to shrink or keep the size).
    if (c.clone_from_ctid && c.storage_size_gb > this.diskGb(configs, String(c.clone_from_ctid))) this.run('pct', 'resize', id, 'rootfs', `${c.storage_size_gb}G`);
    this.appendLxcLines(id, c);
    const bindMounts = this.addMountPoints(id, c, hypervisor);
    this.run('pct', 'start', id);
    // lxc-manager.sh's create workflow: "pre-configured" (enable_lifecycle_snapshots) before the features,
    // the template snapshot after them, then "final-form"; each skipped when it exists. Proxmox cannot
    // snapshot a container with a bind mount ("snapshot feature is not available"): the legacy tool's
    // snapshots of such a container fail and the estate has none.
    const taken = new Set<string>();
    const snapshot = (name: string | undefined) => {
      if (!name || bindMounts || taken.has(name)) return;
      taken.add(name);
      this.run('pct', 'snapshot', id, name);
    };
    if (c.enable_lifecycle_snapshots) snapshot('pre-configured');
    snapshot(c.template_snapshot_name);
    if (c.enable_lifecycle_snapshots) snapshot('final-form');
  }

  private diskGb(configs: Record<string, Json>, id: string): number {
    const c = configs[id];
    return Math.max(c.storage_size_gb ?? 0, c.clone_from_ctid ? this.diskGb(configs, String(c.clone_from_ctid)) : 0);
  }

  /**
   * lxc-manager.sh appends apparmor, lxc_options and GPU passthrough lines to /etc/pve/lxc/ID.conf.
   * apply_apparmor_profile writes a profile other than "unconfined" (plus the nesting lines when
   * apparmor_manages_nesting); "unconfined" only removes the line.
   */
  private appendLxcLines(id: string, c: Json): void {
    const lines = new Set<string>();
    if (c.apparmor_profile && c.apparmor_profile !== 'unconfined') {
      lines.add(`lxc.apparmor.profile: ${c.apparmor_profile}`);
      if (c.apparmor_manages_nesting === true) ['lxc.apparmor.allow_nesting: 1', 'lxc.include: /usr/share/lxc/config/nesting.conf'].forEach((l) => lines.add(l));
    }
    for (const option of c.lxc_options ?? []) {
      const m = /^(lxc\.[A-Za-z0-9._]+)\s*[=:]\s*(.*)$/.exec(option);
      if (m) lines.add(`${m[1]}: ${m[2]}`);
    }
    const gpus = String(c.gpu_assignment ?? 'none') === 'none' ? [] : String(c.gpu_assignment).split(',').map((g) => g.trim());
    if (gpus.length > 0) {
      lines.add(`lxc.cgroup2.devices.allow: c ${NVIDIA_MAJOR}:* rwm`);
      for (const dev of [...gpus.map((g) => `nvidia${g}`), 'nvidiactl', 'nvidia-uvm', 'nvidia-uvm-tools']) lines.add(`lxc.mount.entry: /dev/${dev} dev/${dev} none bind,optional,create=file`);
    }
    if (lines.size > 0) appendFileSync(join(this.simDir, `etc/pve/nodes/pve/lxc/${id}.conf`), [...lines].map((l) => `${l}\n`).join(''));
  }

  /** zfs_volumes allocate a volume on their storage; mount_points and shared_volumes are bind mounts. */
  /** Returns whether any mount point is a bind mount of a host path. */
  private addMountPoints(id: string, c: Json, hypervisor: Json): boolean {
    const mounts: string[] = [];
    for (const v of c.zfs_volumes ?? []) mounts.push(`${v.pool}:${v.size_gb},mp=${v.mount_point}`);
    for (const m of c.mount_points ?? []) mounts.push(`${m.host_path},mp=${m.container_path}`);
    for (const volume of Object.values(hypervisor.shared_volumes ?? {}) as Json[]) {
      const path = volume.mounts?.[id];
      if (path && !(c.mount_points ?? []).some((m: Json) => m.container_path === path)) mounts.push(`${volume.host_path},mp=${path}`);
    }
    mounts.forEach((spec, i) => this.run('pct', 'set', id, `--mp${i}`, spec));
    return mounts.some((spec) => spec.startsWith('/'));
  }

  /** vm-manager.sh: the cloud-image template, then full clones configured with cloud-init. */
  createVms(vm: Json): void {
    const d = vm.vm_defaults;
    for (const v of vm.vms) {
      const cores = String(v.cores ?? d.cores);
      const memory = String(v.memory_mb ?? d.memory_mb);
      const ip = v.network_config?.ip === 'dhcp' ? 'ip=dhcp' : `ip=${v.network_config.ip},gw=${v.network_config.gw}`;
      if (v.is_template) {
        this.run('qm', 'create', String(v.vmid), '--name', v.name, '--memory', memory, '--cores', cores, '--net0', `virtio,bridge=${d.network_bridge}`, '--scsihw', 'virtio-scsi-pci',
          '--scsi0', `${d.storage_pool}:0,import-from=/var/lib/vz/template/iso/${v.template_image}`, '--ide2', `${d.storage_pool}:cloudinit`, '--boot', 'order=scsi0', '--agent', 'enabled=1',
          '--ciuser', v.user_config.username, '--ipconfig0', ip);
        this.run('qm', 'resize', String(v.vmid), 'scsi0', `${d.disk_size_gb}G`);
        this.run('qm', 'template', String(v.vmid));
        continue;
      }
      this.run('qm', 'clone', String(v.clone_from_vmid), String(v.vmid), '--name', v.name, '--full', '1');
      this.run('qm', 'set', String(v.vmid), '--cores', cores, '--memory', memory, '--onboot', v.start_at_boot ? '1' : '0', '--startup', `order=${v.boot_order},up=${v.boot_delay}`, '--ciuser', v.user_config.username, '--ipconfig0', ip);
      this.run('qm', 'start', String(v.vmid));
    }
  }
}
