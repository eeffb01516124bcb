# A desktop VM as Windows 11 wants one, installed here with Debian from the netinst ISO: q35, UEFI
# (OVMF) with Secure Boot keys enrolled in its EFI vars disk, a TPM 2.0 (e.g. to unlock an encrypted
# disk), the ISO in a CD-ROM drive booted after the empty system disk, a serial console, and options
# phoenix does not model in the validated `options` map. Another ISO in the drive is changed live; the
# firmware, TPM version and boot order are not: see docs/vm-hardware.md for what restarts or replaces.

resource "vm" "desktop" {
  vmid      = 310
  name      = "desktop"
  machine   = "q35"
  bios      = "ovmf"
  cores     = 4
  memory    = 8192
  balloon   = 4096
  cpu       = "host"
  cpu_flags = ["+aes"]
  scsihw    = "virtio-scsi-single"
  efidisk {
    storage           = "local-zfs"
    efitype           = "4m"
    pre_enrolled_keys = true
  }
  tpmstate {
    storage = "local-zfs"
    version = "v2.0"
  }
  disks {
    slot     = "scsi0"
    storage  = "local-zfs"
    size     = "64G"
    discard  = true
    ssd      = true
    iothread = true
  }
  cdrom {
    slot = "ide0"
    file = download_file.debian_netinst.volid
  }
  boot   = ["scsi0", "ide0"]
  serial = ["socket"]
  vga {
    type   = "virtio"
    memory = 64
  }
  network {
    bridge = var.bridge
  }
  options = {
    ostype = "l26"
    tablet = "1"
  }
  # No `agent`: the installer has no guest agent, and phoenix would wait for one after the start.
  tags = concat(local.tags, ["desktop"])
}
