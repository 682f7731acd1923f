# The Linux images of this project (owned, private or shared out), newest
# first, every page of the API.
data "ims_images" "linux" {
  image_type = "private"
  os_type    = "Linux"
}

# The IDs are in API order and ready for for_each.
output "linux_image_ids" {
  value = data.ims_images.linux.ids
}

# Images other projects shared with us that we have not answered yet.
data "ims_images" "pending" {
  member_status = "pending"
}

output "pending_images" {
  value = { for i in data.ims_images.pending.images : i.id => "${i.name} from ${i.owner}" }
}
