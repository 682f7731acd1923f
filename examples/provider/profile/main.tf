terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

# Credentials, region and project from a KooCLI (hcloud) profile. With mode
# "SSO" the provider uses the profile's ssoAuth.stsToken keys. Leave profile
# out to use the file's "current" profile; leave shared_config_file out to
# use ~/.hcloud/config.json.
provider "ims" {
  shared_config_file = pathexpand("~/.hcloud/config.json")
  profile            = "audit"
}
