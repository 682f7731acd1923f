# By image ID, answered by the provider's project (or project_id/image_id):
terraform import ims_shared_image_acceptance.ml_runtime 6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d
