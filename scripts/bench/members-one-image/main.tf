# One ims_image_members read of every member of one image: the largest
# single read, for the provider's peak memory.
data "ims_image_members" "one" {
  image_id = var.image_id

  timeouts {
    read = "30m"
  }
}

output "members" {
  value = length(data.ims_image_members.one.members)
}
