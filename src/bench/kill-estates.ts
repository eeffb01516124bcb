/**
 * What the kill campaign (src/bench/kill-campaign.ts) applies and destroys. `compact` (the default): one
 * object of every kind phoenix creates on a node — a pool, datasets with and without a storage, an NFS
 * storage, a backup job, two containers (one cloned), a VM, a template and an ISO download — so a kill
 * lands often inside a create or delete of each. `homelab`: examples/homelab (27 objects, slower per kill).
 * Both get the two downloads, so files are killed mid-create too.
 */
import { createHash } from 'node:crypto';

export type Estate = 'compact' | 'homelab';

export const ISO_BODY = 'CD001 the kill campaign iso\n';

export const DOWNLOADS = `
resource "os_template" "campaign" {
  template = "alpine-3.22-default_20250617_amd64.tar.xz"
}

resource "download_file" "campaign" {
  content            = "iso"
  url                = "https://files.example/campaign.iso"
  checksum           = "${createHash('sha256').update(ISO_BODY).digest('hex')}"
  checksum_algorithm = "sha256"
}
`;

export const COMPACT = `
node "pve" {
  connection = "simulator"
}

resource "zfs_pool" "kc" {
  name = "kc"
  vdev {
    type  = "mirror"
    disks = ["/dev/disk/by-id/ata-HOMELAB_BACKUP_A", "/dev/disk/by-id/ata-HOMELAB_BACKUP_B"]
  }
  allow_destroy = true
}

resource "zfs_dataset" "dumps" {
  name = "\${zfs_pool.kc.name}/dumps"
  storage {
    id      = "kc-dumps"
    type    = "dir"
    content = ["backup"]
  }
}

resource "zfs_dataset" "data" {
  name       = "tank/kc-data"
  properties = { compression = "lz4" }
}

resource "zfs_dataset" "child" {
  name = "\${zfs_dataset.data.name}/child"
}

resource "storage" "nas" {
  id      = "kc-nas"
  type    = "nfs"
  server  = "10.0.10.5"
  export  = "/export/kc"
  content = ["backup"]
}

resource "lxc" "source" {
  vmid       = 700
  hostname   = "kc-source"
  ostemplate = os_template.campaign.volid
  template   = true
  rootfs {
    storage = "local-zfs"
    size    = "4G"
  }
}

resource "lxc" "copy" {
  vmid     = 701
  hostname = "kc-copy"
  clone {
    source_vmid = lxc.source.vmid
  }
}

resource "vm" "box" {
  vmid   = 800
  name   = "kc-box"
  memory = 1024
  disks {
    slot    = "scsi0"
    storage = "local-zfs"
    size    = "4G"
  }
}

resource "backup_job" "nightly" {
  id       = "kc-nightly"
  schedule = "02:30"
  storage  = zfs_dataset.dumps.storage.id
  vmids    = [lxc.source.vmid, lxc.copy.vmid]
}
`;
