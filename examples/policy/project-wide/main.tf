# Sharing policy for a whole project, in one check block: every image the
# project shares must stay within our organization. A check holds one
# scoped data source and takes neither count nor for_each, so the one data
# source that reads every shared image with every member is what covers a
# project. A violation is a warning on every plan and apply (and a failure
# for `terraform test`); nothing else is held up, and neither is the run
# when the API cannot be read.
#
# Members that pass: projects (they stay inside the account), the domains
# (accounts) on allowed_domain_ids, and organization units whose URN names
# our organization. parse_organization_urn splits the URN, so no regular
# expression is needed.

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

  # Terraform evaluates both sides of && and ||, so a URN is parsed only
  # behind a conditional, which evaluates the branch taken.
  assert {
    condition = length(flatten([for i in data.ims_shared_images.all.images : [
      for m in i.members : m
      if m.member_type == "domain" ? !contains(var.allowed_domain_ids, m.member_id) :
      m.member_type == "organization" ? (m.urn == null ? true : provider::ims::parse_organization_urn(m.urn).organization_id != var.organization_id) :
      false
    ]])) == 0
    error_message = "Images shared outside organization ${var.organization_id}: ${join("; ", flatten([for i in data.ims_shared_images.all.images : [
      for m in i.members : "${coalesce(i.name, i.id)} -> ${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
      if m.member_type == "domain" ? !contains(var.allowed_domain_ids, m.member_id) :
      m.member_type == "organization" ? (m.urn == null ? true : provider::ims::parse_organization_urn(m.urn).organization_id != var.organization_id) :
      false
    ]]))}."
  }
}
