variable "environment" {
  type        = string
  default     = "dev"
  description = "Deployment stage; becomes part of every object name."
}

variable "app_names" {
  type        = list(string)
  default     = ["api", "web"]
  description = "One application object per name (for_each)."
}

variable "worker_count" {
  type    = number
  default = 2
}

variable "db_password" {
  type      = string
  default   = "change-me"
  sensitive = true
}
