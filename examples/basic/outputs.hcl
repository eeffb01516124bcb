output "app_ids" {
  description = "Object id per application."
  value       = { for name in var.app_names : name => test_resource.app[name].id }
}

output "database_id" {
  value = test_resource.database.id
}

output "worker_names" {
  value = test_resource.worker[*].name
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}
