# The hypervisor itself, converted from phoenix_hypervisor_config.json and bin/hypervisor_setup.

# ZFS pools (zfs.pools). phoenix adopts a pool that exists with the same layout and never destroys one on its own.
resource "zfs_pool" "quickos" {
  # mirror of 2 disk(s); never destroyed unless allow_destroy = true.
  # autotrim as hypervisor_feature_setup_zfs.sh created it (its -O compression=lz4 atime=off root settings are not modelled).
  name = "quickOS"
  vdev {
    type  = "mirror"
    disks = ["/dev/disk/by-id/nvme-Samsung_SSD_990_EVO_Plus_2TB_S7U6NJ0Y320880M", "/dev/disk/by-id/nvme-Samsung_SSD_990_EVO_Plus_2TB_S7U6NJ0Y310536X"]
  }
  properties = {
    autotrim = "on"
  }
}

resource "zfs_pool" "fastdata" {
  # single of 1 disk(s); never destroyed unless allow_destroy = true.
  # autotrim as hypervisor_feature_setup_zfs.sh created it (its -O compression=lz4 atime=off root settings are not modelled).
  name = "fastData"
  vdev {
    type  = "disk"
    disks = ["/dev/disk/by-id/nvme-Samsung_SSD_990_EVO_Plus_4TB_S7U8NJ0Y402334Y"]
  }
  properties = {
    autotrim = "on"
  }
}

# NFS exports (nfs.exports), served by the node.
resource "feature" "nfs_exports" {
  host   = true
  name   = "nfs-exports"
  script = <<EOT
#!/bin/sh
# Writes the NFS exports phoenix manages and reloads them (converted from hypervisor_feature_setup_nfs.sh).
set -eu
command -v exportfs >/dev/null 2>&1 || { apt-get update && apt-get install -y nfs-kernel-server; }
mkdir -p /etc/exports.d
printf '%s\n' "$PHOENIX_INPUT_EXPORTS" > /etc/exports.d/phoenix.exports
systemctl enable --now nfs-server
exportfs -ra
EOT
  inputs = {
    exports = "/fastData/shared-bulk-data 10.0.0.0/24(rw,sync,no_subtree_check,no_root_squash)\n/quickOS/shared-prod-data 10.0.0.0/24(rw,sync,no_subtree_check,no_root_squash)\n/quickOS/shared-prod-data-sync 10.0.0.0/24(rw,sync,no_subtree_check,no_root_squash)\n/quickOS/vm-persistent-data 10.0.0.0/24(rw,sync,no_subtree_check,no_root_squash)"
  }
  depends_on = [zfs_dataset.fastdata_shared_bulk_data, zfs_dataset.quickos_shared_prod_data, zfs_dataset.quickos_shared_prod_data_sync, zfs_dataset.quickos_vm_persistent_data]
}

# The exports mounted back as Proxmox storages, as hypervisor_feature_setup_nfs.sh did.
resource "storage" "nfs_shared_bulk_data" {
  id         = "nfs-shared-bulk-data"
  type       = "nfs"
  server     = var.nfs_server
  export     = "/fastData/shared-bulk-data"
  path       = "/mnt/nfs/nfs-shared-bulk-data"
  options    = "vers=4,soft,timeo=30,retrans=3"
  content    = ["backup", "images", "iso", "snippets", "vztmpl"]
  depends_on = [feature.nfs_exports]
}

resource "storage" "nfs_shared_prod_data" {
  id         = "nfs-shared-prod-data"
  type       = "nfs"
  server     = var.nfs_server
  export     = "/quickOS/shared-prod-data"
  path       = "/mnt/nfs/nfs-shared-prod-data"
  options    = "vers=4,soft,timeo=30,retrans=3"
  content    = ["backup", "images", "iso", "snippets", "vztmpl"]
  depends_on = [feature.nfs_exports]
}

resource "storage" "nfs_shared_prod_data_sync" {
  id         = "nfs-shared-prod-data-sync"
  type       = "nfs"
  server     = var.nfs_server
  export     = "/quickOS/shared-prod-data-sync"
  path       = "/mnt/nfs/nfs-shared-prod-data-sync"
  options    = "vers=4,soft,timeo=30,retrans=3"
  content    = ["backup", "images", "iso", "snippets", "vztmpl"]
  depends_on = [feature.nfs_exports]
}

