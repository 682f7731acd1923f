# By image ID, in the provider's project:
terraform import ims_image_share.golden d164b5df-1bc3-4c3f-893e-3e471fd16e64

# Or by project ID and image ID:
terraform import ims_image_share.golden 0123456789abcdef0123456789abcdef/d164b5df-1bc3-4c3f-893e-3e471fd16e64
