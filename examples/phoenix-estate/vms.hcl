# VM 9000 (ubuntu-2404-cloud-template)
resource "vm" "ubuntu_2404_cloud_template" {
  vmid   = 9000
  name   = "ubuntu-2404-cloud-template"
  cores  = 2
  memory = 4096
  disks {
    slot        = "scsi0"
    storage     = zfs_dataset.quickos_vm_disks.storage.id
    size        = "50G"
    import_from = "${var.cloud_image_dir}/noble-server-cloudimg-amd64.img"
  }
  network {
    bridge = var.bridge
  }
  cloud_init {
    user     = "phoenix_user"
    ipconfig = ["ip=dhcp"]
  }
  agent    = true
  template = true
  # Legacy fields phoenix does not model (phoenix_vm_configs.json $.vms[0]):
  #   template_snapshot_name = "initial_clean_state"
}

# VM 1001 (Portainer)
resource "vm" "portainer" {
  vmid = 1001
  name = "Portainer"
  clone {
    source_vmid = vm.ubuntu_2404_cloud_template.vmid
    full        = true
  }
  cores  = 4
  memory = 8192
  network {
    bridge = var.bridge
  }
  cloud_init {
    user     = "phoenix_user"
    ipconfig = ["ip=10.0.0.101/24,gw=${var.gateway}"]
  }
  agent  = true
  onboot = true
  startup {
    order = 1
    up    = 2
  }
  depends_on = [zfs_dataset.quickos_vm_persistent_data]
  # Legacy fields phoenix does not model (phoenix_vm_configs.json $.vms[1]):
  #   portainer_role = "primary"
  #   volumes = [{"type":"nfs","name":"persistent-storage","path":"/quickOS/vm-persistent-data/1001","mount_point":"/persistent-storage","server":"10.0.0.13"}]
}

resource "feature" "portainer_base_setup" {
  guest      = vm.portainer.vmid
  guest_type = "vm"
  name       = "base_setup"
  script     = file("${var.features_dir}/phoenix_hypervisor_feature_install_base_setup.sh")
}

resource "feature" "portainer_docker" {
  guest      = vm.portainer.vmid
  guest_type = "vm"
  name       = "docker"
  script     = file("${var.features_dir}/phoenix_hypervisor_feature_install_docker.sh")
  depends_on = [feature.portainer_base_setup]
}

# VM 1002 (drphoenix)
resource "vm" "drphoenix" {
  vmid = 1002
  name = "drphoenix"
  clone {
    source_vmid = vm.ubuntu_2404_cloud_template.vmid
    full        = true
  }
  cores  = 4
  memory = 4096
  disks {
    slot    = "scsi0"
    storage = zfs_dataset.quickos_vm_disks.storage.id
    size    = "64G"
  }
  network {
    bridge = var.bridge
  }
  cloud_init {
    user     = "phoenix_user"
    ipconfig = ["ip=10.0.0.102/24,gw=${var.gateway}"]
  }
  agent  = true
  onboot = true
  startup {
    order = 2
    up    = 2
  }
  depends_on = [zfs_dataset.quickos_vm_persistent_data]
  # Legacy fields phoenix does not model (phoenix_vm_configs.json $.vms[2]):
  #   portainer_role = "agent"
  #   volumes = [{"type":"nfs","name":"persistent-storage","path":"/quickOS/vm-persistent-data/1002","mount_point":"/persistent-storage","server":"10.0.0.13"}]
  #   docker_stacks = [{"name":"qdrant_service","environment":"production"},{"name":"thinkheads_ai_app","environment":"development"}]
}

resource "feature" "drphoenix_base_setup" {
  guest      = vm.drphoenix.vmid
  guest_type = "vm"
  name       = "base_setup"
  script     = file("${var.features_dir}/phoenix_hypervisor_feature_install_base_setup.sh")
}

resource "feature" "drphoenix_docker" {
  guest      = vm.drphoenix.vmid
  guest_type = "vm"
  name       = "docker"
  script     = file("${var.features_dir}/phoenix_hypervisor_feature_install_docker.sh")
  depends_on = [feature.drphoenix_base_setup]
}
