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

# No required_version: the list blocks are in shares.tfquery.hcl, which
# only `terraform query` (1.14+) reads; older CLIs can still validate this.
terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

provider "ims" {}
