# The base container is built once: features are installed, then a snapshot is taken. The snapshot's
# triggers tie it to the feature hashes, so a new Docker version retakes it; clones reference the
# snapshot, so they are created only after it exists. Features and the snapshot name their guest in
# replace_triggered_by: when the guest is replaced (a new, empty container), they are made again.

resource "lxc" "base" {
  vmid       = 900
  hostname   = "base"
  ostemplate = local.template
  cores      = 2
  memory     = 2048
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "dhcp"
  }
  unprivileged = true
  features {
    nesting = true
    keyctl  = true
  }
  ssh_public_keys = var.ssh_public_key
  tags            = concat(local.tags, ["base"])
  description     = "Golden image: Docker and the NVIDIA userland. Managed by phoenix."
}

resource "feature" "docker" {
  guest  = lxc.base.vmid
  name   = "docker"
  script = file("features/docker.sh")
  inputs = {
    version = var.docker_version
  }
  lifecycle {
    replace_triggered_by = [lxc.base]
  }
}

resource "feature" "nvidia" {
  guest    = lxc.base.vmid
  name     = "nvidia"
  script   = file("features/nvidia.sh")
  requires = ["docker"]
  inputs = {
    driver_version = "550.127.05"
  }
  depends_on = [feature.docker]
  lifecycle {
    replace_triggered_by = [lxc.base]
  }
}

resource "snapshot" "base_final" {
  guest       = lxc.base.vmid
  name        = "final"
  description = "base with docker and nvidia"
  triggers = {
    docker = feature.docker.sha256
    nvidia = feature.nvidia.sha256
  }
  lifecycle {
    replace_triggered_by = [lxc.base]
  }
}

resource "lxc" "app" {
  for_each = var.apps
  vmid     = each.value.vmid
  hostname = each.key
  clone {
    source_vmid = lxc.base.vmid
    snapshot    = snapshot.base_final.name
    full        = true
  }
  cores  = 2
  memory = each.value.memory
  rootfs {
    storage = "local-zfs"
    size    = "16G"
  }
  network {
    name     = "eth0"
    bridge   = var.bridge
    ip       = "${each.value.ip}/24"
    gw       = var.gateway
    firewall = true # firewall.hcl: the rules of firewall_rules.app apply on this NIC
  }
  nameserver = local.nameserver
  onboot     = true
  startup {
    order = 2
    up    = 15
  }
  # Per-app data, plus the media library read-only for the apps that serve media.
  mountpoint = concat(
    [{ slot = "mp0", volume = zfs_dataset.app[each.key].mountpoint, path = "/srv/appdata", backup = true }],
    each.value.media ? [{ slot = "mp1", volume = zfs_dataset.media.mountpoint, path = "/srv/media", read_only = true }] : [],
  )
  tags    = concat(local.tags, ["app"])
  gpus    = each.key == "jellyfin" ? [0] : []
  lxc_raw = each.key == "jellyfin" ? ["lxc.cgroup2.devices.allow: c 508:* rwm"] : []
  health_check {
    name     = "docker"
    command  = "docker info >/dev/null"
    retries  = 5
    interval = 3
  }
}

# The same feature declared on a clone: its marker came with the snapshot, so nothing runs again.
resource "feature" "app_docker" {
  for_each = var.apps
  guest    = lxc.app[each.key].vmid
  name     = "docker"
  script   = file("features/docker.sh")
  inputs = {
    version = var.docker_version
  }
  lifecycle {
    replace_triggered_by = [lxc.app[each.key]]
  }
}
