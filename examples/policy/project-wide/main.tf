# Sharing policy for a whole project, in one check block: every image the
# project shares must stay within our organization. A check holds one
# scoped data source and takes neither count nor for_each, so the one data
# source that reads every shared image with every member is what covers a
# project. A violation is a warning on every plan and apply (and a failure
# for `terraform test`); nothing else is held up, and neither is the run
# when the API cannot be read: a failed read is a warning too, and the plan
# exits 0 (2 with -detailed-exitcode). For a CI gate that fails closed, see
# ../project-wide-gate.
#
# Members that pass: projects (they stay inside the account), the domains
# (accounts) on allowed_domain_ids, and organization units whose URN names
# our organization. parse_organization_urn splits the URN, so no regular
# expression is needed, and it is written the natural way, with &&: for a
# project or domain member (urn = null) the function gives an object of
# nulls, so the comparison is false rather than an error, on Terraform 1.11
# (which evaluates both sides of &&) as on OpenTofu.

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

check "images_stay_in_our_organization" {
  data "ims_shared_images" "all" {}

  assert {
    condition = alltrue(flatten([for i in data.ims_shared_images.all.images : [
      for m in i.members :
      m.member_type == "project" ||
      m.member_type == "domain" && contains(var.allowed_domain_ids, m.member_id) ||
      m.member_type == "organization" && provider::ims::parse_organization_urn(m.urn).organization_id == var.organization_id
    ]]))
    error_message = "Images shared outside organization ${var.organization_id}: ${join("; ", flatten([for i in data.ims_shared_images.all.images : [
      for m in i.members : "${coalesce(i.name, i.id)} -> ${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
      if !(m.member_type == "project" ||
        m.member_type == "domain" && contains(var.allowed_domain_ids, m.member_id) ||
      m.member_type == "organization" && provider::ims::parse_organization_urn(m.urn).organization_id == var.organization_id)
    ]]))}."
  }
}
