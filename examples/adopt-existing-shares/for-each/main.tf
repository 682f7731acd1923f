# Step 2 of adopting the shares made in the console without `terraform
# query` (Terraform 1.7+ and OpenTofu 1.7+: import blocks with for_each).
# adopted.auto.tfvars.json, written by discover/, names every share and
# every answer; the import blocks bring each into state and the first
# plan says "N to import, 0 to add, 0 to change, 0 to destroy".
#
# From then on adopted.auto.tfvars.json is the configuration that owns the
# shares: edit it to share or unshare, and a member added in the console
# shows in the next plan, to be removed. The import blocks can stay (an
# object already in state is not imported again) or go.

terraform {
  required_version = ">= 1.7.0" # import blocks with for_each

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

provider "ims" {}

variable "shares" {
  description = "Image ID => its members: the images this project shares."
  type = map(object({
    project_ids       = optional(set(string))
    domain_ids        = optional(set(string))
    organization_urns = optional(set(string))
  }))
  default = {}
}

variable "answers" {
  description = "Image ID => accepted or rejected: this project's answers to images shared with it."
  type        = map(string)
  default     = {}
}

import {
  for_each = var.shares
  to       = ims_image_share.adopted[each.key]
  id       = each.key
}

resource "ims_image_share" "adopted" {
  for_each = var.shares

  image_id          = each.key
  project_ids       = each.value.project_ids
  domain_ids        = each.value.domain_ids
  organization_urns = each.value.organization_urns
}

import {
  for_each = var.answers
  to       = ims_shared_image_acceptance.adopted[each.key]
  id       = each.key
}

resource "ims_shared_image_acceptance" "adopted" {
  for_each = var.answers

  image_id = each.key
  status   = each.value
}
