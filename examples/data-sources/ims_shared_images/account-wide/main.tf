# Every image any project of the account shares, in every region, in one
# read: all_projects lists the projects through IAM and reads each at its
# own region's endpoint, in parallel. Each image says its region and
# project_id; the data source's own region and project_id are null.
terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

data "ims_shared_images" "account" {
  all_projects = true
}

# Only the default projects of two regions (no sub-projects):
data "ims_shared_images" "two_regions" {
  regions = ["cn-north-4", "ap-southeast-1"]
}

# Every project, sub-projects included, of one region:
data "ims_shared_images" "beijing" {
  all_projects = true
  regions      = ["cn-north-4"]
}

output "shared_with_by_region" {
  value = {
    for image in data.ims_shared_images.account.images : "${image.region}/${image.project_id}/${image.id}" => [
      for m in image.members : "${m.member_type} ${coalesce(m.urn, m.member_id)} (${m.status})"
    ]
  }
}
