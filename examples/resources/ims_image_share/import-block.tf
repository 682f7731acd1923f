# Adopt an existing share: the plan then shows every member the
# configuration does not name, to be removed.
import {
  to = ims_image_share.golden
  id = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
}
