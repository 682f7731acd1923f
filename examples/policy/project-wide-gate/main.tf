# The project-wide policy of ../project-wide as a gate that fails closed,
# for CI: the same condition in a postcondition of the data source, outside
# any check block. A violation fails the plan (exit 1), and so does a read
# that fails (the API unreachable, the credentials rejected): nothing passes
# unless every shared image was read and every member is allowed. The
# check-block variant is right for everyday plans, where a policy must not
# hold up unrelated changes; it turns both into warnings.

terraform {
  required_version = ">= 1.8.0" # provider functions

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "organization_id" {
  description = "Our organization's ID, such as o-wvntq58r3poyv180t5df1mdna4uwy9se."
  type        = string
}

variable "allowed_domain_ids" {
  description = "Domain (account) IDs the project's images may be shared with."
  type        = set(string)
  default     = []
}

data "ims_shared_images" "all" {
  lifecycle {
    postcondition {
      condition = alltrue(flatten([for i in self.images : [
        for m in i.members :
        m.member_type == "project" ||
        m.member_type == "domain" && contains(var.allowed_domain_ids, m.member_id) ||
        m.member_type == "organization" && provider::ims::parse_organization_urn(m.urn).organization_id == var.organization_id
      ]]))
      error_message = "Images shared outside organization ${var.organization_id}: ${join("; ", flatten([for i in self.images : [
        for m in i.members : "${coalesce(i.name, i.id)} -> ${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
        if !(m.member_type == "project" ||
          m.member_type == "domain" && contains(var.allowed_domain_ids, m.member_id) ||
        m.member_type == "organization" && provider::ims::parse_organization_urn(m.urn).organization_id == var.organization_id)
      ]]))}."
    }
  }
}

output "shared_images" {
  description = "How many images the project shares, once the policy holds."
  value       = length(data.ims_shared_images.all.images)
}
