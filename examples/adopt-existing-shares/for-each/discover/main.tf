# Step 1 of adopting the shares made in the console without `terraform
# query` (Terraform before 1.14, OpenTofu): read what the cloud has and
# print it as the variables of ../main.tf.
#
#   terraform -chdir=discover init && terraform -chdir=discover apply
#   terraform -chdir=discover output -raw tfvars > adopted.auto.tfvars.json
#
# Nothing here writes to the cloud: two data sources and an output.

terraform {
  required_version = ">= 1.0.0"

  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

provider "ims" {}

# Every image this project shares, each with every member.
data "ims_shared_images" "console" {}

# The images shared with this project, by its answer.
data "ims_images" "accepted" {
  member_status = "accepted"
}

data "ims_images" "rejected" {
  member_status = "rejected"
}

locals {
  # A kind of member an image has none of is null, as the resource reads
  # it back, so that the import plans no change.
  ids = {
    for img in data.ims_shared_images.console.images : img.id => {
      project_ids       = [for m in img.members : m.member_id if m.member_type == "project"]
      domain_ids        = [for m in img.members : m.member_id if m.member_type == "domain"]
      organization_urns = [for m in img.members : coalesce(m.urn, m.member_id) if m.member_type == "organization"]
    }
    if length(img.members) > 0
  }
}

output "tfvars" {
  description = "The variables of ../main.tf, as JSON: every share and every answer the cloud has now."
  value = jsonencode({
    shares = {
      for id, kinds in local.ids : id => {
        for kind, members in kinds : kind => length(members) > 0 ? members : null
      }
    }
    answers = merge(
      { for img in data.ims_images.accepted.images : img.id => "accepted" },
      { for img in data.ims_images.rejected.images : img.id => "rejected" },
    )
  })
}
