# Every image this project shares, each with every member, in one read.
data "ims_shared_images" "project" {}

output "shared_with" {
  value = {
    for image in data.ims_shared_images.project.images : image.name => [
      for m in image.members : "${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
    ]
  }
}
