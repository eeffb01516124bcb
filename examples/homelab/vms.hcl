# A cloud-init VM template built from a Debian cloud image, and two full clones of it.

resource "vm" "debian_template" {
  vmid   = 9000
  name   = "debian-12-cloud"
  cores  = 2
  memory = 2048
  cpu    = "x86-64-v2-AES"
  disks {
    slot        = "scsi0"
    storage     = "local-zfs"
    size        = "16G"
    import_from = download_file.debian_cloud.path
  }
  network {
    bridge = var.bridge
  }
  cloud_init {
    user            = "ops"
    ssh_public_keys = var.ssh_public_key
    ipconfig        = ["ip=dhcp"]
  }
  agent    = true
  template = true
  tags     = concat(local.tags, ["template"])
}

resource "vm" "k3s" {
  count = 2
  vmid  = 301 + count.index
  name  = "k3s-${count.index + 1}"
  clone {
    source_vmid = vm.debian_template.vmid
    full        = true
  }
  cores  = 4
  memory = 8192
  disks {
    slot    = "scsi0"
    storage = "local-zfs"
    size    = "40G"
  }
  cloud_init {
    user            = "ops"
    ssh_public_keys = var.ssh_public_key
    ipconfig        = ["ip=10.0.10.${21 + count.index}/24,gw=${var.gateway}"]
    nameserver      = local.nameserver
  }
  onboot = true
  startup {
    order = 3
  }
  tags = concat(local.tags, ["k3s"])
  health_check {
    name    = "ssh"
    command = "systemctl is-active ssh"
  }
  # k3s nodes keep their state on the app datasets' pool: create those first.
  depends_on = [zfs_dataset.appdata]
}

resource "feature" "k3s" {
  count      = 2
  guest      = vm.k3s[count.index].vmid
  guest_type = "vm"
  name       = "k3s"
  script     = file("features/k3s.sh")
  inputs = {
    role = count.index == 0 ? "server" : "agent"
  }
  # A rebuilt VM has no k3s: install it again.
  lifecycle {
    replace_triggered_by = [vm.k3s[count.index]]
  }
}
