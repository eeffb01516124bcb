# A small, host-free example built on test_resource: objects live in .phoenix/test-store.json of the
# working directory (or the file named by PHOENIX_TEST_STORE). It shows variables, locals, count, for_each, depends_on and outputs.

locals {
  prefix = "demo-${var.environment}"
  common_tags = {
    environment = var.environment
    managed_by  = "phoenix"
  }
}

resource "test_resource" "network" {
  name  = "${local.prefix}-network"
  value = "10.10.0.0/24"
  tags  = local.common_tags
}

resource "test_resource" "database" {
  name   = "${local.prefix}-db"
  value  = test_resource.network.id
  size   = 10
  secret = var.db_password
  tags   = local.common_tags
}

resource "test_resource" "app" {
  for_each = toset(var.app_names)

  name  = "${local.prefix}-${each.key}"
  value = test_resource.database.id
  tags  = merge(local.common_tags, { role = each.key })
}

resource "test_resource" "worker" {
  count = var.worker_count

  name = "${local.prefix}-worker-${count.index}"
  mode = "batch"

  depends_on = [test_resource.database]
}

resource "test_resource" "monitor" {
  name   = "${local.prefix}-monitor"
  script = <<-EOT
    #!/bin/sh
    echo "checking ${local.prefix}"
  EOT

  depends_on = [test_resource.app]
}
