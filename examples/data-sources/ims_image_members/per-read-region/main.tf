terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

provider "ims" {
  region = "ap-southeast-1"
}

# An image in another region of the same account: the project for
# "ap-southeast-3" is looked up through IAM, as for the provider.
data "ims_image_members" "replica" {
  image_id = "370befec-a369-475e-a224-44a45927a8fe"
  region   = "ap-southeast-3"
}

# An image in a known project: no lookup at all. page_size trades fewer
# round trips (1000, the default) for smaller responses.
data "ims_image_members" "team" {
  image_id   = "6f0a1a87-2c4e-4b0c-9a3e-6f1d3e1b2c4d"
  region     = "ap-southeast-3"
  project_id = "05a8a7b4e0f34a5c9a1d2e3f4b5c6d7e"
  page_size  = 200

  # Bounds the whole read, retries and waits included (default 5m).
  timeouts {
    read = "10m"
  }
}

output "lookup_used" {
  # region and project_id are always set to the values the read used.
  value = {
    region     = data.ims_image_members.replica.region
    project_id = data.ims_image_members.replica.project_id
  }
}