resource "storage" "nfs_vm_persistent_data" {
  id         = "nfs-vm-persistent-data"
  type       = "nfs"
  server     = var.nfs_server
  export     = "/quickOS/vm-persistent-data"
  path       = "/mnt/nfs/nfs-vm-persistent-data"
  options    = "vers=4,soft,timeo=30,retrans=3"
  content    = ["backup", "images", "iso", "snippets", "vztmpl"]
  depends_on = [feature.nfs_exports]
}

# Samba shares (samba.shares) for user heads.
resource "feature" "samba_shares" {
  host   = true
  name   = "samba-shares"
  script = <<EOT
#!/bin/sh
# Writes the Samba shares phoenix manages and reloads Samba (converted from hypervisor_feature_setup_samba.sh).
# The Samba password of the share user is not converted: set it once with smbpasswd -a.
set -eu
command -v smbd >/dev/null 2>&1 || { apt-get update && apt-get install -y samba; }
printf '%s\n' "$PHOENIX_INPUT_SHARES" > /etc/samba/phoenix-shares.conf
grep -q '^include = /etc/samba/phoenix-shares.conf' /etc/samba/smb.conf || printf '\n[global]\ninclude = /etc/samba/phoenix-shares.conf\n' >> /etc/samba/smb.conf
systemctl enable --now smbd
smbcontrol all reload-config
EOT
  inputs = {
    shares = "[shared-prod-data]\n   path = /quickOS/shared-prod-data\n   browseable = yes\n   writable = yes\n   valid users = heads\n\n[shared-prod-data-sync]\n   path = /quickOS/shared-prod-data-sync\n   browseable = yes\n   writable = yes\n   valid users = heads\n\n[shared-test-data]\n   path = /fastData/shared-test-data\n   browseable = yes\n   writable = yes\n   valid users = heads\n\n[shared-bulk-data]\n   path = /fastData/shared-bulk-data\n   browseable = yes\n   writable = yes\n   valid users = heads\n\n[shared-test-data-sync]\n   path = /fastData/shared-test-data-sync\n   browseable = yes\n   writable = yes\n   valid users = heads"
  }
  depends_on = [zfs_dataset.fastdata_shared_bulk_data, zfs_dataset.fastdata_shared_test_data, zfs_dataset.fastdata_shared_test_data_sync, zfs_dataset.quickos_shared_prod_data, zfs_dataset.quickos_shared_prod_data_sync]
}

# The legacy host setup scripts, run on the node in hypervisor-manager.sh's order. They read the legacy JSON file
# given as $1 and source phoenix_hypervisor_common_utils.sh: port each to read its PHOENIX_INPUT_* values before
# applying on a real node (the simulator only records them).
resource "feature" "host_initial_setup" {
  host   = true
  name   = "initial-setup"
  script = file("${var.hypervisor_setup_dir}/hypervisor_initial_setup.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
}

resource "feature" "host_configure_vfio" {
  host   = true
  name   = "configure-vfio"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_configure_vfio.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_initial_setup]
}

resource "feature" "host_install_nvidia" {
  host   = true
  name   = "install-nvidia"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_install_nvidia.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_configure_vfio]
}

resource "feature" "host_initialize_nvidia_gpus" {
  host   = true
  name   = "initialize-nvidia-gpus"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_initialize_nvidia_gpus.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_install_nvidia]
}

resource "feature" "host_setup_firewall" {
  host   = true
  name   = "setup-firewall"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_setup_firewall.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_initialize_nvidia_gpus]
}

resource "feature" "host_create_heads_user" {
  host   = true
  name   = "create-heads-user"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_create_heads_user.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_setup_firewall]
}

resource "feature" "host_create_admin_user" {
  host   = true
  name   = "create-admin-user"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_create_admin_user.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_create_heads_user]
}

resource "feature" "host_provision_shared_resources" {
  host   = true
  name   = "provision-shared-resources"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_provision_shared_resources.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_create_admin_user]
}

resource "feature" "host_setup_apparmor" {
  host   = true
  name   = "setup-apparmor"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_setup_apparmor.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_provision_shared_resources]
}

resource "feature" "host_fix_apparmor_tunables" {
  host   = true
  name   = "fix-apparmor-tunables"
  script = file("${var.hypervisor_setup_dir}/hypervisor_feature_fix_apparmor_tunables.sh")
  inputs = {
    config = "/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json"
  }
  depends_on = [feature.host_setup_apparmor]
}
