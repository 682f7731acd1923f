terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "access_key" {
  type      = string
  sensitive = true
}

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "security_token" {
  type      = string
  sensitive = true
}

# Temporary credentials (an STS triple, for example from an agency): the
# security token is sent as X-Security-Token and signed with the request.
# The same values can come from HW_ACCESS_KEY, HW_SECRET_KEY and
# HW_SECURITY_TOKEN instead.
provider "ims" {
  region         = "cn-north-4"
  project_id     = "1bed856811654c1cb661a6ca845ebc77"
  access_key     = var.access_key
  secret_key     = var.secret_key
  security_token = var.security_token
}
