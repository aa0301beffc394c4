output "vm_ipv4" {
  description = "Public IPv4 address of the game server."
  value       = module.game_host.vm_ipv4
}

output "db_host" {
  description = "DB_HOST for the server's .env."
  value       = module.game_host.db_host
}

output "db_port" {
  description = "DB_PORT for the server's .env."
  value       = module.game_host.db_port
}

output "db_password" {
  description = "DB_PASSWORD for ansible-vault."
  value       = module.game_host.db_password
  sensitive   = true
}

output "ansible_inventory" {
  description = "Inventory for ops/deployment/ansible."
  value       = module.game_host.ansible_inventory
}
