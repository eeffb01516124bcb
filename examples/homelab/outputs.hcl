output "app_addresses" {
  description = "Address of each app container."
  value       = { for name, app in var.apps : name => app.ip }
}

output "base_snapshot" {
  value = "${lxc.base.vmid}@${snapshot.base_final.name}"
}

output "k3s_macs" {
  description = "MACs Proxmox generated for the k3s nodes (stable across applies)."
  value       = [for node in vm.k3s : node.network[0].hwaddr]
}

output "media_mountpoint" {
  value = zfs_dataset.media.mountpoint
}
