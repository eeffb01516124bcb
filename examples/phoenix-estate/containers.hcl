# Container 900 (Copy-Base)
resource "lxc" "copy_base" {
  vmid       = 900
  hostname   = "Copy-Base"
  ostemplate = var.lxc_template
  cores      = 2
  memory     = 2048
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "16G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.200/24"
    gw     = var.gateway
    hwaddr = "52:54:00:AA:BB:CC"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = false
  startup {
    order = 0
    up    = 0
  }
  depends_on = [zfs_dataset.fastdata_shared_iso]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["900"]):
  #   portainer_role = "none"
}

resource "snapshot" "copy_base_pre_configured" {
  guest = lxc.copy_base.vmid
  name  = "pre-configured"
}

resource "feature" "copy_base_base_setup" {
  guest      = lxc.copy_base.vmid
  name       = "base_setup"
  script     = file("${var.features_dir}/phoenix_hypervisor_feature_install_base_setup.sh")
  depends_on = [snapshot.copy_base_pre_configured]
}

resource "snapshot" "copy_base_final_form" {
  guest      = lxc.copy_base.vmid
  name       = "final-form"
  depends_on = [feature.copy_base_base_setup]
}

# Container 101 (Nginx-Phoenix)
resource "lxc" "nginx_phoenix" {
  vmid     = 101
  hostname = "Nginx-Phoenix"
  clone {
    source_vmid = lxc.copy_base.vmid
    snapshot    = snapshot.copy_base_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 4
  memory = 4096
  swap   = 512
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "32G"
  }
  network {
    name     = "eth0"
    bridge   = var.bridge
    ip       = "10.0.0.153/24"
    gw       = var.gateway
    hwaddr   = "52:54:00:67:89:B3"
    firewall = true
  }
  unprivileged = true
  features {
    nesting = true
  }
  onboot = true
  startup {
    order = 1
    up    = 5
  }
  lxc_raw = ["lxc.mount.auto: sys:rw"]
  mountpoint {
    slot   = "mp0"
    volume = "/mnt/pve/quickOS/shared-prod-data/logs/nginx"
    path   = "/logs/nginx"
  }
  mountpoint {
    slot   = "mp1"
    volume = "/usr/local/phoenix_hypervisor/persistent-storage/ssl"
    path   = "/etc/nginx/ssl"
  }
  depends_on = [zfs_dataset.quickos_shared_prod_data]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["101"]):
  #   portainer_role = "infrastructure"
}

resource "firewall_options" "nginx_phoenix" {
  guest  = lxc.nginx_phoenix.vmid
  enable = true
}

resource "firewall_rules" "nginx_phoenix" {
  guest = lxc.nginx_phoenix.vmid
  rule {
    type   = "out"
    action = "ACCEPT"
    dest   = "10.0.0.101"
    proto  = "tcp"
    dport  = "9443"
  }
}

resource "feature" "nginx_phoenix_application" {
  guest    = lxc.nginx_phoenix.vmid
  name     = "application"
  script   = file("${var.scripts_dir}/phoenix_hypervisor_lxc_101.sh")
  requires = ["base_setup"]
}

# Container 103 (Step-CA)
resource "lxc" "step_ca" {
  vmid     = 103
  hostname = "Step-CA"
  clone {
    source_vmid = lxc.copy_base.vmid
    snapshot    = snapshot.copy_base_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 2
  memory = 1024
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "16G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.10/24"
    gw     = var.gateway
    hwaddr = "52:54:00:AA:BB:CA"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = true
  startup {
    order = 1
    up    = 5
  }
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["103"]):
  #   portainer_role = "none"
}

resource "snapshot" "step_ca_pre_configured" {
  guest = lxc.step_ca.vmid
  name  = "pre-configured"
}

resource "feature" "step_ca_step_ca" {
  guest      = lxc.step_ca.vmid
  name       = "step_ca"
  script     = file("${var.features_dir}/phoenix_hypervisor_feature_install_step_ca.sh")
  depends_on = [snapshot.step_ca_pre_configured]
}

