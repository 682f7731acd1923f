# Audit of image sharing: one read per image, and an output that a script
# consumes with `terraform output -json sharing`. Configure the provider
# with HW_REGION_NAME, HW_ACCESS_KEY and HW_SECRET_KEY (or a KooCLI profile).
#
# Terraform reads up to ten data sources at once (-parallelism). All reads of
# one provider share a single request budget that slows down when the API
# gateway throttles (429) and speeds up again when it stops, so an audit of
# thousands of images completes without failed reads.

terraform {
  required_version = ">= 1.0.0"

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "image_ids" {
  description = "IDs of the images to audit."
  type        = list(string)
}

data "ims_image_members" "image" {
  for_each = toset(var.image_ids)

  image_id = each.value
}

locals {
  member_types = ["project", "domain", "organization"]
  statuses     = ["accepted", "pending", "rejected"]
}

output "sharing" {
  description = "Image ID => member type => status => member IDs (organizations by URN when IMS returns one). Every type and status key is always present."
  value = {
    for image_id, read in data.ims_image_members.image : image_id => {
      for t in local.member_types : t => {
        for s in local.statuses : s => [
          for m in read.members : coalesce(m.urn, m.member_id)
          if m.member_type == t && m.status == s
        ]
      }
    }
  }
}

output "shared_outside_account" {
  description = "IDs of the images shared with at least one domain (account) or organization."
  value = sort([
    for image_id, read in data.ims_image_members.image : image_id
    if anytrue([for m in read.members : m.member_type != "project"])
  ])
}

output "member_count" {
  description = "Image ID => number of members of any type and status."
  value       = { for image_id, read in data.ims_image_members.image : image_id => length(read.members) }
}
