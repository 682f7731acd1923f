# Every module that calls provider::ims::parse_organization_urn needs this
# entry: without it "ims" means hashicorp/ims, which has no such function.
# Provider functions need Terraform 1.8 or OpenTofu 1.7.
terraform {
  required_version = ">= 1.8"
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}
