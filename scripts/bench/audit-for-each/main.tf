# The audit as one data source per image: the project's shared images from
# ims_images, then ims_image_members for each.
data "ims_images" "shared" {
  image_type = "shared"
  owner      = var.project_id
}

data "ims_image_members" "image" {
  for_each = toset(data.ims_images.shared.ids)

  image_id = each.value
}

output "images" {
  value = length(data.ims_image_members.image)
}

output "members" {
  value = length(flatten([for read in data.ims_image_members.image : read.members]))
}
