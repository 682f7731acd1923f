# The audit as one read: every shared image with every member.
data "ims_shared_images" "all" {
  timeouts {
    read = "30m"
  }
}

output "images" {
  value = length(data.ims_shared_images.all.images)
}

output "members" {
  value = length(flatten(data.ims_shared_images.all.images[*].members))
}
