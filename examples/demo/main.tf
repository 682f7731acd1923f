# The configuration `make demo` plans against the bundled IMS emulator. The
# demo script passes every variable as TF_VAR_*; nothing here reaches the
# real cloud. Data sources are read during plan, so `terraform plan` shows
# the outputs below.

terraform {
  required_version = ">= 1.8.0" # provider functions

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "endpoint" {
  description = "Base URL of the emulator, such as http://127.0.0.1:8080: IAM, and IMS at endpoint/{region}, one gateway per region."
  type        = string
}

variable "region" {
  description = "Region name; the emulator's IAM knows its project."
  type        = string
  default     = "cn-north-4"
}

variable "project_id" {
  description = "Project ID; when null the provider looks it up through IAM by region."
  type        = string
  default     = null
}

variable "access_key" {
  description = "Access key the emulator accepts."
  type        = string
  sensitive   = true
}

variable "secret_key" {
  description = "Secret key the emulator accepts."
  type        = string
  sensitive   = true
}

variable "image_ids" {
  description = "Images to read one by one with ims_image_members; null reads every image the project owns, as ims_images lists them."
  type        = list(string)
  default     = null
}

variable "page_size" {
  description = "Members per request; small in the demo so that the largest image spans several pages."
  type        = number
  default     = null
}

variable "image_id" {
  description = "A single image to read, added to image_ids."
  type        = string
  default     = null
}

variable "whole_project_audit" {
  description = "Whether to end with the audit (ims_shared_images over every project of the account, and ims_images); benchmarks of single reads turn it off."
  type        = bool
  default     = true
}

variable "organization_id" {
  description = "Our organization: members of any other organization, and domains, are reported as outside it."
  type        = string
  default     = "o-wvntq58r3poyv180t5df1mdna4uwy9se"
}

provider "ims" {
  region     = var.region
  project_id = var.project_id
  access_key = var.access_key
  secret_key = var.secret_key

  # Each region has its own IMS endpoint: the emulator serves region R's
  # gateway at endpoint/R, as the cloud does at ims.R.myhuaweicloud.com.
  endpoints = {
    ims = "${var.endpoint}/{region}"
    iam = var.endpoint
  }
}

# Every image visible to the project: its own, public ones, and those other
# projects shared with it that it accepted. No image ID is written here.
data "ims_images" "visible" {}

locals {
  project_id = data.ims_images.visible.project_id
  owned      = [for i in data.ims_images.visible.images : i if i.owner == local.project_id]
  image_ids = toset(compact(concat(
    var.image_ids == null ? [for i in local.owned : i.id] : var.image_ids,
    [var.image_id == null ? "" : var.image_id],
  )))
}

data "ims_image_members" "demo" {
  for_each = local.image_ids

  image_id  = each.value
  page_size = var.page_size
}

locals {
  members = flatten([for read in data.ims_image_members.demo : read.members])
}

output "images_read" {
  description = "Number of images read."
  value       = length(data.ims_image_members.demo)
}

output "members_total" {
  description = "Members across all images."
  value       = length(local.members)
}

output "members_by_status" {
  description = "Member count by status."
  value = {
    for s in ["accepted", "pending", "rejected"] : s => length([for m in local.members : m if m.status == s])
  }
}

output "members_by_type" {
  description = "Member count by member_type."
  value = {
    for t in ["project", "domain", "organization"] : t => length([for m in local.members : m if m.member_type == t])
  }
}

output "organization_urns" {
  description = "Organizations the images are shared with, by URN."
  value       = sort(distinct([for m in local.members : m.urn if m.member_type == "organization" && m.urn != null]))
}

output "per_image" {
  description = "Image ID => member count, project used and status counts."
  value = {
    for id, read in data.ims_image_members.demo : id => {
      project_id = read.project_id
      members    = length(read.members)
      accepted   = length([for m in read.members : m if m.status == "accepted"])
      pending    = length([for m in read.members : m if m.status == "pending"])
      rejected   = length([for m in read.members : m if m.status == "rejected"])
    }
  }
}

# The account-wide audit: every image that any project of the account
# shares out (every region, sub-projects included, each read at its own
# region's endpoint), with every member, in one data source, as a check
# block would use it; and the images other projects shared with this one,
# by the state it left them in.
data "ims_shared_images" "out" {
  count        = var.whole_project_audit ? 1 : 0
  all_projects = true
}

data "ims_images" "shared_with_us" {
  for_each = var.whole_project_audit ? toset(["accepted", "pending", "rejected"]) : toset([])

  member_status = each.key
}

locals {
  shared_out = flatten(data.ims_shared_images.out[*].images)
  # parse_organization_urn(null) is an object of nulls, so the && needs
  # no conditional around it, even where both sides are evaluated.
  outside_organization = flatten([for i in local.shared_out : [
    for m in i.members : "region ${i.region}, project ${i.project_id}, image ${i.name} (${i.id}): ${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
    if m.member_type == "domain" || m.member_type == "organization" && provider::ims::parse_organization_urn(m.urn).organization_id != var.organization_id
  ]])
}

output "account_wide_audit" {
  description = "Every project's shared images by region and project, whom they are shared with, and what others shared with this project: found, not written by hand."
  value = var.whole_project_audit ? {
    project_id = local.project_id
    owned      = { for i in local.owned : i.name => i.visibility }
    shared_out = {
      for i in local.shared_out : "${i.region}/${i.project_id}/${i.name}" => {
        for s in ["accepted", "pending", "rejected"] : s => length([for m in i.members : m if m.status == s])
      }
    }
    shared_with_us       = { for s, read in data.ims_images.shared_with_us : s => [for i in read.images : "${i.name} (from ${i.owner})"] }
    outside_organization = local.outside_organization
  } : null
}

# The same policy as a check over the whole account: one block, every
# region; the warning names the region, project, image and member.
check "no_image_of_the_account_leaves_our_organization" {
  data "ims_shared_images" "account" {
    all_projects = true
  }

  assert {
    condition = length(flatten([for i in data.ims_shared_images.account.images : [
      for m in i.members : m
      if m.member_type == "domain" || (m.urn == null ? false : provider::ims::parse_organization_urn(m.urn).organization_id != var.organization_id)
    ]])) == 0
    error_message = "Images shared outside organization ${var.organization_id}: ${join("; ", flatten([for i in data.ims_shared_images.account.images : [
      for m in i.members : "region ${i.region}, project ${i.project_id}, image ${coalesce(i.name, i.id)}: ${m.member_type} ${coalesce(m.urn, m.member_id)}"
      if m.member_type == "domain" || (m.urn == null ? false : provider::ims::parse_organization_urn(m.urn).organization_id != var.organization_id)
    ]]))}."
  }
}