resource "feature" "step_ca_application" {
  guest      = lxc.step_ca.vmid
  name       = "application"
  script     = file("${var.scripts_dir}/phoenix_hypervisor_lxc_103.sh")
  requires   = ["base_setup", "step_ca"]
  depends_on = [feature.step_ca_step_ca]
}

resource "snapshot" "step_ca_final_form" {
  guest      = lxc.step_ca.vmid
  name       = "final-form"
  depends_on = [feature.step_ca_step_ca, feature.step_ca_application]
}

# Container 102 (Traefik-Internal)
resource "lxc" "traefik_internal" {
  vmid     = 102
  hostname = "Traefik-Internal"
  clone {
    source_vmid = lxc.copy_base.vmid
    snapshot    = snapshot.copy_base_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 2
  memory = 2048
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "16G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.12/24"
    gw     = var.gateway
    hwaddr = "52:54:00:AA:BB:CB"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = true
  startup {
    order = 2
    up    = 5
  }
  depends_on = [lxc.step_ca]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["102"]):
  #   portainer_role = "none"
}

resource "snapshot" "traefik_internal_pre_configured" {
  guest = lxc.traefik_internal.vmid
  name  = "pre-configured"
}

resource "feature" "traefik_internal_traefik" {
  guest      = lxc.traefik_internal.vmid
  name       = "traefik"
  script     = file("${var.features_dir}/phoenix_hypervisor_feature_install_traefik.sh")
  depends_on = [snapshot.traefik_internal_pre_configured]
}

resource "feature" "traefik_internal_application" {
  guest      = lxc.traefik_internal.vmid
  name       = "application"
  script     = file("${var.scripts_dir}/phoenix_hypervisor_lxc_102.sh")
  requires   = ["base_setup", "traefik"]
  depends_on = [feature.traefik_internal_traefik]
}

resource "snapshot" "traefik_internal_final_form" {
  guest      = lxc.traefik_internal.vmid
  name       = "final-form"
  depends_on = [feature.traefik_internal_traefik, feature.traefik_internal_application]
}

# Container 901 (Copy-Cuda12.8)
resource "lxc" "copy_cuda12_8" {
  vmid     = 901
  hostname = "Copy-Cuda12.8"
  clone {
    source_vmid = lxc.copy_base.vmid
    snapshot    = snapshot.copy_base_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 2
  memory = 2048
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "16G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.201/24"
    gw     = var.gateway
    hwaddr = "52:54:00:AA:BB:CD"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = false
  startup {
    order = 0
    up    = 0
  }
  gpus = [0, 1]
  health_check {
    name     = "nvidia"
    command  = "test \"$(nvidia-smi --query-gpu=driver_version --format=csv,noheader,nounits | tail -n 1)\" = \"${var.nvidia_driver_version}\""
    retries  = 3
    interval = 5
  }
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["901"]):
  #   portainer_role = "none"
}

resource "snapshot" "copy_cuda12_8_pre_configured" {
  guest = lxc.copy_cuda12_8.vmid
  name  = "pre-configured"
}

resource "feature" "copy_cuda12_8_nvidia" {
  guest  = lxc.copy_cuda12_8.vmid
  name   = "nvidia"
  script = file("${var.features_dir}/phoenix_hypervisor_feature_install_nvidia.sh")
  inputs = {
    driver_version = var.nvidia_driver_version
    runfile_url    = var.nvidia_runfile_url
    repo_url       = var.nvidia_repo_url
  }
  depends_on = [snapshot.copy_cuda12_8_pre_configured]
}

resource "snapshot" "copy_cuda12_8_final_form" {
  guest      = lxc.copy_cuda12_8.vmid
  name       = "final-form"
  depends_on = [feature.copy_cuda12_8_nvidia]
}

# Container 910 (Copy-VLLM-GPUx2)
resource "lxc" "copy_vllm_gpux2" {
  vmid     = 910
  hostname = "Copy-VLLM-GPUx2"
  clone {
    source_vmid = lxc.copy_cuda12_8.vmid
    snapshot    = snapshot.copy_cuda12_8_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 10
  memory = 72000
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "128G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.220/24"
    gw     = var.gateway
    hwaddr = "52:54:00:AA:BB:D1"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = false
  startup {
    order = 0
    up    = 0
  }
  gpus = [0, 1]
  mountpoint {
    slot   = "mp0"
    volume = "/mnt/pve/quickOS/shared-prod-data/ssl"
    path   = "/certs"
  }
  health_check {
    name     = "nvidia"
    command  = "test \"$(nvidia-smi --query-gpu=driver_version --format=csv,noheader,nounits | tail -n 1)\" = \"${var.nvidia_driver_version}\""
    retries  = 3
    interval = 5
  }
  depends_on = [zfs_dataset.quickos_shared_prod_data]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["910"]):
  #   portainer_role = "none"
}

