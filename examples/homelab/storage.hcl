# Datasets live on the `tank` pool. Media is shared read-only into the app containers; appdata gets one
# child per app. `vols` is registered as Proxmox storage for guest disks.

resource "zfs_dataset" "media" {
  name = "tank/media"
  properties = {
    compression = "lz4"
    recordsize  = "1M"
    atime       = "off"
    quota       = "2T"
  }
}

resource "zfs_dataset" "appdata" {
  name      = "tank/appdata"
  recursive = true
  properties = {
    compression = "zstd"
    xattr       = "sa"
    acltype     = "posixacl"
  }
}

resource "zfs_dataset" "app" {
  for_each = var.apps
  name     = "${zfs_dataset.appdata.name}/${each.key}"
  properties = {
    quota = "50G"
  }
}

resource "zfs_dataset" "vols" {
  name = "tank/vols"
  properties = {
    compression = "lz4"
  }
  storage {
    id      = "tank-vols"
    type    = "zfspool"
    content = ["images", "rootdir"]
  }
}
