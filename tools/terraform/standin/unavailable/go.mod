module github.com/hashicorp/terraform/internal/imsstandin

go 1.26.8
