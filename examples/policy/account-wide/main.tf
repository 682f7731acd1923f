# Sharing policy for the whole account, in one check block: every image
# that any project of the account shares, in every region, must stay within
# our organization. all_projects reads every project the credentials can
# access (sub-projects included), each at its own region's endpoint, in
# parallel, so a region used for the first time tomorrow is covered without
# a new check block. A violation is a warning on every plan and apply (and a
# failure for `terraform test`) naming the region, project, image and
# member; nothing else is held up.
#
# Members that pass: projects (they stay inside the account), the domains
# (accounts) on allowed_domain_ids, and organization units whose URN names
# our organization.

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
  description = "Domain (account) IDs the account's images may be shared with."
  type        = set(string)
  default     = []
}

check "no_image_of_the_account_leaves_our_organization" {
  data "ims_shared_images" "account" {
    all_projects = true
  }

  # Terraform evaluates both sides of && and ||, so a URN is parsed only
  # behind a conditional, which evaluates the branch taken.
  assert {
    condition = length(flatten([for i in data.ims_shared_images.account.images : [
      for m in i.members : m
      if m.member_type == "domain" ? !contains(var.allowed_domain_ids, m.member_id) :
      m.member_type == "organization" ? (m.urn == null ? true : provider::ims::parse_organization_urn(m.urn).organization_id != var.organization_id) :
      false
    ]])) == 0
    error_message = "Images shared outside organization ${var.organization_id}: ${join("; ", flatten([for i in data.ims_shared_images.account.images : [
      for m in i.members : "region ${i.region}, project ${i.project_id}, image ${coalesce(i.name, i.id)} (${i.id}) -> ${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
      if m.member_type == "domain" ? !contains(var.allowed_domain_ids, m.member_id) :
      m.member_type == "organization" ? (m.urn == null ? true : provider::ims::parse_organization_urn(m.urn).organization_id != var.organization_id) :
      false
    ]]))}."
  }
}
