# Sharing policy as a postcondition: the read of the image's members fails
# when the image is shared with a domain (account) or organization outside
# the allow-list, so plan and apply stop before anything depends on it.

terraform {
  required_version = ">= 1.2.0" # postconditions; its tests/ need Terraform 1.7 or OpenTofu 1.8 (mock_provider)

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "image_id" {
  description = "The IMS image whose sharing is enforced."
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

  lifecycle {
    postcondition {
      condition = length([
        for m in self.members : m
        if(m.member_type == "domain" && !contains(var.allowed_domain_ids, m.member_id)) ||
        (m.member_type == "organization" && !contains(var.allowed_organization_urns, coalesce(m.urn, m.member_id)))
      ]) == 0
      error_message = "Image ${var.image_id} is shared outside the allow-list with: ${join(", ", [
        for m in self.members : "${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
        if(m.member_type == "domain" && !contains(var.allowed_domain_ids, m.member_id)) ||
        (m.member_type == "organization" && !contains(var.allowed_organization_urns, coalesce(m.urn, m.member_id)))
      ])}."
    }
  }
}

output "members" {
  description = "The image's members, once the policy holds."
  value       = data.ims_image_members.image.members
}
