variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "kindling"
}

variable "region" {
  description = "DigitalOcean region, e.g. fra1, nyc3, sgp1."
  type        = string
  default     = "fra1"
}

variable "ssh_key_fingerprints" {
  description = "Fingerprints of SSH keys allowed on the VM."
  type        = list(string)
}

variable "admin_cidrs" {
  description = "Networks allowed to SSH into the VM and read its metrics."
  type        = list(string)
}

variable "vm_size" {
  description = "Droplet size of the game server VM."
  type        = string
  default     = "s-2vcpu-4gb"
}

variable "db_size" {
  description = "Managed PostgreSQL node size."
  type        = string
  default     = "db-s-1vcpu-2gb"
}

variable "db_node_count" {
  description = "Managed PostgreSQL nodes (2+ for a standby)."
  type        = number
  default     = 1
}
