terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

# The access key pair comes from HW_ACCESS_KEY and HW_SECRET_KEY, exactly as
# for the official huaweicloud provider; only the region is set here. The
# project ID is looked up through IAM for that region unless you set
# project_id (or HW_PROJECT_ID).
provider "ims" {
  region = "ap-southeast-1"
}
