module github.com/cloudimages/terraform-provider-ims

go 1.26.8