locals {
  copy_vllm_gpux2_vllm_engine_config = {
    ModelConfig = {
      model             = "Qwen/Qwen2.5-7B-Instruct-AWQ"
      trust_remote_code = true
      dtype             = "auto"
      max_model_len     = 4096
    }
    CacheConfig = {
      quantization           = "awq_marlin"
      gpu_memory_utilization = 0.5
    }
    ParallelConfig = {
      tensor_parallel_size = 2
    }
    ServerConfig = {
      host              = "0.0.0.0"
      port              = 8000
      served_model_name = "qwen2.5-7b-awq"
    }
  }
}

resource "feature" "copy_vllm_gpux2_vllm" {
  guest  = lxc.copy_vllm_gpux2.vmid
  name   = "vllm"
  script = file("${var.features_dir}/phoenix_hypervisor_feature_install_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.copy_vllm_gpux2_vllm_engine_config)
  }
  requires = ["nvidia"]
}

resource "feature" "copy_vllm_gpux2_application" {
  guest  = lxc.copy_vllm_gpux2.vmid
  name   = "application"
  script = file("${var.scripts_dir}/phoenix_hypervisor_lxc_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.copy_vllm_gpux2_vllm_engine_config)
  }
  requires   = ["nvidia", "vllm"]
  depends_on = [feature.copy_vllm_gpux2_vllm]
}

# Snapshot "final-form" not converted: Proxmox cannot snapshot a container with a bind mount ("snapshot feature is not available").

# Container 911 (Copy-VLLM-GPU0)
resource "lxc" "copy_vllm_gpu0" {
  vmid     = 911
  hostname = "Copy-VLLM-GPU0"
  clone {
    source_vmid = lxc.copy_cuda12_8.vmid
    snapshot    = snapshot.copy_cuda12_8_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 10
  memory = 72000
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "64G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.221/24"
    gw     = var.gateway
    hwaddr = "52:54:00:AA:BB:D2"
  }
  apparmor_profile = "unconfined"
  onboot           = false
  startup {
    order = 0
    up    = 0
  }
  gpus = [0]
  health_check {
    name     = "nvidia"
    command  = "test \"$(nvidia-smi --query-gpu=driver_version --format=csv,noheader,nounits | tail -n 1)\" = \"${var.nvidia_driver_version}\""
    retries  = 3
    interval = 5
  }
}

resource "snapshot" "copy_vllm_gpu0_pre_configured" {
  guest = lxc.copy_vllm_gpu0.vmid
  name  = "pre-configured"
}

locals {
  copy_vllm_gpu0_vllm_engine_config = {
    ModelConfig = {
      model             = "Qwen/Qwen2-7B-Instruct"
      trust_remote_code = true
      dtype             = "auto"
      max_model_len     = 8192
    }
    CacheConfig = {
      quantization           = "fp8"
      gpu_memory_utilization = 0.9
    }
    ParallelConfig = {
      tensor_parallel_size = 1
    }
    ServerConfig = {
      host              = "0.0.0.0"
      port              = 8000
      served_model_name = "qwen2-7b-fp8"
    }
  }
}

resource "feature" "copy_vllm_gpu0_vllm" {
  guest  = lxc.copy_vllm_gpu0.vmid
  name   = "vllm"
  script = file("${var.features_dir}/phoenix_hypervisor_feature_install_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.copy_vllm_gpu0_vllm_engine_config)
  }
  requires   = ["nvidia"]
  depends_on = [snapshot.copy_vllm_gpu0_pre_configured]
}

