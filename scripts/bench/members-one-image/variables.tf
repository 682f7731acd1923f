# The emulator to plan against; see ../README.md.

terraform {
  required_providers {
    ims = {
      source = "cloudimages/ims"
    }
  }
}

variable "endpoint" {
  description = "Base URL of ims-emulator, for both IMS and IAM."
  type        = string
}

variable "region" {
  description = "Region of the emulator's project."
  type        = string
  default     = "cn-north-4"
}

variable "project_id" {
  description = "The project that owns the image (ims-emulator -project-id)."
  type        = string
}

variable "image_id" {
  description = "The image to read (ims-emulator -image-id)."
  type        = string
}

variable "access_key" {
  description = "Access key the emulator accepts."
  type        = string
  sensitive   = true
}

variable "secret_key" {
  description = "Secret key the emulator accepts."
  type        = string
  sensitive   = true
}

provider "ims" {
  region     = var.region
  project_id = var.project_id
  access_key = var.access_key
  secret_key = var.secret_key
  endpoints = {
    ims = var.endpoint
    iam = var.endpoint
  }
}
