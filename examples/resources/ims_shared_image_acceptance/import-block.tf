# Adopt the answer the project already gave (Terraform 1.5 and later,
# OpenTofu 1.6 and later): by image ID, or project_id/image_id.
import {
  to = ims_shared_image_acceptance.ml_runtime
  id = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"
}