resource "feature" "copy_vllm_gpu0_application" {
  guest  = lxc.copy_vllm_gpu0.vmid
  name   = "application"
  script = file("${var.scripts_dir}/phoenix_hypervisor_lxc_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.copy_vllm_gpu0_vllm_engine_config)
  }
  requires   = ["nvidia", "vllm"]
  depends_on = [feature.copy_vllm_gpu0_vllm]
}

resource "snapshot" "copy_vllm_gpu0_final_form" {
  guest      = lxc.copy_vllm_gpu0.vmid
  name       = "final-form"
  depends_on = [feature.copy_vllm_gpu0_vllm, feature.copy_vllm_gpu0_application]
}

# Container 801 (granite-embedding)
resource "lxc" "granite_embedding" {
  vmid     = 801
  hostname = "granite-embedding"
  clone {
    source_vmid = lxc.copy_vllm_gpu0.vmid
    snapshot    = snapshot.copy_vllm_gpu0_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 6
  memory = 72000
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "128G"
  }
  network {
    name     = "eth0"
    bridge   = var.bridge
    ip       = "10.0.0.141/24"
    gw       = var.gateway
    hwaddr   = "52:54:00:67:89:A1"
    firewall = true
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = true
  startup {
    order = 3
    up    = 5
  }
  gpus = [0]
  mountpoint {
    slot   = "mp0"
    volume = zfs_dataset.fastdata_shared_bulk_data.storage.id
    path   = "/vllm_models"
    size   = "50G"
  }
  health_check {
    name    = "integration_tests: vLLM Context Window Test"
    command = "#!/bin/sh\n# phoenix convert found no test script \"vLLM Context Window Test\" of container 801 (granite-embedding); tried legacy/bin/tests/vllm/test_vllm_context_window.py. Copy the legacy script there and convert again, or write this script.\necho 'phoenix convert found no test script \"vLLM Context Window Test\" of container 801 (granite-embedding); tried legacy/bin/tests/vllm/test_vllm_context_window.py. Copy the legacy script there and convert again, or write this script.' >&2\nexit 1\n"
    retries = 1
  }
  health_check {
    name    = "integration_tests: vLLM Responsiveness Test"
    command = "#!/bin/sh\n# phoenix convert found no test script \"vLLM Responsiveness Test\" of container 801 (granite-embedding); tried legacy/bin/tests/vllm/test_vllm_responsiveness.py. Copy the legacy script there and convert again, or write this script.\necho 'phoenix convert found no test script \"vLLM Responsiveness Test\" of container 801 (granite-embedding); tried legacy/bin/tests/vllm/test_vllm_responsiveness.py. Copy the legacy script there and convert again, or write this script.' >&2\nexit 1\n"
    retries = 1
  }
  depends_on = [lxc.nginx_phoenix]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["801"]):
  #   portainer_role = "none"
  #   ports = ["8000:8000"]
}

resource "firewall_options" "granite_embedding" {
  guest  = lxc.granite_embedding.vmid
  enable = true
}

resource "firewall_rules" "granite_embedding" {
  guest = lxc.granite_embedding.vmid
  rule {
    type   = "in"
    action = "ACCEPT"
    source = "10.0.0.153"
    proto  = "tcp"
    dport  = "8000"
  }
}

locals {
  granite_embedding_vllm_engine_config = {
    ModelConfig = {
      model             = "ibm-granite/granite-embedding-english-r2"
      trust_remote_code = true
      dtype             = "auto"
      max_model_len     = 1024
    }
    CacheConfig = {
      gpu_memory_utilization = 0.1
    }
    ParallelConfig = {
      tensor_parallel_size = 1
    }
    ServerConfig = {
      host              = "0.0.0.0"
      port              = 8000
      served_model_name = "ibm-granite/granite-embedding-english-r2"
    }
  }
}

resource "feature" "granite_embedding_vllm" {
  guest  = lxc.granite_embedding.vmid
  name   = "vllm"
  script = file("${var.features_dir}/phoenix_hypervisor_feature_install_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.granite_embedding_vllm_engine_config)
  }
  requires = ["nvidia"]
}

resource "feature" "granite_embedding_application" {
  guest  = lxc.granite_embedding.vmid
  name   = "application"
  script = file("${var.scripts_dir}/phoenix_hypervisor_lxc_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.granite_embedding_vllm_engine_config)
  }
  requires   = ["vllm"]
  depends_on = [feature.granite_embedding_vllm]
}

