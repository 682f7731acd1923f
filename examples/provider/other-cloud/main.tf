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
# emulators and proxies).
provider "ims" {
  region = "my-region-1"
  cloud  = "example-cloud.com"

  endpoints = {
    ims = "https://ims.my-region-1.example-cloud.com"
    iam = "https://iam.my-region-1.example-cloud.com"
  }

  max_retries = 8
}
