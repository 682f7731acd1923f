# Every image this project shares with at least one member, each with its
# members as the three sets of ims_image_share. Terraform stops a list at
# 100 results unless limit says otherwise; the provider warns when it does.
list "ims_image_share" "console" {
  provider         = ims
  include_resource = true
  limit            = 1000
}

# Every image shared with this project that it accepted or rejected (a
# pending image has no answer to adopt). config { status = "accepted" }
# narrows it to one answer.
list "ims_shared_image_acceptance" "console" {
  provider         = ims
  include_resource = true
  limit            = 1000
}
