terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

data "ims_image_members" "this" {
  image_id = "370befec-a369-475e-a224-44a45927a8fe"
}

# The whole data source, for `terraform output -json image_members`.
output "image_members" {
  value = data.ims_image_members.this
}

# Member IDs keyed by status, for example
# { accepted = ["ou-5x1b..."], pending = ["3a2d9540..."] }.
output "member_ids_by_status" {
  value = {
    for m in data.ims_image_members.this.members : m.status => m.member_id...
  }
}
