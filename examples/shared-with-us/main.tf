# Images other projects shared with us, and what we did with them: the ones
# we accepted (and can launch), the ones still waiting for an answer, and
# the ones we rejected. Each list is one ims_images read with member_status,
# sent as visibility=shared&__imagetype=shared&member_status=...; no image
# ID is written here. Configure the provider with HW_REGION_NAME,
# HW_ACCESS_KEY and HW_SECRET_KEY (or a KooCLI profile).

terraform {
  required_version = ">= 1.0.0"

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "trusted_owner_ids" {
  description = "Projects whose shared images we expect to accept; an accepted image from any other project is reported."
  type        = set(string)
  default     = []
}

data "ims_images" "accepted" {
  member_status = "accepted"
}

data "ims_images" "pending" {
  member_status = "pending"
}

output "accepted" {
  description = "Image ID => name, owner project and OS of every image shared with us that we accepted."
  value = {
    for i in data.ims_images.accepted.images : i.id => {
      name    = i.name
      owner   = i.owner
      os      = i.os_version
      created = i.created_at
    }
  }
}

output "accepted_from_untrusted_owners" {
  description = "Accepted images whose owner is not on trusted_owner_ids."
  value       = sort([for i in data.ims_images.accepted.images : "${i.name} (${i.id}) from ${i.owner}" if !contains(var.trusted_owner_ids, i.owner)])
}

output "awaiting_an_answer" {
  description = "Images shared with us that we have neither accepted nor rejected."
  value       = sort([for i in data.ims_images.pending.images : "${i.name} (${i.id}) from ${i.owner}"])
}
