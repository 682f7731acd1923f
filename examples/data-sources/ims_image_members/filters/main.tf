terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "image_id" {
  type    = string
  default = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
}

# The API has no filter parameters: the provider reads every page and keeps
# the members that match, so a filter never changes the number of requests.
data "ims_image_members" "pending_domains" {
  image_id    = var.image_id
  status      = "pending"
  member_type = "domain"
}

# Organizations that accepted the image, with their exact URNs.
data "ims_image_members" "organizations" {
  image_id    = var.image_id
  status      = "accepted"
  member_type = "organization"
}

output "pending_domain_ids" {
  value = data.ims_image_members.pending_domains.members[*].member_id
}

output "organization_urns" {
  value = data.ims_image_members.organizations.members[*].urn
}
