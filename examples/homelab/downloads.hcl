# What the guests are built from, downloaded by phoenix so the estate comes up on a fresh node: a dataset
# registered as file storage `images`, the container template (from Proxmox's appliance index, checked
# against the index's SHA-512), the Debian cloud image the VM template imports, and a netinst ISO.

resource "zfs_dataset" "images" {
  name = "tank/images"
  properties = {
    compression = "lz4"
  }
  storage {
    id      = "images"
    type    = "dir"
    content = ["vztmpl", "import", "iso"]
  }
}

resource "os_template" "debian" {
  storage  = zfs_dataset.images.storage.id
  template = "debian-12-standard_12.12-1_amd64.tar.zst"
}

resource "download_file" "debian_cloud" {
  storage = zfs_dataset.images.storage.id
  content = "import"
  url     = "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2"
}

# "current" moves on with each Debian point release: pin the file name you tested, with its checksum
# from SHA512SUMS (`checksum` and `checksum_algorithm = "sha512"`).
resource "download_file" "debian_netinst" {
  storage = zfs_dataset.images.storage.id
  content = "iso"
  url     = "https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-13.1.0-amd64-netinst.iso"
}
