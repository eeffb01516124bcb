# Converted from the legacy Phoenix Hypervisor configuration by `phoenix convert --from-legacy`.
# Review the comments marked "Legacy fields phoenix does not model" before the first apply.

node "pve" {
  connection = var.connection
}

variable "connection" {
  type        = string
  default     = "simulator"
  description = "How phoenix reaches the node: \"simulator\", \"local\" (on the node itself) or \"ssh://root@HOST\"."
}

variable "bridge" {
  type        = string
  default     = "vmbr0"
  description = "Linux bridge of 15 guests."
}

variable "gateway" {
  type        = string
  default     = "10.0.0.1"
  description = "Default gateway of 14 guests."
}

variable "nfs_server" {
  type        = string
  default     = "10.0.0.13"
  description = "Address the node mounts its own NFS exports from (network.nfs_server)."
}

variable "hypervisor_setup_dir" {
  type        = string
  default     = "legacy/bin/hypervisor_setup"
  description = "Where the legacy host setup scripts (bin/hypervisor_setup) are."
}

variable "lxc_template" {
  type        = string
  default     = "fastData-shared-iso:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst"
  description = "OS template volume (legacy tarball /fastData/shared-iso/template/cache/ubuntu-24.04-standard_24.04-2_amd64.tar.zst)."
}

variable "features_dir" {
  type        = string
  default     = "legacy/bin/lxc_setup"
  description = "Directory of the legacy container feature scripts (bin/lxc_setup in the legacy tree), relative to this directory."
}

variable "scripts_dir" {
  type        = string
  default     = "legacy/bin"
  description = "Directory of the legacy application scripts (bin in the legacy tree), relative to this directory."
}

variable "nvidia_driver_version" {
  type        = string
  default     = "580.76.05"
  description = "NVIDIA driver version installed in GPU containers (nvidia feature)."
}

variable "nvidia_runfile_url" {
  type        = string
  default     = "https://us.download.nvidia.com/XFree86/Linux-x86_64/580.76.05/NVIDIA-Linux-x86_64-580.76.05.run"
  description = "Download URL of the NVIDIA driver runfile (nvidia feature)."
}

variable "nvidia_repo_url" {
  type        = string
  default     = "https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2404/x86_64/"
  description = "CUDA package repository (nvidia feature)."
}

variable "cloud_image_dir" {
  type        = string
  default     = "/var/lib/vz/template/iso"
  description = "Host directory holding the cloud images VM templates are imported from."
}

variable "users_password_hash" {
  type        = string
  default     = null
  description = "Secret from phoenix_hypervisor_config.json $.users.password_hash; set it with PHOENIX_VAR_users_password_hash, never in a file."
  sensitive   = true
}

variable "portainer_api_admin_password" {
  type        = string
  default     = null
  description = "Secret from phoenix_hypervisor_config.json $.portainer_api.admin_password; set it with PHOENIX_VAR_portainer_api_admin_password, never in a file."
  sensitive   = true
}

# Legacy fields phoenix does not model (top-level settings of phoenix_vm_configs.json, phoenix_hypervisor_config.json; host setup phoenix does not manage):
#   vm_defaults.template = "ubuntu-24.04-standard"
#   zfs.arc_max_gb = 32
#   nvidia_driver.install = true
#   nvidia_driver.cuda_version = "12.8"
#   nvidia_driver.install_vllm_libs = true
#   network = {"external_registry_url":"docker.io/SirHeads","portainer_server_ip":"10.0.0.101","portainer_server_port":9443,"portainer_agent_port":9001,"interfaces":{"name":"vmbr0","address":"10.0.0.13/24","gateway":"10.0.0.1","dns_nameservers":"8.8.8.8"},"default_subnet":"10.0.0.0/24","nfs_server":"10.0.0.13"}
#   shared_volumes.firewall = {"enabled":true,"default_input_policy":"DROP","default_output_policy":"ACCEPT","global_firewall_rules":[{"type":"in","action":"ACCEPT","source":"10.0.0.101","dest":"10.0.0.102","proto":"tcp","port":"9001"}]}
#   users = {"username":"phoenix_admin","password_hash":"(sensitive: var.users_password_hash)","sudo_access":true,"ssh_public_key":""}
#   core_paths = {"lxc_config_file":"/usr/local/phoenix_hypervisor/etc/phoenix_lxc_configs.json","lxc_config_schema_file":"/usr/local/phoenix_hypervisor/etc/phoenix_lxc_configs.schema.json","vm_config_file":"/usr/local/phoenix_hypervisor/etc/phoenix_vm_configs.json","hf_token_file":"/usr/local/phoenix_hypervisor/etc/phoenix_hf_token.conf","docker_token_file":"/usr/local/phoenix_hypervisor/etc/phoenix_docker_token.conf","docker_images_path":"/usr/local/phoenix_hypervisor/etc/proxmox_docker_images","hypervisor_marker_dir":"/usr/local/phoenix_hypervisor/lib","hypervisor_marker":"/usr/local/phoenix_hypervisor/lib/.phoenix_hypervisor_initialized"}
#   timezone = "America/New_York"
#   docker = {"portainer_server_image":"portainer/portainer-ce:latest","portainer_agent_image":"portainer/agent:latest"}
#   proxmox_defaults = {"zfs_lxc_pool":"quickOS/lxc-disks","lxc":{"cores":2,"memory_mb":2048,"network_config":"10.0.0.110/24,10.0.0.1,8.8.8.8","features":"nesting=1","security":"default","nesting":1}}
#   tests = {"system_validation":[{"name":"Validate Systemic Fixes","type":"script","path":"hypervisor/validate_systemic_fixes.sh"}],"hypervisor_health_.check":[{"name":"Phoenix Hypervisor Tests","type":"script","path":"hypervisor/phoenix_hypervisor_tests.sh"}]}
#   behavior = {"rollback_on_failure":false,"debug_mode":true}
#   portainer_api = {"admin_user":"admin","admin_password":"(sensitive: var.portainer_api_admin_password)"}
