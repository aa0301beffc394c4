output "vm_ipv4" {
  description = "Public IPv4 address of the game server VM (players connect here)."
  value       = digitalocean_droplet.game.ipv4_address
}

output "db_host" {
  description = "DB_HOST: the database's private host name, reachable from the VM."
  value       = digitalocean_database_cluster.postgres.private_host
}

output "db_port" {
  description = "DB_PORT of the managed database."
  value       = digitalocean_database_cluster.postgres.port
}

output "db_name" {
  description = "DB_NAME of the game database."
  value       = digitalocean_database_db.game.name
}

output "db_user" {
  description = "DB_USER of the game server."
  value       = digitalocean_database_user.game.name
}

output "db_password" {
  description = "DB_PASSWORD of the game server's database user (put it in ansible-vault)."
  value       = digitalocean_database_user.game.password
  sensitive   = true
}

output "ansible_inventory" {
  description = "An inventory block for ops/deployment/ansible (see inventory.example.yml)."
  value = yamlencode({
    all = {
      children = {
        game_servers = {
          hosts = {
            (digitalocean_droplet.game.name) = {
              ansible_host   = digitalocean_droplet.game.ipv4_address
              ansible_user   = "root"
              ansible_become = true
            }
          }
        }
      }
    }
  })
}
