# The configuration `make demo-share` applies against the bundled IMS
# emulator: this project shares its "scratch" image with another project, an
# account and an organization unit, and accepts the "ml-runtime" image the
# analytics project shared with it. The demo script passes every variable
# as TF_VAR_*; nothing here reaches the real cloud.

terraform {
  required_version = ">= 1.0.0" # resources only; CI runs Terraform 1.11.4 and 1.15.0, and OpenTofu 1.12.6

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

variable "image_id" {
  description = "The image this project shares."
  type        = string
  default     = "5b2b7a35-2f8b-4f3a-9d7e-0d5c3b1a2e4f" # "scratch" in the demo data
}

variable "shared_with_us" {
  description = "An image another project shared with this one, to accept."
  type        = string
  default     = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d" # "ml-runtime", pending in the demo data
}

provider "ims" {
  region     = var.region
  access_key = var.access_key
  secret_key = var.secret_key
  endpoints  = { ims = var.endpoint, iam = var.endpoint }
}

# Authoritative: a member added in the console shows in the next plan and
# is removed by the next apply.
resource "ims_image_share" "scratch" {
  image_id          = var.image_id
  project_ids       = ["2c4e6a8b0d1f43a5b7c9e1f3a5c7e9b1"]
  domain_ids        = ["5d3c1e0f9b7a48c6a2e4f6081a3c5e7d"]
  organization_urns = ["organizations::0970dd7a1300f5672ff2c003c60ae115:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"]
}

resource "ims_shared_image_acceptance" "ml_runtime" {
  image_id = var.shared_with_us
}

output "members" {
  description = "Who the image is shared with, and who has accepted."
  value       = { for m in ims_image_share.scratch.members : m.member_id => "${m.member_type}: ${m.status}" }
}

output "ml_runtime" {
  description = "Our answer to the image shared with us."
  value       = ims_shared_image_acceptance.ml_runtime.status
}
