# Accept an image another project shared with this one. Destroying the
# resource rejects the image: the API cannot forget an answer.
resource "ims_shared_image_acceptance" "ml_runtime" {
  image_id = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"
}

# Or refuse one explicitly.
resource "ims_shared_image_acceptance" "legacy_tools" {
  image_id = "8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f"
  status   = "rejected"
}