# Container 802 (granite-3.3-8b-fp8)
resource "lxc" "granite_3_3_8b_fp8" {
  vmid     = 802
  hostname = "granite-3.3-8b-fp8"
  clone {
    source_vmid = lxc.copy_vllm_gpu0.vmid
    snapshot    = snapshot.copy_vllm_gpu0_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 6
  memory = 72000
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "128G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.142/24"
    gw     = var.gateway
    hwaddr = "52:54:00:67:89:A2"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = true
  startup {
    order = 3
    up    = 5
  }
  gpus = [0]
  mountpoint {
    slot   = "mp0"
    volume = zfs_dataset.fastdata_shared_bulk_data.storage.id
    path   = "/vllm_models"
    size   = "50G"
  }
  depends_on = [lxc.nginx_phoenix]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["802"]):
  #   portainer_role = "none"
  #   ports = ["8001:8000"]
}

locals {
  granite_3_3_8b_fp8_vllm_engine_config = {
    ModelConfig = {
      model             = "Qwen/Qwen3-4B-Thinking-2507-FP8"
      trust_remote_code = true
      dtype             = "auto"
      max_model_len     = 2048
    }
    CacheConfig = {
      quantization           = "fp8"
      gpu_memory_utilization = 0.85
    }
    ParallelConfig = {
      tensor_parallel_size = 1
    }
    ServerConfig = {
      host              = "0.0.0.0"
      port              = 8000
      served_model_name = "Qwen3-4B-FP8"
    }
  }
}

resource "feature" "granite_3_3_8b_fp8_vllm" {
  guest  = lxc.granite_3_3_8b_fp8.vmid
  name   = "vllm"
  script = file("${var.features_dir}/phoenix_hypervisor_feature_install_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.granite_3_3_8b_fp8_vllm_engine_config)
  }
  requires = ["nvidia"]
}

resource "feature" "granite_3_3_8b_fp8_application" {
  guest  = lxc.granite_3_3_8b_fp8.vmid
  name   = "application"
  script = file("${var.scripts_dir}/phoenix_hypervisor_lxc_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.granite_3_3_8b_fp8_vllm_engine_config)
  }
  requires   = ["vllm"]
  depends_on = [feature.granite_3_3_8b_fp8_vllm]
}

# Container 912 (Copy-VLLM-GPU1)
resource "lxc" "copy_vllm_gpu1" {
  vmid     = 912
  hostname = "Copy-VLLM-GPU1"
  clone {
    source_vmid = lxc.copy_cuda12_8.vmid
    snapshot    = snapshot.copy_cuda12_8_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 10
  memory = 72000
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "64G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.222/24"
    gw     = var.gateway
    hwaddr = "52:54:00:AA:BB:D3"
  }
  apparmor_profile = "unconfined"
  onboot           = false
  startup {
    order = 0
    up    = 0
  }
  gpus = [1]
  health_check {
    name     = "nvidia"
    command  = "test \"$(nvidia-smi --query-gpu=driver_version --format=csv,noheader,nounits | tail -n 1)\" = \"${var.nvidia_driver_version}\""
    retries  = 3
    interval = 5
  }
}

resource "snapshot" "copy_vllm_gpu1_pre_configured" {
  guest = lxc.copy_vllm_gpu1.vmid
  name  = "pre-configured"
}

locals {
  copy_vllm_gpu1_vllm_engine_config = {
    ModelConfig = {
      model             = "Qwen/Qwen2-7B-Instruct"
      trust_remote_code = true
      dtype             = "auto"
      max_model_len     = 8192
    }
    CacheConfig = {
      quantization           = "fp8"
      gpu_memory_utilization = 0.9
    }
    ParallelConfig = {
      tensor_parallel_size = 1
    }
    ServerConfig = {
      host              = "0.0.0.0"
      port              = 8000
      served_model_name = "qwen2-7b-fp8"
    }
  }
}

