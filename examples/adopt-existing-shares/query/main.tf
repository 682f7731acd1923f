# Adopting the shares made in the console, with `terraform query`
# (Terraform 1.14+): shares.tfquery.hcl lists every image this project
# shares and every image shared with it that it answered; then
#
#   terraform query -generate-config-out=generated.tf
#   terraform plan      # N to import, 0 to add, 0 to change, 0 to destroy
#   terraform apply
#
# writes an import block and a resource block for each into generated.tf,
# and the first apply changes nothing in the cloud. Configure the provider
# with HW_REGION_NAME, HW_ACCESS_KEY and HW_SECRET_KEY (or a KooCLI
# profile). See the guide "Adopting existing shares".

terraform {
  required_version = ">= 1.14.0" # list blocks and terraform query

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

provider "ims" {}
