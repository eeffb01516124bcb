# A photo library (Immich-style) in an unprivileged container that shares files with the host's uid 1000:
# `id_map` maps the container's uid and gid 1000 straight through, phoenix writes the full `lxc.idmap`
# ranges around them (every other id stays shifted to 100000 + id), and `owner_uid`/`owner_gid` chown the
# bind-mounted dataset to the mapped owner on the node — the plan shows it as `host_owner = "1000:1000"`.
# On a real node root must be allowed to map those ids: `root:1000:1` in /etc/subuid and /etc/subgid.
# The iGPU's render node is passed through for transcoding (`device`), readable by the container's
# `render` group (gid 104 on Debian 12).

resource "zfs_dataset" "photos" {
  name = "tank/photos"
  properties = {
    compression = "lz4"
    recordsize  = "1M"
  }
}

resource "lxc" "photos" {
  vmid         = 220
  hostname     = "photos"
  ostemplate   = local.template
  unprivileged = true
  cores        = 4
  cpulimit     = 2
  cpuunits     = 200
  memory       = 4096
  rootfs {
    storage = "local-zfs"
    size    = "16G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.10.20/24"
    gw     = var.gateway
  }
  features {
    nesting = true
  }
  id_map {
    container_uid = 1000
    host_uid      = 1000
    container_gid = 1000
    host_gid      = 1000
  }
  device {
    path = "/dev/dri/renderD128"
    gid  = 104
    mode = "0660"
  }
  mountpoint {
    slot          = "mp0"
    volume        = zfs_dataset.photos.mountpoint
    path          = "/photos"
    mount_options = ["noatime", "nodev", "nosuid"]
    owner_uid     = 1000
    owner_gid     = 1000
  }
  tags        = concat(local.tags, ["photos"])
  description = "Photo library: uid/gid 1000 shared with the host. Managed by phoenix."
}
