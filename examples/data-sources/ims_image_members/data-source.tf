# Everyone the image is shared with: projects, domains (accounts) and
# organizations, every page of the API, in API order.
data "ims_image_members" "golden" {
  image_id = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
}

output "golden_image_members" {
  value = data.ims_image_members.golden.members
}
