terraform {
  required_version = ">= 1.5"
  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.40"
    }
  }
}

# The token comes from the DIGITALOCEAN_TOKEN environment variable, never from a file.
provider "digitalocean" {}
