# Sharing policy as a check block: every domain (account) and organization an
# image is shared with must be on an allow-list. A violation is reported as
# a warning on every plan and apply, and as a failure by `terraform test`;
# nothing else in the configuration is held up. See ./postcondition for the
# variant that stops the run instead.

terraform {
  required_version = ">= 1.5.0" # check blocks; its tests/ need Terraform 1.7 or OpenTofu 1.8 (mock_provider)

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "image_id" {
  description = "The IMS image whose sharing is checked."
  type        = string
}

variable "allowed_domain_ids" {
  description = "Domain (account) IDs the image may be shared with."
  type        = set(string)
  default     = []
}

variable "allowed_organization_urns" {
  description = "Organization URNs the image may be shared with, exactly as IMS returns them in urn."
  type        = set(string)
  default     = []
}

data "ims_image_members" "image" {
  image_id = var.image_id
}

locals {
  # Project members stay inside the account and are not subject to the
  # allow-list. An organization is matched on its exact URN.
  violations = [
    for m in data.ims_image_members.image.members : m
    if(m.member_type == "domain" && !contains(var.allowed_domain_ids, m.member_id)) ||
    (m.member_type == "organization" && !contains(var.allowed_organization_urns, coalesce(m.urn, m.member_id)))
  ]
}

check "image_sharing_allow_list" {
  assert {
    condition     = length(local.violations) == 0
    error_message = "Image ${var.image_id} is shared outside the allow-list with: ${join(", ", [for m in local.violations : "${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"])}."
  }
}

output "violations" {
  description = "Members outside the allow-list: member_type, member_id, urn and status."
  value = [
    for m in local.violations : {
      member_type = m.member_type
      member_id   = m.member_id
      urn         = m.urn
      status      = m.status
    }
  ]
}
