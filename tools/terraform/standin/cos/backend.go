// Package cos stands in for Terraform's cos backend (see tools/terraform/go.mod).
package cos

import (
	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/imsstandin"
)

func New() backend.Backend { return imsstandin.New("cos") }
