variable "name" {
  description = "Name prefix of every resource (letters, digits and dashes)."
  type        = string
  default     = "kindling"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "region" {
  description = "DigitalOcean region of the VM and the database, e.g. fra1."
  type        = string
  default     = "fra1"
}

variable "vm_size" {
  description = "Droplet size of the game server VM (2 vCPU / 4 GiB is enough for ~1,000 players)."
  type        = string
  default     = "s-2vcpu-4gb"
}

variable "vm_image" {
  description = "OS image of the VM; the Ansible role supports Debian 12 and 13."
  type        = string
  default     = "debian-12-x64"
}

variable "ssh_key_fingerprints" {
  description = "Fingerprints of SSH keys (already in the DigitalOcean account) allowed on the VM."
  type        = list(string)

  validation {
    condition     = length(var.ssh_key_fingerprints) > 0
    error_message = "At least one SSH key is needed to reach the VM."
  }
}

variable "admin_cidrs" {
  description = "Networks allowed to SSH into the VM and to read its metrics (9090)."
  type        = list(string)
}

variable "game_http_port" {
  description = "SERVER_PORT: HTTP API and browser client."
  type        = number
  default     = 8080
}

variable "game_ws_port" {
  description = "SERVER_WS_PORT: WebSocket game traffic."
  type        = number
  default     = 8081
}

variable "db_size" {
  description = "Managed PostgreSQL node size."
  type        = string
  default     = "db-s-1vcpu-2gb"
}

variable "db_node_count" {
  description = "Managed PostgreSQL nodes (2 or more gives a standby for failover)."
  type        = number
  default     = 1

  validation {
    condition     = var.db_node_count >= 1 && var.db_node_count <= 3
    error_message = "db_node_count must be 1, 2 or 3."
  }
}

variable "db_name" {
  description = "DB_NAME: the game's database."
  type        = string
  default     = "game_db"
}

variable "db_user" {
  description = "DB_USER: the game server's database user."
  type        = string
  default     = "game_user"
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = list(string)
  default     = []
}
