# One game server VM (Docker, deployed by ops/deployment/ansible) and a managed
# PostgreSQL 15 cluster that only this VM may reach, in a private network.

locals {
  tags = concat(["kindling", var.name], var.tags)
}

resource "digitalocean_vpc" "this" {
  name   = "${var.name}-vpc"
  region = var.region
}

resource "digitalocean_droplet" "game" {
  name       = "${var.name}-game-1"
  region     = var.region
  size       = var.vm_size
  image      = var.vm_image
  vpc_uuid   = digitalocean_vpc.this.id
  ssh_keys   = var.ssh_key_fingerprints
  monitoring = true
  tags       = local.tags
  # Python for Ansible; Docker itself is installed by the Ansible role.
  user_data = <<-EOT
    #cloud-config
    package_update: true
    packages:
      - python3
  EOT
}

resource "digitalocean_firewall" "game" {
  name        = "${var.name}-game"
  droplet_ids = [digitalocean_droplet.game.id]

  inbound_rule {
    protocol         = "tcp"
    port_range       = "22"
    source_addresses = var.admin_cidrs
  }

  inbound_rule {
    protocol         = "tcp"
    port_range       = tostring(var.game_http_port)
    source_addresses = ["0.0.0.0/0", "::/0"]
  }

  inbound_rule {
    protocol         = "tcp"
    port_range       = tostring(var.game_ws_port)
    source_addresses = ["0.0.0.0/0", "::/0"]
  }

  inbound_rule {
    protocol         = "tcp"
    port_range       = "9090"
    source_addresses = var.admin_cidrs
  }

  outbound_rule {
    protocol              = "tcp"
    port_range            = "1-65535"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }

  outbound_rule {
    protocol              = "udp"
    port_range            = "53"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }
}

resource "digitalocean_database_cluster" "postgres" {
  name                 = "${var.name}-pg"
  engine               = "pg"
  version              = "15"
  size                 = var.db_size
  region               = var.region
  node_count           = var.db_node_count
  private_network_uuid = digitalocean_vpc.this.id
  tags                 = local.tags
}

resource "digitalocean_database_db" "game" {
  cluster_id = digitalocean_database_cluster.postgres.id
  name       = var.db_name
}

resource "digitalocean_database_user" "game" {
  cluster_id = digitalocean_database_cluster.postgres.id
  name       = var.db_user
}

# Only the game VM may connect to the database.
resource "digitalocean_database_firewall" "postgres" {
  cluster_id = digitalocean_database_cluster.postgres.id

  rule {
    type  = "droplet"
    value = digitalocean_droplet.game.id
  }
}
