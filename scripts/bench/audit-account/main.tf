# The account-wide audit: every project of the account in one read
# (all_projects), or, with var.region set, the one project of that region
# read alone, through the same regional gateways, for comparison.
terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "endpoint" {
  description = "Base URL of ims-emulator; IMS is reached at endpoint/{region}, one gateway per region."
  type        = string
}

variable "region" {
  description = "Read only this region's project (its default project, looked up through IAM); null reads every project of the account."
  type        = string
  default     = null
}

variable "access_key" {
  description = "Access key the emulator accepts."
  type        = string
  sensitive   = true
}

variable "secret_key" {
  description = "Secret key the emulator accepts."
  type        = string
  sensitive   = true
}

provider "ims" {
  region     = "cn-north-4"
  access_key = var.access_key
  secret_key = var.secret_key
  endpoints = {
    ims = "${var.endpoint}/{region}"
    iam = var.endpoint
  }
}

data "ims_shared_images" "account" {
  count        = var.region == null ? 1 : 0
  all_projects = true
  timeouts {
    read = "30m"
  }
}

data "ims_shared_images" "one" {
  count  = var.region == null ? 0 : 1
  region = var.region
  timeouts {
    read = "30m"
  }
}

locals {
  images = concat(flatten(data.ims_shared_images.account[*].images), flatten(data.ims_shared_images.one[*].images))
}

output "images" {
  value = length(local.images)
}

output "members" {
  value = length(flatten(local.images[*].members))
}