resource "feature" "copy_vllm_gpu1_vllm" {
  guest  = lxc.copy_vllm_gpu1.vmid
  name   = "vllm"
  script = file("${var.features_dir}/phoenix_hypervisor_feature_install_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.copy_vllm_gpu1_vllm_engine_config)
  }
  requires   = ["nvidia"]
  depends_on = [snapshot.copy_vllm_gpu1_pre_configured]
}

resource "feature" "copy_vllm_gpu1_application" {
  guest  = lxc.copy_vllm_gpu1.vmid
  name   = "application"
  script = file("${var.scripts_dir}/phoenix_hypervisor_lxc_vllm.sh")
  inputs = {
    engine_config = jsonencode(local.copy_vllm_gpu1_vllm_engine_config)
  }
  requires   = ["nvidia", "vllm"]
  depends_on = [feature.copy_vllm_gpu1_vllm]
}

resource "snapshot" "copy_vllm_gpu1_final_form" {
  guest      = lxc.copy_vllm_gpu1.vmid
  name       = "final-form"
  depends_on = [feature.copy_vllm_gpu1_vllm, feature.copy_vllm_gpu1_application]
}

# Container 914 (ollama-gpu0)
resource "lxc" "ollama_gpu0" {
  vmid     = 914
  hostname = "ollama-gpu0"
  clone {
    source_vmid = lxc.copy_cuda12_8.vmid
    snapshot    = snapshot.copy_cuda12_8_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 6
  memory = 32768
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "128G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.155/24"
    gw     = var.gateway
    hwaddr = "52:54:00:67:89:B5"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = true
  startup {
    order = 2
    up    = 5
  }
  gpus = [0]
  health_check {
    name     = "nvidia"
    command  = "test \"$(nvidia-smi --query-gpu=driver_version --format=csv,noheader,nounits | tail -n 1)\" = \"${var.nvidia_driver_version}\""
    retries  = 3
    interval = 5
  }
  depends_on = [lxc.nginx_phoenix]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["914"]):
  #   portainer_role = "none"
  #   ports = ["11434:11434"]
}

resource "feature" "ollama_gpu0_ollama" {
  guest    = lxc.ollama_gpu0.vmid
  name     = "ollama"
  script   = file("${var.features_dir}/phoenix_hypervisor_feature_install_ollama.sh")
  requires = ["nvidia"]
}

resource "feature" "ollama_gpu0_application" {
  guest      = lxc.ollama_gpu0.vmid
  name       = "application"
  script     = file("${var.scripts_dir}/phoenix_hypervisor_lxc_955.sh")
  requires   = ["nvidia", "ollama"]
  depends_on = [feature.ollama_gpu0_ollama]
}

# Container 917 (llamacpp-gpu0)
resource "lxc" "llamacpp_gpu0" {
  vmid     = 917
  hostname = "llamacpp-gpu0"
  clone {
    source_vmid = lxc.copy_cuda12_8.vmid
    snapshot    = snapshot.copy_cuda12_8_final_form.name
    full        = true
    storage     = zfs_dataset.quickos_lxc_disks.storage.id
  }
  cores  = 6
  memory = 32768
  rootfs {
    storage = zfs_dataset.quickos_lxc_disks.storage.id
    size    = "128G"
  }
  network {
    name   = "eth0"
    bridge = var.bridge
    ip     = "10.0.0.157/24"
    gw     = var.gateway
    hwaddr = "52:54:00:67:89:B7"
  }
  unprivileged     = true
  apparmor_profile = "unconfined"
  onboot           = true
  startup {
    order = 2
    up    = 5
  }
  gpus = [0]
  health_check {
    name     = "nvidia"
    command  = "test \"$(nvidia-smi --query-gpu=driver_version --format=csv,noheader,nounits | tail -n 1)\" = \"${var.nvidia_driver_version}\""
    retries  = 3
    interval = 5
  }
  depends_on = [lxc.nginx_phoenix]
  # Legacy fields phoenix does not model (phoenix_lxc_configs.json $.lxc_configs["917"]):
  #   portainer_role = "none"
  #   ports = ["8081:8081"]
}

resource "feature" "llamacpp_gpu0_application" {
  guest    = lxc.llamacpp_gpu0.vmid
  name     = "application"
  script   = file("${var.scripts_dir}/phoenix_hypervisor_lxc_957.sh")
  requires = ["nvidia"]
}
