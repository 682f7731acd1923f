// Package s3 stands in for Terraform's s3 backend (see tools/terraform/go.mod).
package s3

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("s3") }
