# The configuration `make demo` plans against the bundled IMS emulator. The
# demo script passes every variable as TF_VAR_*; nothing here reaches the
# real cloud. Data sources are read during plan, so `terraform plan` shows
# the outputs below.

terraform {
  required_version = ">= 1.0.0"

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "endpoint" {
  description = "Base URL of the emulator, such as http://127.0.0.1:8080; used for both IMS and IAM."
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
  description = "Images to read; the default is the images of the emulator's demo data set (cmd/ims-emulator/testdata/demo.json)."
  type        = list(string)
  default = [
    "d164b5df-1bc3-4c3f-893e-3e471fd16e64",
    "5b2b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f",
    "9a6e4c1d-7b3f-4e2a-8c5d-1f0e2d3c4b5a",
  ]
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

provider "ims" {
  region     = var.region
  project_id = var.project_id
  access_key = var.access_key
  secret_key = var.secret_key

  endpoints = {
    ims = var.endpoint
    iam = var.endpoint
  }
}

locals {
  image_ids = toset(compact(concat(var.image_ids, [var.image_id == null ? "" : var.image_id])))
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
