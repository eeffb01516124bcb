# ZFS datasets and their Proxmox storages, from phoenix_hypervisor_config.json zfs.datasets.
# Their names reference the zfs_pool resources (host.hcl), so each pool exists first.

resource "zfs_dataset" "quickos_vm_disks" {
  name = "${zfs_pool.quickos.name}/vm-disks"
  properties = {
    mountpoint  = "/quickOS/vm-disks"
    recordsize  = "128K"
    compression = "lz4"
    sync        = "standard"
    quota       = "800G"
  }
  storage {
    id      = "quickOS-vm-disks"
    type    = "zfspool"
    content = ["images"]
  }
}

resource "zfs_dataset" "quickos_lxc_disks" {
  name = "${zfs_pool.quickos.name}/lxc-disks"
  properties = {
    mountpoint  = "/quickOS/lxc-disks"
    recordsize  = "16K"
    compression = "lz4"
    sync        = "standard"
    quota       = "600G"
  }
  storage {
    id      = "quickOS-lxc-disks"
    type    = "zfspool"
    content = ["rootdir"]
  }
}

resource "zfs_dataset" "quickos_shared_prod_data" {
  name = "${zfs_pool.quickos.name}/shared-prod-data"
  properties = {
    mountpoint  = "/quickOS/shared-prod-data"
    recordsize  = "128K"
    compression = "lz4"
    sync        = "standard"
    quota       = "400G"
  }
  storage {
    id      = "quickOS-shared-prod-data"
    type    = "zfspool"
    content = ["images", "rootdir"]
  }
}

resource "zfs_dataset" "quickos_shared_prod_data_sync" {
  name = "${zfs_pool.quickos.name}/shared-prod-data-sync"
  properties = {
    mountpoint  = "/quickOS/shared-prod-data-sync"
    recordsize  = "16K"
    compression = "lz4"
    sync        = "always"
    quota       = "100G"
  }
  storage {
    id      = "quickOS-shared-prod-data-sync"
    type    = "zfspool"
    content = ["images"]
  }
}

resource "zfs_dataset" "fastdata_shared_test_data" {
  name = "${zfs_pool.fastdata.name}/shared-test-data"
  properties = {
    mountpoint  = "/fastData/shared-test-data"
    recordsize  = "128K"
    compression = "lz4"
    sync        = "standard"
    quota       = "500G"
  }
  storage {
    id      = "fastData-shared-test-data"
    type    = "zfspool"
    content = ["images", "rootdir"]
  }
}

resource "zfs_dataset" "fastdata_shared_test_data_sync" {
  name = "${zfs_pool.fastdata.name}/shared-test-data-sync"
  properties = {
    mountpoint  = "/fastData/shared-test-data-sync"
    recordsize  = "16K"
    compression = "lz4"
    sync        = "always"
    quota       = "100G"
  }
  storage {
    id      = "fastData-shared-test-data-sync"
    type    = "zfspool"
    content = ["images", "rootdir"]
  }
}

resource "zfs_dataset" "fastdata_shared_backups" {
  name = "${zfs_pool.fastdata.name}/shared-backups"
  properties = {
    mountpoint  = "/fastData/shared-backups"
    recordsize  = "1M"
    compression = "zstd"
    sync        = "standard"
    quota       = "2T"
  }
  storage {
    id      = "fastData-shared-backups"
    type    = "dir"
    content = ["backup"]
  }
}

resource "zfs_dataset" "fastdata_shared_iso" {
  name = "${zfs_pool.fastdata.name}/shared-iso"
  properties = {
    mountpoint  = "/fastData/shared-iso"
    recordsize  = "1M"
    compression = "lz4"
    sync        = "standard"
    quota       = "100G"
  }
  storage {
    id      = "fastData-shared-iso"
    type    = "dir"
    content = ["iso", "vztmpl"]
  }
}

resource "zfs_dataset" "fastdata_shared_bulk_data" {
  name = "${zfs_pool.fastdata.name}/shared-bulk-data"
  properties = {
    mountpoint  = "/fastData/shared-bulk-data"
    recordsize  = "1M"
    compression = "lz4"
    sync        = "standard"
    quota       = "1.4T"
  }
  storage {
    id      = "fastData-shared-bulk-data"
    type    = "zfspool"
    content = ["images", "rootdir"]
  }
}

resource "zfs_dataset" "fastdata_fastdata_shared_iso" {
  name = "${zfs_pool.fastdata.name}/fastData-shared-iso"
  properties = {
    mountpoint  = "/fastData/fastData-shared-iso"
    recordsize  = "1M"
    compression = "lz4"
    sync        = "standard"
    quota       = "100G"
  }
  storage {
    id      = "fastData-fastData-shared-iso"
    type    = "dir"
    content = ["iso", "vztmpl"]
  }
}

resource "zfs_dataset" "quickos_vm_persistent_data" {
  name = "${zfs_pool.quickos.name}/vm-persistent-data"
  properties = {
    mountpoint  = "/quickOS/vm-persistent-data"
    recordsize  = "128K"
    compression = "lz4"
    sync        = "standard"
    quota       = "10G"
  }
  storage {
    id      = "quickOS-vm-persistent-data"
    type    = "dir"
    content = ["images", "rootdir"]
  }
}
