# The node itself: a mirrored pool for local backups, the NAS as NFS storage, a host feature capping the
# ZFS ARC, and a nightly backup job of the app containers.

resource "zfs_pool" "backup" {
  name   = "backup"
  ashift = 12
  vdev {
    type  = "mirror"
    disks = ["/dev/disk/by-id/ata-HOMELAB_BACKUP_A", "/dev/disk/by-id/ata-HOMELAB_BACKUP_B"]
  }
  properties = {
    autotrim = "on"
  }
  # A rehearsal pool: `phoenix destroy` may remove it. Pools that hold data keep the default (false).
  allow_destroy = true
}

resource "zfs_dataset" "dumps" {
  # Referencing the pool creates the dataset after it.
  name = "${zfs_pool.backup.name}/dumps"
  properties = {
    compression = "zstd"
  }
  storage {
    id      = "backup-dumps"
    type    = "dir"
    content = ["backup"]
  }
}

resource "storage" "nas" {
  id            = "nas"
  type          = "nfs"
  server        = "10.0.10.5"
  export        = "/export/proxmox"
  content       = ["backup", "iso"]
  options       = "vers=4.2"
  prune_backups = { keep-weekly = 4, keep-monthly = 6 }
}

resource "feature" "zfs_arc" {
  host   = true
  name   = "zfs-arc"
  script = file("features/host-zfs-arc.sh")
  inputs = {
    arc_max_gb = "8"
  }
}

resource "backup_job" "nightly" {
  id            = "homelab-nightly"
  schedule      = "02:30"
  storage       = zfs_dataset.dumps.storage.id
  vmids         = [for app in lxc.app : app.vmid]
  mode          = "snapshot"
  compress      = "zstd"
  prune_backups = { keep-daily = 7, keep-weekly = 4 }
  comment       = "App containers, weekly copies go to the NAS"
}
