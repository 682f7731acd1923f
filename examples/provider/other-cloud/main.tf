terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

# Regions named eu-west-1* use myhuaweicloud.eu without further settings.
# Another cloud that serves the same IMS API is reached by its domain, and
# any endpoint can be given explicitly (http:// is accepted for local
# emulators and proxies). {region} is replaced by the region of each read,
# so a data source with its own region reaches that region's endpoint; an
# endpoint without {region} would serve every region.
provider "ims" {
  region = "my-region-1"
  cloud  = "example-cloud.com"

  endpoints = {
    ims = "https://ims.{region}.example-cloud.com"
    iam = "https://iam.{region}.example-cloud.com"
  }

  max_retries = 8
}
