# A small homelab on one Proxmox node: a base container with Docker and the NVIDIA userland baked into a
# snapshot, three app containers cloned from it, a cloud-init VM template with two clones, and ZFS
# datasets mounted into the containers. Runs against the shipped simulator:
#   phoenix plan && phoenix apply

node "pve" {
  connection = "simulator"
}

variable "bridge" {
  type        = string
  default     = "vmbr0"
  description = "Linux bridge every guest attaches to."
}

variable "gateway" {
  type    = string
  default = "10.0.10.1"
}

# A real ed25519 public key (Proxmox checks every key with `ssh-keygen -l`) whose private half was thrown
# away: nobody can log in with it. Put your own key here.
variable "ssh_public_key" {
  type    = string
  default = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO0j3OZLUi9HvnSTCjU6+mHluyheNgsme3eMWfn248R0 ops@homelab"
}

variable "docker_version" {
  type    = string
  default = "27.3.1"
}

variable "apps" {
  description = "App containers cloned from the base snapshot: name => settings."
  type        = map(object({ vmid = number, ip = string, memory = number, media = bool }))
  default = {
    jellyfin  = { vmid = 211, ip = "10.0.10.11", memory = 4096, media = true }
    immich    = { vmid = 212, ip = "10.0.10.12", memory = 4096, media = true }
    paperless = { vmid = 213, ip = "10.0.10.13", memory = 2048, media = false }
  }
}

locals {
  template   = os_template.debian.volid
  nameserver = "10.0.10.1"
  tags       = ["homelab", "phoenix"]
}
