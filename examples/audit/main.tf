# Audit of image sharing for a whole project: every image the project
# shares, with every member, in one read, and outputs that a script
# consumes with `terraform output -json`. No image ID is written here: the
# images come from the API. Configure the provider with HW_REGION_NAME,
# HW_ACCESS_KEY and HW_SECRET_KEY (or a KooCLI profile).
#
# ims_shared_images lists the project's shared images, then reads each
# one's members completely, several at once through the provider's one
# request budget, which slows down when the API gateway throttles (429) and
# speeds up again when it stops. The budget keeps throttling rare (in a
# 1,000-read test audit, 32 throttled requests instead of 461), and keeps
# reads from failing when the gateway does not say when to retry (0 failed
# instead of 7); it does not make the audit faster: the account's limit sets
# the pace (DEVELOPMENT.md "The 1,000-image audit").

terraform {
  required_version = ">= 1.0.0"

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

data "ims_shared_images" "project" {}

locals {
  member_types = ["project", "domain", "organization"]
  statuses     = ["accepted", "pending", "rejected"]
}

output "sharing" {
  description = "Image ID => name and member type => status => member IDs (organizations by URN when IMS returns one). Every type and status key is always present."
  value = {
    for image in data.ims_shared_images.project.images : image.id => merge({ name = image.name }, {
      for t in local.member_types : t => {
        for s in local.statuses : s => [
          for m in image.members : coalesce(m.urn, m.member_id)
          if m.member_type == t && m.status == s
        ]
      }
    })
  }
}

output "shared_outside_account" {
  description = "IDs of the images shared with at least one domain (account) or organization."
  value = sort([
    for image in data.ims_shared_images.project.images : image.id
    if anytrue([for m in image.members : m.member_type != "project"])
  ])
}

output "member_count" {
  description = "Image ID => number of members of any type and status."
  value       = { for image in data.ims_shared_images.project.images : image.id => length(image.members) }
}
