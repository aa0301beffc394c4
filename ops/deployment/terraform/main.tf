# Example root configuration: one game host + managed PostgreSQL.
#   cp terraform.tfvars.example terraform.tfvars   # and edit it
#   export DIGITALOCEAN_TOKEN=...
#   terraform init && terraform apply
#   terraform output -raw ansible_inventory > ../ansible/inventory.yml
module "game_host" {
  source = "./modules/game-host"

  name                 = var.name
  region               = var.region
  ssh_key_fingerprints = var.ssh_key_fingerprints
  admin_cidrs          = var.admin_cidrs
  vm_size              = var.vm_size
  db_size              = var.db_size
  db_node_count        = var.db_node_count
}
